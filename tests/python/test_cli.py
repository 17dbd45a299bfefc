"""The CLI as a user meets it: help, version, exit codes and the exact message of each bad input."""
import re

import pytest

from conftest import ROOT, strata

DEMO = "configs/scenarios/demo.yaml"


def test_help_and_version():
    h = strata("--help")
    assert h.returncode == 0
    assert "run SCENARIO.yaml" in h.stdout and "exit codes" in h.stdout
    v = strata("--version")
    assert v.returncode == 0
    assert re.match(r"strata \d+\.\d+\.\d+ \(.+\)\n", v.stdout)


@pytest.mark.parametrize(
    "args, message",
    [
        ((), "strata: no command given"),
        (("rn", DEMO), "strata: unknown command 'rn'; did you mean 'run'?"),
        (("run",), "strata: run needs a SCENARIO.yaml"),
        (("run", DEMO, "--fast"), "strata: unknown option '--fast'"),
        (("run", DEMO, "-p"), "strata: -p needs a value"),
    ],
)
def test_usage_errors_exit_2(args, message):
    p = strata(*args)
    assert p.returncode == 2
    assert p.stderr.splitlines()[0] == message
    assert "usage: strata" in p.stderr


@pytest.mark.parametrize(
    "override, message",
    [
        (
            "hardware.chip.clok=1 GHz",
            "command line -p 'hardware.chip.clok=1 GHz': error: hardware.chip.clok: unknown key; "
            "did you mean 'clock'? (allowed here: name, sm_count, clock, flops_per_clock_per_sm, "
            "smem_per_sm, l2, onchip, tdp, die_area, transistors, compute_dies, hbm_sites, list_price, node, "
            "energy, dvfs, gemm)",
        ),
        (
            "workload.batch_per_gpu=many",
            "command line -p 'workload.batch_per_gpu=many': error: workload.batch_per_gpu: "
            "expected an integer, got 'many'",
        ),
        (
            "workload.batch_per_gpu=0",
            "command line -p 'workload.batch_per_gpu=0': error: workload.batch_per_gpu: '0' is out "
            "of range; allowed: 1 .. 1048576",
        ),
        (
            "hardware.memory.pin_rate=6.4 GB",
            "command line -p 'hardware.memory.pin_rate=6.4 GB': error: hardware.memory.pin_rate: "
            "'6.4 GB' is a size, but this key takes a data rate such as 3.35 TB/s, 400 Gb/s",
        ),
        (
            "workload.precision.gemm=fp4",
            "command line -p 'workload.precision.gemm=fp4': error: workload.precision.gemm: 'fp4' "
            "is not allowed; did you mean 'fp8'? (allowed: fp8, bf16, fp16, fp32)",
        ),
        (
            "parallel.attention_dp=4",
            "command line -p 'parallel.attention_dp=4': error: parallel.attention_dp: attention_dp x "
            "tp = 4 must equal the GPU count, 8 (1 node x 8 GPUs)",
        ),
        (
            "cluster.nodes=2",
            "configs/scenarios/demo.yaml:20:3: error: parallel.attention_dp: attention_dp x tp = 8 "
            "must equal the GPU count, 16 (2 nodes x 8 GPUs)",
        ),
    ],
)
def test_config_errors_exit_2_with_position(override, message):
    p = strata("check", DEMO, "-p", override)
    assert p.returncode == 2, p.stdout
    assert p.stderr.strip() == message


def test_errors_in_files_point_at_file_line_column(tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text(
        "version: 1\nname: bad\nhardware:\n  base: %s/configs/hw/h800-sxm.yaml\n  chip:\n"
        "    sm_count: -1\nworkload:\n  model:\n    base: %s/configs/workloads/deepseek-v3.yaml\n"
        "  batch_per_gpu: 1\n  kv_len: 1\n" % (ROOT, ROOT)
    )
    p = strata("check", f)
    assert p.returncode == 2
    assert p.stderr.strip() == f"{f}:6:15: error: hardware.chip.sm_count: '-1' is out of range; allowed: 1 .. 1000000"


def test_missing_scenario_file():
    p = strata("run", "configs/scenarios/nope.yaml")
    assert p.returncode == 2
    assert p.stderr.strip() == (
        "configs/scenarios/nope.yaml: error: cannot open config file "
        "'configs/scenarios/nope.yaml' (no such file or not readable)"
    )


def test_missing_base_file(tmp_path):
    f = tmp_path / "s.yaml"
    f.write_text("version: 1\nname: s\nhardware:\n  base: ../nowhere/h800.yaml\n")
    p = strata("check", f)
    assert p.returncode == 2
    missing = (tmp_path / ".." / "nowhere" / "h800.yaml").resolve()
    assert p.stderr.strip() == (
        f"{f}:4:9: error: cannot open config file '{missing}' (no such file or not readable)"
    )


def test_check_ok_and_resolved_config_is_a_fixed_point(tmp_path):
    p = strata("check", DEMO)
    assert p.returncode == 0
    assert p.stdout == "configs/scenarios/demo.yaml: OK (demo, 8 x H800 SXM5, DeepSeek-V3)\n"
    resolved = strata("check", DEMO, "--print", check=True).stdout
    assert resolved.startswith("version: 1\n")
    again = tmp_path / "resolved.yaml"
    again.write_text(resolved)
    assert strata("check", again, "--print", check=True).stdout == resolved


def test_overrides_change_the_run(tmp_path):
    base = strata("check", DEMO, "--print", check=True).stdout
    changed = strata("check", DEMO, "--print", "-p", "hardware.chip.clock=1600 MHz", check=True).stdout
    assert "clock: 1.83 GHz" in base
    assert "clock: 1.6 GHz" in changed


def test_run_prints_the_summary_table(tmp_path):
    out = tmp_path / "r.h5"
    p = strata("run", DEMO, "-o", out, check=True)
    for label in [
        "output tokens/s (cluster)",
        "output tokens/s per GPU",
        "time per output token",
        "achieved TFLOPS per GPU",
        "achieved HBM GB/s per GPU",
        "time by op class",
        "moe_gemm",
        "communication_exposed",
    ]:
        assert label in p.stdout
    assert p.stdout.rstrip().endswith(f"wrote {out}")
    assert out.exists()


def test_output_into_missing_directory_fails_cleanly(tmp_path):
    p = strata("run", DEMO, "-o", tmp_path / "no" / "r.h5", "-q")
    assert p.returncode == 2  # bad input, found before the simulation runs
    assert "does not exist" in p.stderr
    assert not (tmp_path / "no").exists()
