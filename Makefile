# Entry points: `make demo` and `make test` (see README.md). Both install missing Debian
# packages, configure and build with CMake (Release, all cores), then run.
BUILD ?= build
JOBS ?= $(shell nproc)
PYTHON ?= /usr/bin/python3
CMAKE_FLAGS ?=

.PHONY: all bootstrap configure build demo test bench bench-sweep params validate plan-docs robustness fuzz sanitize clean

all: build

bootstrap:
	@scripts/bootstrap

configure: bootstrap
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release -DPython3_EXECUTABLE=$(PYTHON) $(CMAKE_FLAGS) >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

demo: build
	@mkdir -p results
	$(BUILD)/strata run configs/scenarios/demo.yaml -o results/demo.h5

test: build
	@BUILD=$(BUILD) JOBS=$(JOBS) PYTHON=$(PYTHON) scripts/run_tests

# Runs every speed benchmark and timed CLI runs (about 15 minutes); writes docs/performance.md
# and docs/performance-scaling.png.
bench: build
	$(PYTHON) scripts/bench_report --build $(BUILD)

bench-sweep: build
	PYTHONPATH=$(BUILD)/python $(PYTHON) bench/sweep_dask.py

validate: build
	$(BUILD)/strata validate --docs docs/validation.md

params: build
	$(BUILD)/strata params > docs/parameters.md

plan-docs: build
	BUILD=$(BUILD) scripts/plan_docs

# Bad inputs and what strata says to each (docs/robustness.md; make test fails when stale).
robustness: build
	BUILD=$(BUILD) $(PYTHON) scripts/robustness -o docs/robustness.md

# ASan + UBSan build (build-asan) running the unit and SystemC tests and a short fuzz; `make
# test` runs it too. `make fuzz` runs each libFuzzer target for FUZZ_SECONDS (default 600).
sanitize: build
	@BUILD=$(BUILD) JOBS=$(JOBS) scripts/sanitize

FUZZ_SECONDS ?= 600
fuzz: build
	@BUILD=$(BUILD) JOBS=$(JOBS) scripts/fuzz $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD) build-asan
