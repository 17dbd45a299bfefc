"""strata: accelerator and cluster simulator.

The compiled core lives in ``strata._core``; this package wraps it in plain Python.
"""
from ._core import ConfigError, git_describe, resolve_scenario, version

__version__ = version()
__all__ = ["ConfigError", "git_describe", "resolve_scenario", "version", "__version__"]
