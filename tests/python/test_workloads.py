"""Scenario presets, the new result datasets, Chrome trace output, workload export and replay,
and `strata compare`, as a user runs them."""
import json

import h5py
import numpy as np
import pytest

from conftest import ROOT, strata

PRESETS = ["deepseek-v3-decode-ep144", "deepseek-v3-prefill-ep32", "deepseek-v3-training-2048", "llama-2-70b-tp8"]
SMALL_TRAINING = ["-p", "cluster.nodes=4", "-p", "parallel.pp=4", "-p", "parallel.attention_dp=8", "-p",
                  "parallel.ep=8", "-p", "workload.training.global_batch=64", "-p", "workload.model.layers=8"]


@pytest.mark.parametrize("name", PRESETS)
def test_presets_check(name):
    p = strata("check", f"configs/scenarios/{name}.yaml")
    assert p.returncode == 0, p.stderr


def summary(path):
    with h5py.File(path, "r") as f:
        return {k: f["summary"][k][()] for k in f["summary"]}


def test_decode_preset_runs_with_one_representative(tmp_path):
    out = tmp_path / "d.h5"
    p = strata("run", "configs/scenarios/deepseek-v3-decode-ep144.yaml", "-o", out, check=True)
    assert "simulated GPUs" in p.stdout
    s = summary(out)
    assert s["gpus"] == 144 and s["simulated_devices"] == 1
    # 128 requests per GPU, one token each plus 85% accepted MTP drafts.
    assert np.isclose(s["tokens_per_step"], 128 * 144 * 1.85)
    assert np.isclose(s["time_per_output_token"], s["step_time"] * 128 * 144 / s["tokens_per_step"])
    assert s["memory_fits"] == 1.0
    with h5py.File(out, "r") as f:
        assert f["devices"]["replicas"][0] == 144
        assert set(f["ops"]["micro_batch"][:]) == {0, 1}
        phases = {x.decode() for x in f["ops"]["phase"][:]}
        assert phases == {"decode", "mtp", "attn(F)", "mlp(F)", "dispatch(F)", "combine(F)"}  # DeepSeek's block phases


def test_training_reports_the_step_split(tmp_path):
    out = tmp_path / "t.h5"
    p = strata("run", "configs/scenarios/deepseek-v3-training-2048.yaml", "-o", out, *SMALL_TRAINING, check=True)
    assert "time by pass" in p.stdout and "MFU" in p.stdout
    s = summary(out)
    # Each pass counts the communication it leaves exposed; together with the bubble they are the step.
    parts = ["time_forward", "time_backward_input", "time_backward_weight", "time_optimizer",
             "time_concurrent_compute", "time_bubble"]
    assert np.isclose(sum(s[k] for k in parts), s["step_time"], rtol=1e-9)

    assert np.isclose(s["tokens_per_day"], s["tokens_per_s"] * 86400)
    assert 0 < s["mfu"] < 1 and s["mfu_fp8"] < s["mfu"]
    with h5py.File(out, "r") as f:
        rows = [x.decode() for x in f["passes"]["class"][:]]
        assert rows == ["forward", "backward_input", "backward_weight", "optimizer", "concurrent_compute", "bubble"]
        assert np.isclose(f["passes"]["time"][:].sum(), s["step_time"])
        # output.ops_table: critical keeps one GPU's rows.
        assert len(set(f["ops"]["device"][:])) == 1
        assert {x.decode() for x in f["ops"]["pass"][:]} >= {"forward", "backward_input", "backward_weight", "optimizer"}


def test_prefill_reports_time_to_first_token(tmp_path):
    out = tmp_path / "p.h5"
    strata("run", "configs/scenarios/deepseek-v3-prefill-ep32.yaml", "-o", out, "-q", "-p", "cluster.nodes=1",
           "-p", "parallel.attention_dp=8", "-p", "parallel.ep=8", "-p", "workload.model.layers=5",
           "-p", "workload.prefill.chunk=1024", "-p", "workload.prefill.kv_hit_rate=0.5", check=True)
    s = summary(out)
    assert np.isclose(s["time_to_first_token"], 2 * s["step_time"])  # 2048 new tokens in chunks of 1024
    assert np.isclose(s["input_tokens_per_s_with_cache"], 2 * s["tokens_per_s"])


def test_chrome_trace_and_workload_export_round_trip(tmp_path):
    out, chrome, graph = tmp_path / "r.h5", tmp_path / "timeline.json", tmp_path / "graph.json"
    p = strata("run", "configs/scenarios/llama-2-70b-tp8.yaml", "-o", out, "--trace-json", chrome,
               "--export-workload", graph, check=True)
    assert f"wrote {chrome}" in p.stdout and f"wrote {graph}" in p.stdout
    events = json.loads(chrome.read_text())["traceEvents"]
    spans = [e for e in events if e["ph"] == "X"]
    with h5py.File(out, "r") as f:
        assert len(spans) == f["ops"].attrs["rows"]
    assert {e["args"]["name"] for e in events if e["name"] == "thread_name"} == {"compute", "comm"}
    assert all(e["dur"] >= 0 and e["ts"] >= 0 for e in spans)
    doc = json.loads(graph.read_text())
    assert doc["format"] == "strata-trace" and doc["version"] == 1
    # Replaying the exported graph with model timing gives the same step.
    again = tmp_path / "again.h5"
    strata("run", "configs/scenarios/llama-2-70b-tp8.yaml", "-o", again, "-q", "-p", "workload.source=trace",
           "-p", f"workload.trace.file={graph}", "-p", "workload.trace.timing=model", check=True)
    assert summary(again)["step_time"] == summary(out)["step_time"]


def test_compare_measured_trace_with_its_replay(tmp_path):
    trace = ROOT / "tests/data/kineto/one_rank.json"
    out = tmp_path / "replay.h5"
    strata("run", "configs/scenarios/demo.yaml", "-o", out, "-q", "-p", "workload.source=trace",
           "-p", f"workload.trace.file={trace}", check=True)
    p = strata("compare", trace, out, "-o", tmp_path / "cmp.h5", check=True)
    out_lines = p.stdout.splitlines()
    assert out_lines[0] == "trace: 1 of 2 ranks (NVIDIA H800), 1 step(s), 10 kernels, 1 communication kernels of unknown size"
    # The demo node has 8 GPUs, the trace's NCCL world 2 ranks.
    assert out_lines[1].startswith("warning: the trace's NCCL world is 2 ranks")
    lines = {tuple(l.split()[:2]): l for l in out_lines}
    assert "+0.0%" in lines[("class", "attention")]
    assert "-" in lines[("class", "communication")].split()[-1]
    assert ("deepep", "ep_dispatch") in lines and ("busy", "compute") in lines
    with h5py.File(tmp_path / "cmp.h5", "r") as f:
        assert "compare" in f and f["compare"].attrs["rows"] == len(out_lines) - 4  # trace, warning, header, wrote
        assert f["warnings"]["warning"][0].decode().startswith("the trace's NCCL world is 2 ranks")


@pytest.mark.parametrize(
    "args, message",
    [
        (("compare", "tests/data/kineto/one_rank.json"), "strata: compare needs TRACE.json RESULT.h5"),
        (("run", "configs/scenarios/demo.yaml", "-p", "workload.source=trace", "-p",
          "workload.trace.file=tests/data/kineto/missing_stream.json"),
         "missing_stream.json: event #16 'flash_fwd_splitkv_mla_kernel<cutlass::bfloat16_t, 64, 64>' (cat kernel): "
         "missing field 'args.stream'"),
        (("check", "configs/scenarios/demo.yaml", "-p", "parallel.pp=2"),
         "parallel.attention_dp: attention_dp x tp x pp = 16 must equal the GPU count, 8 (1 node x 8 GPUs)"),
        (("check", "configs/scenarios/deepseek-v3-training-2048.yaml", "-p", "workload.training.global_batch=1280"),
         "workload.training.global_batch: DualPipe needs an even number of micro-batches, at least 2 x pp (32); "
         "this batch gives 10"),
        (("check", "configs/scenarios/demo.yaml", "-p", "workload.mtp.acceptance=1.5"),
         "workload.mtp.acceptance: '1.5' is out of range; allowed: 0 .. 1"),
    ],
)
def test_bad_workloads_exit_2(args, message):
    p = strata(*args)
    assert p.returncode == 2, p.stdout
    assert message in p.stderr


def test_same_seed_gives_identical_files_for_training_and_representative_decode(tmp_path):
    for scenario, extra in [("deepseek-v3-training-2048", SMALL_TRAINING),
                            ("demo", ["-p", "cluster.nodes=2", "-p", "parallel.attention_dp=16", "-p",
                                      "parallel.ep=16", "-p", "workload.simulate_ranks=representative",
                                      "-p", "parallel.micro_batches=2", "-p", "workload.moe_load.distribution=zipf"])]:
        a, b = tmp_path / f"{scenario}-a.h5", tmp_path / f"{scenario}-b.h5"
        for out in (a, b):
            strata("run", f"configs/scenarios/{scenario}.yaml", "-o", out, "-q", *extra, check=True)
        assert a.read_bytes() == b.read_bytes(), scenario
