"""scripts/bench_report (`make bench`) on a tiny input: one flow and one packet benchmark for a
moment each, the demo as the only preset and 8- and 16-GPU scaling points at analytical
fidelity, so the generator of docs/performance.md cannot rot (the real run takes minutes)."""
import importlib.machinery
import importlib.util
import json
import subprocess

import pytest

from conftest import BUILD, ROOT

SCRIPT = ROOT / "scripts/bench_report"


def load_script():
    loader = importlib.machinery.SourceFileLoader("bench_report", str(SCRIPT))
    spec = importlib.util.spec_from_loader("bench_report", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def test_fit_exponent_and_units():
    br = load_script()
    assert br.fit_exponent([8, 64, 512], [1.0, 8.0, 64.0]) == pytest.approx(1.0)
    assert br.fit_exponent([8, 16, 32, 64], [3.0, 3.0, 3.0, 3.0]) == pytest.approx(0.0)
    assert br.fit_exponent([8, 8], [1.0, 2.0]) is None
    assert br.si(2.35214e-6, "s") == "2.35 µs" and br.si(1.5, "s") == "1.5 s" and br.si(0, "s") == "0 s"
    assert br.count(1.05586e6) == "1.06 M"


@pytest.mark.skipif(not (BUILD / "bench" / "strata_bench").exists(), reason="strata_bench not built")
def test_tiny_report(tmp_path):
    out, png, data = tmp_path / "doc" / "performance.md", tmp_path / "doc" / "scaling.png", tmp_path / "m.json"
    p = subprocess.run(
        ["/usr/bin/python3", SCRIPT, "--build", BUILD, "--out", out, "--plot", png, "--json", data,
         "--benchmark-filter", "^BM_(Flow|Packet)RingAllReduce32/", "--benchmark-min-time", "0.01",
         "--presets", "demo", "--scaling-gpus", "8,16", "--all-ranks-gpus", "8", "--fidelity", "analytical"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    m = json.loads(data.read_text())

    b = m["bench"]["benchmarks"]
    assert set(b) == {"BM_FlowRingAllReduce32", "BM_PacketRingAllReduce32"}
    flow, packet = b["BM_FlowRingAllReduce32"], b["BM_PacketRingAllReduce32"]
    for r in (flow, packet):
        assert r["iterations"] >= 1 and r["simulated_s"] > 0 and r["time_s"] > 0
        assert r["sim_per_wall"] == pytest.approx(r["simulated_s"] / r["time_s"], rel=1e-6)
        assert r["slowdown"] == pytest.approx(1 / r["sim_per_wall"], rel=1e-6)
    # The same ring on both backends (tests/systemc/test_packet_network.cpp holds them within 2%).
    assert packet["simulated_s"] == pytest.approx(flow["simulated_s"], rel=0.02)

    (demo,) = m["presets"]
    assert demo["preset"] == "demo" and demo["kernels_simulated"] == 0
    for run in ("cold", "warm", "analytical"):
        r = demo[run]
        assert r["gpus"] == 8 and r["fidelity"] == "analytical" and r["step_time_s"] > 0
        assert r["wall_s"] > 0 and r["cpu_s"] > 0 and r["max_rss_bytes"] > 10 * 2**20
    assert [r["gpus"] for r in m["scaling"]] == [8, 16]
    assert [r["warm"]["simulated_devices"] for r in m["scaling"]] == [1, 1]
    assert [r["warm"]["simulated_devices"] for r in m["all_ranks"]] == [8]

    doc = out.read_text()
    for heading in ("# Simulator performance", "## Simulated time per wall-clock second, by model",
                    "## Flow and packet backends on the same schedule", "## DeepSeek presets: wall time and memory",
                    "## Wall-time growth with cluster size"):
        assert heading in doc
    assert "ring all-reduce of 256 MiB, 32 GPUs on 4 nodes" in doc and "`demo`" in doc
    assert "fitted exponent: wall time ∝ GPUs^" in doc and "cores" in doc and "make bench" in doc
    assert "![wall time against GPUs, log-log](scaling.png)" in doc
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
