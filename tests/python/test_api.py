"""strata.load / run / open: editable configs with the CLI's errors, runs in fresh processes with
bit-identical results, any result file read back into the same Result."""
import hashlib
import os
import stat
import threading
import time

import numpy as np
import pytest

import strata
from conftest import ROOT, datasets, strata as cli

DEMO = str(ROOT / "configs/scenarios/demo.yaml")


def digest(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def test_load_gives_attribute_and_item_access():
    cfg = strata.load(DEMO, {"workload.batch_per_gpu": 64})
    assert cfg.name == "demo"
    assert cfg.workload.batch_per_gpu == 64 and cfg["workload"]["batch_per_gpu"] == 64
    assert cfg["workload.model.name"] == "DeepSeek-V3"
    assert cfg.hardware.chip.clock == "1.83 GHz"  # values read as the resolved YAML writes them
    assert "chip" in cfg.hardware and "nothing" not in cfg.hardware
    assert set(cfg.keys()) >= {"name", "hardware", "cluster", "workload", "parallel"}
    with pytest.raises(AttributeError, match="hardware.chip.clok: no such key; did you mean 'clock'"):
        cfg.hardware.chip.clok
    assert strata.load(DEMO, ["workload.batch_per_gpu=64"]) == cfg
    assert repr(cfg) == "<strata.Config demo: 8 x H800 SXM5, DeepSeek-V3; 1 override(s)>"


def test_edits_validate_with_the_cli_messages():
    cfg = strata.load(DEMO)
    cfg.hardware.chip.clock = "1600 MHz"
    cfg["workload.kv_len"] = 2048
    cfg.update({"cluster.nodes": 2, "parallel.attention_dp": 16, "parallel.ep": 16})
    assert cfg.overrides == ["hardware.chip.clock=1600 MHz", "workload.kv_len=2048", "cluster.nodes=2",
                             "parallel.attention_dp=16", "parallel.ep=16"]
    text = cfg.to_yaml()
    assert "clock: 1.6 GHz\n" in text and "kv_len: 2048\n" in text and "nodes: 2\n" in text
    assert cfg.hardware.chip.clock == "1.6 GHz"  # normalised once validated

    cfg.workload.batch_per_gpu = 0
    with pytest.raises(strata.ConfigError) as e:
        cfg.validate()
    p = cli("check", DEMO, "-p", "workload.batch_per_gpu=0")
    assert p.returncode == 2 and str(e.value) == p.stderr.strip()
    assert (e.value.key, e.value.line, e.value.file) == ("workload.batch_per_gpu", 0, "workload.batch_per_gpu=0")
    cfg.revert()
    assert cfg.workload.batch_per_gpu == 128 and cfg.validate() is cfg


def test_errors_in_the_file_name_file_line_and_key(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(open(DEMO).read().replace("kv_len: 4096", "kv_len: -3").replace("base: ../", f"base: {ROOT}/configs/"))
    with pytest.raises(strata.ConfigError) as e:
        strata.load(bad)
    assert (e.value.file, e.value.line, e.value.column, e.value.key) == (str(bad), 18, 11, "workload.kv_len")
    assert str(e.value) == f"{bad}:18:11: error: workload.kv_len: '-3' is out of range; allowed: 1 .. 67108864"


def test_save_round_trips(tmp_path):
    cfg = strata.load(DEMO, {"seed": 7, "description": "a saved scenario: with a colon"})
    saved = cfg.save(tmp_path / "s.yaml")
    assert open(saved).read() == cfg.to_yaml()
    again = strata.load(saved)
    assert again == cfg and again.seed == 7 and again.description == "a saved scenario: with a colon"
    assert cli("check", saved).returncode == 0
    copy = cfg.copy()
    copy.seed = 8
    assert cfg.seed == 7 and copy.seed == 8


def test_run_matches_the_cli_byte_for_byte(tmp_path):
    r = strata.run(strata.load(DEMO), progress=False)
    out = tmp_path / "cli.h5"
    cli("run", DEMO, "-o", out, "-q", check=True)
    assert digest(r.path) == digest(out)
    mine = r.to_hdf5(tmp_path / "mine.h5")
    assert digest(mine) == digest(out)
    tps = r.summary["tokens_per_s"]
    assert isinstance(tps, float) and tps.unit == "tokens/s" and tps.description
    assert tps == pytest.approx(8 * 128 / r.summary["step_time"], rel=1e-12)
    assert r.provenance["scenario"] == "demo" and r.provenance["seed"] == 1
    assert r.config == strata.load(DEMO)


def test_result_tables_are_dataframes_with_units():
    r = strata.run(DEMO, progress=False)
    assert set(r.tables) >= {"ops", "devices", "links", "op_classes", "network/bom"}
    bom = r.tables["network/bom"]  # a table in a folder group, by its path
    assert bom.attrs["units"]["power"] == "W"
    assert bom.power.sum() == pytest.approx(float(r.summary["network_power"]), rel=1e-12)
    ops = r.ops
    assert len(ops) == r.tables["ops"].shape[0] > 1000
    assert ops.attrs["units"]["duration"] == "s" and ops["name"].iloc[0] == "embedding"
    assert ops["name"].iloc[1].startswith("L0.")
    assert (ops.duration >= ops.bound * (1 - 1e-9)).all()
    assert r.op_classes.time.sum() == pytest.approx(float(r.summary["step_time"]), rel=1e-9)
    u = r.utilisation
    assert set(u.table) == {"devices", "links"}
    assert len(u[u.table == "devices"]) == 8 and ((u.value >= 0) & (u.value <= 1)).all()
    cols = r.arrays("devices")
    assert isinstance(cols["compute_busy"], np.ndarray) and cols["compute_busy"].shape == (8,)
    assert r.power.attrs["units"]["power"] == "W"
    with pytest.raises(KeyError, match="no table 'thermal'"):
        r.arrays("thermal")
    frame = r.summary_frame()
    assert frame.loc["step_time", "unit"] == "s"


def test_fifty_runs_in_one_process_are_bit_identical():
    cfg = strata.load(DEMO)
    first = strata.run(cfg, progress=False)
    reference = datasets(first.path)
    reference_digest = digest(first.path)
    for _ in range(49):
        r = strata.run(cfg, progress=False)
        assert digest(r.path) == reference_digest
    last = datasets(r.path)
    assert last.keys() == reference.keys()
    assert all(np.array_equal(last[k], reference[k]) for k in reference)


def test_a_run_releases_the_gil_and_reports_progress():
    seen = []
    ticks = 0
    done = threading.Event()

    def count():
        nonlocal ticks
        while not done.is_set():
            ticks += 1
            time.sleep(0.001)

    t = threading.Thread(target=count)
    t.start()
    try:
        strata.run(strata.load(DEMO, {"cluster.nodes": 4, "parallel.attention_dp": 32, "parallel.ep": 32}),
                   progress=lambda f, stage: seen.append((f, stage)))
    finally:
        done.set()
        t.join()
    assert ticks > 20  # the other thread ran while the simulation did
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert [s for _, s in seen][0] == "workload" and "simulate" in {s for _, s in seen}


def test_runs_from_threads_are_identical():
    cfg = strata.load(DEMO, {"workload.batch_per_gpu": 32})
    out = [None] * 4

    def work(i):
        out[i] = digest(strata.run(cfg, progress=False).path)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(out)) == 1 and out[0] is not None


def test_a_failed_run_raises_and_leaves_nothing(tmp_path, monkeypatch):
    fake = tmp_path / "strata"
    fake.write_text("#!/bin/sh\necho 'strata: failed: op priced below its bound' >&2\nexit 1\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("STRATA_EXECUTABLE", str(fake))
    with pytest.raises(strata.SimulationError) as e:
        strata.run(DEMO, progress=False)
    assert e.value.returncode == 1 and e.value.message == "strata: failed: op priced below its bound"


def test_open_reads_any_strata_file(tmp_path, demo_h5):
    r = strata.open(demo_h5)
    assert r.attrs["format"] == "strata-result" and "decode step" in r.title
    assert r.summary["gpus"] == 8
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "a.yaml").write_text(
        f"version: 1\narea: A\ncases:\n  - {{name: peak, kind: hardware_figures, params: {{hardware: {{base: "
        f"{ROOT}/configs/hw/h100-sxm.yaml}}}}, metric: peak_flops_bf16, published: 989 TFLOP/s, source: x, "
        f"tolerance: 1%}}\n")
    cli("validate", "--cases", cases, "-o", tmp_path / "v.h5", check=True)
    v = strata.open(tmp_path / "v.h5")
    assert v.tables["validation"]["status"].tolist() == ["OK"]
    assert v.config is None
    other = tmp_path / "other.h5"
    import h5py

    h5py.File(other, "w").close()
    with pytest.raises(ValueError, match="not a strata file"):
        strata.open(other)
    with pytest.raises(OSError, match="cannot open as HDF5"):
        strata.open(tmp_path / "missing.h5")


def test_run_directories_are_removed_with_their_results():
    r = strata.run(DEMO, progress=False)
    d = os.path.dirname(r.path)
    assert os.path.isdir(d)
    del r
    import gc

    gc.collect()
    assert not os.path.exists(d)
