"""strata: accelerator and cluster simulator, from Python.

    cfg = strata.load("configs/scenarios/demo.yaml", {"workload.batch_per_gpu": 64})
    cfg.hardware.chip.clock = "1600 MHz"
    r = strata.run(cfg)                  # each run in its own strata process
    r.summary["tokens_per_s"], r.ops, r.utilisation
    r.to_hdf5("out.h5"); strata.open("out.h5")
    s = strata.sweep("configs/sweeps/ep-batch.yaml", "out/ep-batch", workers=4)
    s.summary

The compiled core is ``strata._core`` (config validation and sweep expansion); simulations run
in the ``strata`` binary of the same build. docs/python.md describes the API and sweep files.
"""
from ._core import ConfigError, git_describe, plan_sweep, resolve_scenario, version
from ._sweep import SweepError, SweepResult, sweep
from .config import Config, load
from .result import Quantity, Result, open
from .runner import SimulationError, executable, run

__version__ = version()
__all__ = [
    "Config", "ConfigError", "Quantity", "Result", "SimulationError", "SweepError", "SweepResult",
    "executable", "git_describe", "load", "open", "plan_sweep", "resolve_scenario", "run", "sweep",
    "version", "__version__",
]
