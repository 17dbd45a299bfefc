"""Sweeps: files per point and a merged summary, identical across worker counts and Dask,
resumable after a kill, failing and invalid points recorded, clear errors for bad input."""
import csv
import os
import random
import signal
import stat
import subprocess
import time

import numpy as np
import pytest

import strata
from conftest import ROOT, STRATA, datasets, strata as cli

DEMO = ROOT / "configs/scenarios/demo.yaml"


def write_sweep(path, axes, extra="", layers=4):
    """A sweep over the demo scenario, cut to `layers` layers so points run in milliseconds."""
    path.write_text(f"version: 1\nname: {path.stem}\nscenario: {DEMO}\n"
                    f"overrides: {{workload.model.layers: {layers}}}\naxes:\n{axes}{extra}")
    return path


GRID = ("  - {key: workload.batch_per_gpu, name: batch, values: [16, 24, 32]}\n"
        "  - zip:\n"
        "      - {key: cluster.nodes, values: [1, 2]}\n"
        "      - {key: parallel.attention_dp, values: [8, 16]}\n"
        "      - {key: parallel.ep, name: ep, values: [8, 16]}\n")


@pytest.fixture(scope="module")
def grid_sweep(tmp_path_factory):
    d = tmp_path_factory.mktemp("grid")
    return write_sweep(d / "grid.yaml", GRID), d


@pytest.fixture(scope="module")
def local_run(grid_sweep):
    spec, d = grid_sweep
    return strata.sweep(spec, d / "local2", workers=2, progress=False)


@pytest.fixture(scope="module")
def dask_cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        yield cluster


def test_summary_has_a_row_per_point_and_a_column_per_axis_and_metric(local_run):
    s = local_run.summary
    assert len(s) == 6 and local_run.ran == 6
    assert list(s.columns[:6]) == ["point", "batch", "cluster.nodes", "parallel.attention_dp", "ep", "status"]
    assert s.batch.tolist() == [16, 16, 24, 24, 32, 32] and s.ep.tolist() == [8, 16] * 3
    assert (s.status == "ok").all() and (s.error == "").all()
    for metric in ("step_time", "tokens_per_s", "time_per_output_token", "memory_fits"):
        assert metric in s.columns
    assert s.attrs["units"]["tokens_per_s"] == "tokens/s" and s.attrs["units"]["batch"] == "1"
    # Each row is the point's own summary.
    p3 = local_run.point(3)
    assert p3.summary["tokens_per_s"] == s.tokens_per_s[3]
    assert p3.config.workload.batch_per_gpu == 24 and p3.config.parallel.ep == 16
    assert s.tokens_per_s[3] == pytest.approx(16 * 24 / s.step_time[3], rel=1e-12)
    # The CSV holds the same table.
    rows = list(csv.DictReader(open(os.path.join(local_run.dir, "summary.csv"))))
    assert [r["point"] for r in rows] == [str(i) for i in range(6)]
    assert [float(r["tokens_per_s"]) for r in rows] == s.tokens_per_s.tolist()
    summary = strata.open(os.path.join(local_run.dir, "summary.h5"))
    assert summary.attrs["format"] == "strata-sweep" and summary.summary["ok"] == 6


def test_a_point_file_is_what_strata_run_writes(local_run, tmp_path):
    cfg = os.path.join(local_run.dir, "configs", "0004.yaml")
    out = tmp_path / "p4.h5"
    cli("run", cfg, "-o", out, "-q", check=True)
    assert out.read_bytes() == open(os.path.join(local_run.dir, "points", "0004.h5"), "rb").read()


def assert_same_sweep(a, b):
    for name in sorted(os.listdir(os.path.join(a, "points"))):
        assert open(os.path.join(a, "points", name), "rb").read() == \
            open(os.path.join(b, "points", name), "rb").read(), name
    sa, sb = datasets(os.path.join(a, "summary.h5")), datasets(os.path.join(b, "summary.h5"))
    assert sa.keys() == sb.keys()
    for k in sa:
        assert np.array_equal(sa[k], sb[k]) or (sa[k].dtype.kind == "f" and np.array_equal(sa[k], sb[k], equal_nan=True)), k
    assert open(os.path.join(a, "summary.csv")).read() == open(os.path.join(b, "summary.csv")).read()


def test_worker_count_and_dask_give_identical_results(grid_sweep, local_run, dask_cluster):
    spec, d = grid_sweep
    one = strata.sweep(spec, d / "local1", workers=1, progress=False)
    assert_same_sweep(local_run.dir, one.dir)
    on_dask = strata.sweep(spec, d / "dask", scheduler=dask_cluster.scheduler_address, progress=False)
    assert on_dask.ran == 6
    assert_same_sweep(local_run.dir, on_dask.dir)


def test_seeded_routing_both_backends_and_phases_are_identical_everywhere(tmp_path, dask_cluster):
    # What could differ between processes: seeded expert routing, the SystemC packet network,
    # prefill's chunked attention; run twice locally (1 and 3 workers) and on Dask.
    spec = tmp_path / "mixed.yaml"
    spec.write_text(f"version: 1\nname: mixed\nscenario: {DEMO}\n"
                    "overrides: {workload.model.layers: 4, workload.prefill.tokens_per_gpu: 4096}\naxes:\n"
                    "  - {key: network.backend, values: [flow, packet]}\n"
                    "  - {key: workload.phase, values: [decode, prefill]}\n"
                    "  - {key: seed, values: [1, 7]}\n")
    runs = [strata.sweep(spec, tmp_path / "one", workers=1, progress=False),
            strata.sweep(spec, tmp_path / "three", workers=3, progress=False),
            strata.sweep(spec, tmp_path / "dask", scheduler=dask_cluster.scheduler_address, progress=False)]
    assert (runs[0].summary.status == "ok").all() and len(runs[0].summary) == 8
    # Different seeds route differently (so the comparison below is not vacuous).
    s = runs[0].summary
    assert s.step_time[0] != s.step_time[1]
    for r in runs[1:]:
        assert_same_sweep(runs[0].dir, r.dir)


def test_a_finished_sweep_runs_nothing_again(grid_sweep, local_run):
    spec, d = grid_sweep
    again = strata.sweep(spec, d / "local2", workers=2, progress=False)
    assert again.ran == 0 and (again.summary.status == "ok").all()


def wait_for_points(directory, n, proc, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = [f for f in os.listdir(directory) if f.endswith(".h5")] if os.path.isdir(directory) else []
        if len(done) >= n:
            return
        assert proc.poll() is None, proc.stderr.read()
        time.sleep(0.005)
    raise AssertionError(f"fewer than {n} points after {timeout} s")


def settled_count(directory, quiet=1.0, timeout=30):
    """Number of finished points once no new one has appeared for `quiet` seconds."""
    count, since, deadline = -1, time.monotonic(), time.monotonic() + timeout
    while time.monotonic() < deadline:
        now = len([f for f in os.listdir(directory) if f.endswith(".h5")])
        if now != count:
            count, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return count
        time.sleep(0.05)
    raise AssertionError("points kept appearing")


def test_a_killed_sweep_resumes_and_loses_nothing_on_dask(tmp_path, dask_cluster):
    # Full-size points (about 0.1 s each), one worker, so the kill lands mid-sweep. Only the
    # client dies: points already on Dask workers finish in the background, as after a crash.
    spec = write_sweep(tmp_path / "kill.yaml", "  - {key: workload.batch_per_gpu, range: {from: 8, to: 128, step: 8}}\n",
                       layers=61)
    out = tmp_path / "out"
    args = [STRATA, "sweep", spec, "-o", out, "--workers", "1", "-q", "--scheduler", dask_cluster.scheduler_address]
    proc = subprocess.Popen(list(map(str, args)), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wait_for_points(out / "points", 3, proc)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    finished = settled_count(out / "points")
    assert 3 <= finished < 16
    assert not (out / "summary.h5").exists()

    p = cli("sweep", spec, "-o", out, "--workers", "2")
    assert p.returncode == 0, p.stderr
    ran = int(p.stdout.split("; ran ")[1].split()[0])
    assert ran == 16 - finished
    s = strata.open(out / "summary.h5").tables["points"]
    assert (s.status == "ok").all() and len(s) == 16
    # Nothing was lost or corrupted: every point equals an uninterrupted run of it.
    for i in (0, finished - 1, 15):
        ref = tmp_path / f"ref{i}.h5"
        cli("run", out / "configs" / f"{i:04d}.yaml", "-o", ref, "-q", check=True)
        assert ref.read_bytes() == (out / "points" / f"{i:04d}.h5").read_bytes()


def assert_only_whole_files(out, reference):
    """After a kill: every file at a final path is complete (a point equals the uninterrupted
    sweep's point byte for byte; a summary opens); temporary files are hidden."""
    for sub in ("points", "configs"):
        for name in os.listdir(out / sub) if (out / sub).exists() else []:
            if name.startswith(".") and ".tmp-" in name:
                continue
            assert (out / sub / name).read_bytes() == (reference / sub / name).read_bytes(), name
    for name in os.listdir(out):
        assert (out / name).is_dir() or (name.startswith(".") and ".tmp-" in name) or \
            name in ("plan.json", "summary.h5", "summary.csv"), name
    if (out / "summary.h5").exists():
        datasets(out / "summary.h5")  # opens and reads


def test_a_sweep_killed_at_random_moments_resumes_to_identical_results(tmp_path):
    # The sweep and every strata process it started die at once (SIGKILL to the process group,
    # as in a power cut), ten times at seeded random moments; the sweep then finishes, and its
    # points and summary equal those of a sweep that was never interrupted.
    spec = write_sweep(tmp_path / "kill.yaml", "  - {key: workload.batch_per_gpu, range: {from: 8, to: 96, step: 8}}\n",
                       layers=61)
    reference = tmp_path / "reference"
    start = time.monotonic()
    assert cli("sweep", spec, "-o", reference, "--workers", "2", "-q").returncode == 0
    duration = time.monotonic() - start
    out = tmp_path / "out"
    rng = random.Random(20261122)

    def finished():
        return len([f for f in os.listdir(out / "points") if f.endswith(".h5")]) if (out / "points").exists() else 0

    done = []
    for _ in range(10):
        before = finished()
        proc = subprocess.Popen(list(map(str, [STRATA, "sweep", spec, "-o", out, "--workers", "2", "-q"])),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        # A random moment that does not depend on the machine's speed: after 0, 1 or 2 more
        # points have landed (0: during start-up), plus up to a twelfth of a whole sweep.
        more = rng.choice([0, 1, 2])
        while finished() < before + more and proc.poll() is None:
            time.sleep(0.005)
        time.sleep(rng.uniform(0.0, duration / 12))
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass  # it finished first
        proc.wait()
        assert_only_whole_files(out, reference)
        done.append(finished())
    assert any(0 < n < 12 for n in done), done  # at least one kill landed between points
    p = cli("sweep", spec, "-o", out, "--workers", "2", "-q")
    assert p.returncode == 0, p.stderr
    assert_same_sweep(reference, out)
    assert (strata.open(out / "summary.h5").tables["points"].status == "ok").all()


def test_ctrl_c_leaves_a_summary_and_no_failures(tmp_path):
    spec = write_sweep(tmp_path / "int.yaml", "  - {key: workload.batch_per_gpu, range: {from: 8, to: 128, step: 8}}\n",
                       layers=61)
    out = tmp_path / "out"
    proc = subprocess.Popen(list(map(str, [STRATA, "sweep", spec, "-o", out, "--workers", "2", "-q"])),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    wait_for_points(out / "points", 2, proc)
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C does: the sweep and its strata processes
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "interrupted; run the same command again to resume" in err
    s = strata.open(out / "summary.h5").tables["points"]
    done = int((s.status == "ok").sum())
    assert set(s.status) <= {"ok", "pending"} and 2 <= done < 16
    assert not [f for f in os.listdir(out / "points") if not f.endswith(".h5")]  # no errors, no temp files
    p = cli("sweep", spec, "-o", out, "-q")
    assert p.returncode == 0 and (strata.open(out / "summary.h5").tables["points"].status == "ok").all()


def test_failing_and_invalid_points_are_recorded_and_the_sweep_goes_on(tmp_path, monkeypatch):
    spec = write_sweep(tmp_path / "bad.yaml", "  - {key: parallel.ep, values: [8, 3, 4]}\n"
                       "  - {key: workload.batch_per_gpu, values: [16, 24]}\n")
    # A strata that fails on batch 24 (a run-time failure the schema cannot see).
    fake = tmp_path / "strata"
    fake.write_text(f"#!/bin/sh\nif grep -q 'batch_per_gpu: 24' \"$2\"; then\n"
                    f"  echo 'strata: failed: injected failure' >&2; exit 1\nfi\nexec {STRATA} \"$@\"\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("STRATA_EXECUTABLE", str(fake))
    r = strata.sweep(spec, tmp_path / "out", workers=2, progress=False)
    s = r.summary
    assert s.status.tolist() == ["ok", "failed", "invalid", "invalid", "ok", "failed"]
    assert s.error[1] == "strata: failed: injected failure"
    assert s.error[2] == f"{spec}:6:36: error: parallel.ep: 3 must divide the GPU count, 8 (1 node x 8 GPUs)"
    assert np.isnan(s.step_time[1]) and s.step_time[4] > 0
    assert open(tmp_path / "out" / "points" / "0001.error").read() == "strata: failed: injected failure\n"
    # Failed points stay failed on a plain restart, and run again with retry_failed.
    monkeypatch.delenv("STRATA_EXECUTABLE")
    assert strata.sweep(spec, tmp_path / "out", progress=False).ran == 0
    again = strata.sweep(spec, tmp_path / "out", retry_failed=True, progress=False)
    assert again.ran == 2 and again.summary.status.tolist() == ["ok", "ok", "invalid", "invalid", "ok", "ok"]
    assert not (tmp_path / "out" / "points" / "0001.error").exists()


def test_progress_bar_shows_done_failed_rate_and_time_left(tmp_path, capsys):
    spec = write_sweep(tmp_path / "p.yaml", "  - {key: workload.batch_per_gpu, values: [16, 32]}\n")
    strata.sweep(spec, tmp_path / "out", workers=1, progress=True)
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("sweep p [########################] 100%  2/2 done, 0 failed | ")
    assert err[-1].endswith(" points/s | 0 s left")


def test_sweep_from_a_dict(tmp_path):
    r = strata.sweep({"name": "d", "scenario": str(DEMO), "overrides": {"workload.model.layers": 4},
                      "axes": [{"key": "seed", "values": [1, 2]}]}, tmp_path / "out", progress=False)
    assert r.summary.seed.tolist() == [1, 2] and (tmp_path / "out" / "sweep.yaml").exists()


def test_another_sweep_in_the_same_directory_is_refused(tmp_path):
    a = write_sweep(tmp_path / "a.yaml", "  - {key: seed, values: [1]}\n")
    b = write_sweep(tmp_path / "b.yaml", "  - {key: seed, values: [2]}\n")
    strata.sweep(a, tmp_path / "out", progress=False)
    with pytest.raises(strata.SweepError, match="holds results of a different sweep"):
        strata.sweep(b, tmp_path / "out", progress=False)
    p = cli("sweep", b, "-o", tmp_path / "out")
    assert p.returncode == 2 and "holds results of a different sweep" in p.stderr


def test_cli_errors_and_listing(tmp_path):
    bad = write_sweep(tmp_path / "bad.yaml", "  - {key: seed, valus: [1]}\n")
    p = cli("sweep", bad, "-o", tmp_path / "out")
    assert p.returncode == 2
    assert p.stderr.strip() == (f"{bad}:6:17: error: axes.0.valus: unknown key; did you mean 'values'? "
                                "(allowed here: key, name, values, range, sample, zip)")
    assert not (tmp_path / "out").exists()
    good = write_sweep(tmp_path / "good.yaml", "  - {key: seed, values: [1, 2]}\n", extra="constraints: [seed > 1]\n")
    p = cli("sweep", good, "--list")
    assert p.returncode == 0
    assert p.stdout.splitlines()[1:] == ["point\tseed\tstatus", "0\t2\tok"]
    assert "1 points (grid 2, 1 ruled out by constraints)" in p.stdout
    p = cli("sweep", good, "-o", tmp_path / "o", "--workers", "0")
    assert p.returncode == 2 and p.stderr.startswith("strata: --workers takes a whole number from 1 to 4096, not '0'")
    p = cli("sweep", good)
    assert p.returncode == 2 and p.stderr.startswith("strata: sweep needs an output directory: -o DIR")
    p = cli("sweep", good, "-o", tmp_path / "o")
    assert p.returncode == 0, p.stderr
    assert p.stdout.startswith("sweep good: 1 points: 1 ok, 0 failed, 0 invalid; ran 1 in ")
