"""The pybind11 extension: importable from /usr/bin/python3, same errors as the CLI."""
import pytest

import strata
from conftest import ROOT


def test_version_matches_cli():
    assert strata.__version__ == strata.version()
    assert strata.git_describe()


def test_resolve_scenario():
    text = strata.resolve_scenario(str(ROOT / "configs/scenarios/demo.yaml"), ["workload.kv_len=2048"])
    assert "kv_len: 2048" in text


def test_config_error_carries_position():
    with pytest.raises(strata.ConfigError) as e:
        strata.resolve_scenario(str(ROOT / "configs/scenarios/demo.yaml"), ["workload.kv_lne=1"])
    err = e.value
    assert err.key == "workload.kv_lne"
    assert err.line == 0 and err.file == "workload.kv_lne=1"
    assert "did you mean 'kv_len'?" in str(err)
    assert isinstance(err, ValueError)
