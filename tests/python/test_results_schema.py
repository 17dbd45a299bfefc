"""The demo's HDF5 file against results/README.md, and run-to-run determinism."""
import h5py
import numpy as np

from conftest import datasets, strata

DEMO = "configs/scenarios/demo.yaml"

SUMMARY_UNITS = {
    "step_time": "s",
    "time_per_output_token": "s",
    "tokens_per_s": "tokens/s",
    "tokens_per_s_per_node": "tokens/s",
    "tokens_per_s_per_gpu": "tokens/s",
    "tokens_per_step": "tokens",
    "gpus": "1",
    "nodes": "1",
    "achieved_flops_per_gpu": "FLOP/s",
    "hbm_bandwidth_per_gpu": "B/s",
    "peak_flops_fp8_per_gpu": "FLOP/s",
    "peak_flops_bf16_per_gpu": "FLOP/s",
    "peak_hbm_bandwidth_per_gpu": "B/s",
    "memory_required_per_gpu": "B",
    "memory_capacity_per_gpu": "B",
    "memory_fits": "1",
    "roofline_ratio": "1",
    "critical_device": "1",
    "clock": "Hz",
    "clock_min": "Hz",
    "throttled_share": "1",
    "power_cap_status": "1",
    "power_window": "s",
    "power_window_max": "W",
    "network_power": "W",
    "network_capital": "USD",
    "network_power_per_gpu": "W",
    "network_capital_per_gpu": "USD",
    "network_links": "1",
    "switch_chips": "1",
    "network_switch_chips": "1",
    "switch_boxes": "1",
    "nics": "1",
    "transceivers": "1",
    "optical_engines": "1",
    "copper_cables": "1",
    "fibres": "1",
    "transceivers_per_gpu": "1",
    "optical_engines_per_gpu": "1",
}

TABLES = {
    "ops": {"name": "S", "kind": "S", "op_class": "S", "stream": "S", "dtype": "S", "device": "i",
            "layer": "i", "m": "i", "n": "i", "k": "i", "batch": "i", "start": "f", "end": "f",
            "duration": "f", "bound": "f", "flops": "f", "bytes": "f"},
    "devices": {"device": "i", "node": "i", "compute_busy": "f", "comm_busy": "f", "end": "f",
                "flops": "f", "hbm_bytes": "f", "achieved_flops": "f", "hbm_bandwidth": "f",
                "compute_utilisation": "f", "weight_bytes": "f", "kv_cache_bytes": "f",
                "memory_required": "f"},
    "links": {"name": "S", "kind": "S", "device": "i", "bandwidth": "f", "bytes": "f", "busy": "f",
              "utilisation": "f", "link": "S", "links": "i", "energy": "f"},
    "op_classes": {"class": "S", "time": "f", "share": "f"},
    "power_timeline": {"device": "i", "start": "f", "end": "f", "clock": "f", "tensor": "f", "total": "f"},
    "network/bom": {"item": "S", "category": "S", "place": "S", "medium": "S", "length_class": "S", "length": "f",
                    "port_speed": "S", "count": "i", "links": "i", "in_node": "i", "unit_power": "f", "power": "f",
                    "unit_price": "f", "price": "f"},
}


def kind_of(ds):
    if h5py.check_string_dtype(ds.dtype):
        return "S"
    return "i" if np.issubdtype(ds.dtype, np.integer) else "f"


def test_schema(demo_h5):
    with h5py.File(demo_h5, "r") as f:
        assert f.attrs["format"] == "strata-result"
        assert f.attrs["schema_version"] == 1
        assert "DeepSeek-V3 decode step" in f.attrs["title"]
        config = f["config"][()].decode()
        assert config.startswith("version: 1\n") and "name: demo" in config
        prov = f["provenance"].attrs
        for key in ["strata_version", "git_describe", "scenario", "fidelity", "op_cost_model", "network_model"]:
            assert isinstance(prov[key], str) and prov[key]
        assert prov["seed"] == 1
        assert set(f["summary"].keys()) >= set(SUMMARY_UNITS)
        for name, unit in SUMMARY_UNITS.items():
            ds = f["summary"][name]
            assert ds.shape == () and ds.dtype == np.float64
            assert ds.attrs["units"] == unit, name
            assert ds.attrs["description"]
        for table, columns in TABLES.items():
            g = f[table]
            assert g.attrs["description"]
            assert list(g.keys())[: len(columns)] == sorted(g.keys(), key=list(g.keys()).index)[: len(columns)]
            for col, kind in columns.items():
                ds = g[col]
                assert ds.ndim == 1 and ds.shape[0] == g.attrs["rows"], f"{table}/{col}"
                assert kind_of(ds) == kind, f"{table}/{col}"
                assert "units" in ds.attrs and ds.attrs["description"]


def test_values_are_consistent(demo_h5):
    with h5py.File(demo_h5, "r") as f:
        s = {k: f["summary"][k][()] for k in f["summary"]}
        ops = f["ops"]
        step = s["step_time"]
        assert step > 0
        assert np.isclose(s["tokens_per_s"], 8 * 128 / step)
        assert np.isclose(s["tokens_per_s_per_gpu"] * 8, s["tokens_per_s"])
        assert s["gpus"] == 8 and s["nodes"] == 1
        # No op beats its bound; no op ends after the step.
        assert np.all(ops["duration"][:] >= ops["bound"][:] * (1 - 1e-9))
        assert np.all(ops["end"][:] <= step * (1 + 1e-12))
        assert np.all(ops["start"][:] >= 0)
        assert s["roofline_ratio"] >= 1.0
        # The time split of the critical GPU adds up to the step.
        assert np.isclose(f["op_classes"]["time"][:].sum(), step, rtol=1e-9)
        assert np.isclose(f["op_classes"]["share"][:].sum(), 1.0)
        # Achieved rates stay under the chip's peaks.
        assert 0 < s["achieved_flops_per_gpu"] <= s["peak_flops_fp8_per_gpu"]
        assert 0 < s["hbm_bandwidth_per_gpu"] <= s["peak_hbm_bandwidth_per_gpu"] * (1 + 1e-9)
        util = f["links"]["utilisation"][:]
        assert np.all((util >= 0) & (util <= 1))
        # The bill of materials: its rows outside the nodes add up to the network's power and capital,
        # which IT power holds; every link of the links table's bundles is in one link row.
        bom = f["network/bom"]
        assert np.isclose(bom["power"][:].sum(), s["network_power"])
        assert np.isclose(bom["price"][:].sum(), s["network_capital"])
        assert s["it_power"] > s["network_power"] > 0
        category = bom["category"].asstr()[:]
        assert bom["count"][:][category == "link"].sum() == s["network_links"] == f["links"]["links"][:].sum() / 2
        # V3 at EP8 with 128 x 4K contexts per GPU does not fit an 80 GB H800.
        assert s["memory_fits"] == 0.0
        assert s["memory_required_per_gpu"] > s["memory_capacity_per_gpu"]


def test_same_seed_gives_identical_datasets(tmp_path, demo_h5):
    again = tmp_path / "again.h5"
    strata("run", DEMO, "-o", again, "-q", check=True)
    a, b = datasets(demo_h5), datasets(again)
    assert a.keys() == b.keys()
    for k in a:
        assert np.array_equal(a[k], b[k]), k
    assert demo_h5.read_bytes() == again.read_bytes()


def test_other_seed_changes_routing(tmp_path, demo_h5):
    other = tmp_path / "seed2.h5"
    strata("run", DEMO, "-o", other, "-q", "-p", "seed=2", check=True)
    with h5py.File(demo_h5, "r") as a, h5py.File(other, "r") as b:
        assert not np.array_equal(a["ops"]["duration"][:], b["ops"]["duration"][:])
        assert b["provenance"].attrs["seed"] == 2
