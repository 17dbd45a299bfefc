"""`strata hbm`: the cycle-level HBM model from the command line, its HDF5 result and its errors."""
import h5py
import yaml

from conftest import ROOT, strata

HBM3 = ROOT / "configs/hbm/hbm3.yaml"
H800 = ROOT / "configs/hw/h800-sxm.yaml"


def experiment(tmp_path, body):
    p = tmp_path / "exp.yaml"
    p.write_text("version: 1\n" + body)
    return p


def test_writes_summary_and_channel_table(tmp_path):
    e = experiment(tmp_path, f"memory: {{base: {HBM3}}}\n"
                             "traffic: {pattern: sequential, outstanding: 1024, requests: 20000}\n")
    out = tmp_path / "hbm.h5"
    p = strata("hbm", e, "-o", out, check=True)
    assert "cycle-level hbm3 memory, 1 stack, sequential stream" in p.stdout
    with h5py.File(out, "r") as f:
        s = {k: f["summary"][k][()] for k in f["summary"]}
        assert s["protocol_violations"] == 0 and s["protocol_commands"] > 40000
        assert s["peak_bandwidth"] == 1024 * 6.4e9 / 8
        assert 0.5 * s["peak_bandwidth"] < s["bandwidth"] <= s["peak_bandwidth"]
        assert s["bytes"] == 20000 * 64 and s["requests"] == 20000
        assert f["summary/bandwidth"].attrs["units"] == "B/s"
        assert f["summary/read_latency_p99"].attrs["units"] == "s"
        t = f["hbm_channels"]
        assert t.attrs["rows"] == 32
        cols = list(t)
        assert cols[:4] == ["stack", "channel", "pseudo_channel", "reads"]
        for c in ["bytes", "bandwidth", "row_hit_rate", "commands_act", "commands_refab",
                  "refresh_time", "read_queue_mean", "read_latency_mean", "read_latency_p99"]:
            assert c in cols
        assert t["bytes"].attrs["units"] == "B" and t["refresh_time"].attrs["units"] == "s"
        assert sum(t["bytes"][()]) == 20000 * 64
        assert sum(t["reads"][()]) == 20000
        assert sorted(set(t["channel"][()])) == list(range(16))
        assert all(0.9 < r < 1 for r in t["row_hit_rate"][()])  # 15 of 16 requests per row hit
        cfg = yaml.safe_load(f["config"][()].decode())
        assert cfg["memory"]["timing"]["tRCD_RD"] == "19.375 ns"
        assert cfg["traffic"]["requests"] == 20000
        assert f["provenance"].attrs["fidelity"] == "cycle"


def test_node_preset_and_overrides(tmp_path):
    e = experiment(tmp_path, f"hardware: {{base: {H800}}}\n"
                             "traffic: {pattern: random, outstanding: 256, requests: 5000}\n")
    out = tmp_path / "h800.h5"
    strata("hbm", e, "-o", out, "-q", "-p", "hardware.memory.controller.refresh=per_bank", check=True)
    with h5py.File(out, "r") as f:
        t = f["hbm_channels"]
        assert t.attrs["rows"] == 160
        assert sum(t["commands_refab"][()]) == 0 and sum(t["commands_refpb"][()]) > 0
        assert f["summary/row_hit_rate"][()] < 0.01


def test_same_inputs_give_identical_files(tmp_path):
    e = experiment(tmp_path, f"memory: {{base: {HBM3}}}\n"
                             "traffic: {pattern: random, read_fraction: 0.7, requests: 8000, seed: 5}\n")
    a, b = tmp_path / "a.h5", tmp_path / "b.h5"
    strata("hbm", e, "-o", a, "-q", check=True)
    strata("hbm", e, "-o", b, "-q", check=True)
    assert a.read_bytes() == b.read_bytes()
    c = tmp_path / "c.h5"
    strata("hbm", e, "-o", c, "-q", "-p", "traffic.seed=6", check=True)
    assert c.read_bytes() != a.read_bytes()


def test_bad_experiments_exit_2_with_the_position(tmp_path):
    e = experiment(tmp_path, f"memory: {{base: {HBM3}}}\nhardware: {{base: {H800}}}\ntraffic: {{}}\n")
    p = strata("hbm", e, "-o", tmp_path / "x.h5")
    assert p.returncode == 2
    assert p.stderr.strip() == (f"{e}:3:1: error: hardware: give exactly one of memory: (an HBM preset) "
                                "or hardware: (a node preset)")
    e = experiment(tmp_path, f"memory: {{base: {HBM3}}}\ntraffic: {{patern: random}}\n")
    p = strata("hbm", e)
    assert p.returncode == 2
    assert p.stderr.strip() == (f"{e}:3:11: error: traffic.patern: unknown key; did you mean 'pattern'? "
                                "(allowed here: pattern, read_fraction, request_size, outstanding, "
                                "requests, seed, start, footprint)")
    e = experiment(tmp_path, f"memory: {{base: {HBM3}, controller: {{address_mapping: row bank}}}}\ntraffic: {{}}\n")
    p = strata("hbm", e)
    assert p.returncode == 2
    assert "memory.controller.address_mapping: field 'stack' is missing" in p.stderr
    assert not (tmp_path / "x.h5").exists()


def test_validate_lists_the_hbm_kind():
    p = strata("validate", "--kinds")
    assert "hbm_stream:" in p.stdout and "read_latency_p50 (time)" in p.stdout


def test_shipped_experiment_runs(tmp_path):
    out = tmp_path / "e.h5"
    p = strata("hbm", "configs/experiments/hbm-h800-sequential.yaml", "-o", out,
               "-p", "traffic.requests=20000", check=True)
    assert "5 stacks, sequential stream" in p.stdout and f"wrote {out}" in p.stdout
