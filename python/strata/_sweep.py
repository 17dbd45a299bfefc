"""Sweeps: the points of a sweep file, run by local worker processes or on a Dask cluster.

The C++ core expands the file (``_core.plan_sweep``: axes, samples, constraints, each point's
resolved scenario). This module runs the points and keeps a sweep directory::

    plan.json             the expanded points; a restart checks it is the same sweep
    configs/NNNN.yaml     each point's resolved scenario (``strata run configs/0007.yaml``)
    points/NNNN.h5        each finished point's result, written atomically by strata
    points/NNNN.error     each failed point's error message, written atomically
    summary.h5, .csv      one row per point: axes, status, error, every summary metric

A point is finished when its ``.h5`` exists, so a sweep that is killed and started again
runs only what is missing. Each point runs in its own ``strata run`` process (the same binary
for every worker), so its file does not depend on the worker count or on Dask.
"""
import concurrent.futures
import hashlib
import json
import os
import signal
import time
import uuid

from . import _core
from ._atomic import write_text_atomic
from ._layout import point_paths
from .progress import Bar
from .runner import SimulationError, executable, simulate
from .sweep_summary import SUMMARY_CSV, SUMMARY_H5, write_summary


class SweepError(ValueError):
    """A sweep that cannot start, e.g. an output directory that holds another sweep."""


# A point whose strata process was stopped by one of these was interrupted, not failed: it
# stays pending and runs when the sweep is started again.
_STOPPED = {-signal.SIGINT, -signal.SIGTERM, -signal.SIGHUP, -signal.SIGKILL}


def _run_point(exe, scenario_path, out_path, error_path):
    """Runs one point (in a worker thread or on a Dask worker); returns (ok, message), ok None
    when the point was interrupted."""
    try:
        simulate(scenario_path, out_path, exe=exe)
    except SimulationError as e:
        if e.returncode in _STOPPED:
            return None, e.message
        write_text_atomic(error_path, e.message + "\n")
        return False, e.message
    except Exception as e:  # noqa: BLE001 - any failure of a point is recorded, the sweep goes on
        message = f"{type(e).__name__}: {e}"
        write_text_atomic(error_path, message + "\n")
        return False, message
    if os.path.exists(error_path):
        os.unlink(error_path)  # failed before, fine now
    return True, ""


class SweepResult:
    """A finished (or interrupted) sweep: ``dir``, ``summary`` (DataFrame, one row per point),
    ``point(i)`` (a :class:`~strata.Result`), ``ran`` (points run by this call), ``wall_time_s``."""

    def __init__(self, directory, plan, ran=0, wall_time_s=0.0):
        self.dir = directory
        self.name = plan["name"]
        self.axes = [a["name"] for a in plan["axes"]]
        self.ran = ran
        self.wall_time_s = wall_time_s
        self._summary = None

    @property
    def summary(self):
        if self._summary is None:
            from .result import open as open_result

            self._summary = open_result(os.path.join(self.dir, SUMMARY_H5)).tables["points"]
        return self._summary

    @property
    def counts(self):
        return self.summary["status"].value_counts().to_dict()

    @property
    def points_per_s(self):
        return self.ran / self.wall_time_s if self.wall_time_s > 0 else float("nan")

    def point(self, index):
        from .result import open as open_result

        return open_result(point_paths(self.dir, index, len(self.summary))[1])

    def __repr__(self):
        counts = ", ".join(f"{v} {k}" for k, v in sorted(self.counts.items()))
        return f"<strata.SweepResult {self.name}: {len(self.summary)} points ({counts}) in {self.dir}>"


def _plan_record(plan):
    """What identifies a sweep's points (paths may differ between a run and its restart)."""
    return {
        "axes": plan["axes"],
        "points": [{"index": p["index"], "values": p["texts"], "error": p["error"],
                    "scenario_sha256": hashlib.sha256(p["scenario"].encode()).hexdigest()}
                   for p in plan["points"]],
    }


def _prepare(directory, plan):
    record = _plan_record(plan)
    plan_file = os.path.join(directory, "plan.json")
    if os.path.exists(plan_file):
        with open(plan_file, encoding="utf-8") as f:
            old = json.load(f)
        if {k: old.get(k) for k in record} != record:
            raise SweepError(f"{directory} holds results of a different sweep (its plan.json does not match "
                             f"{plan['file']}); give another -o directory or remove it")
    os.makedirs(os.path.join(directory, "configs"), exist_ok=True)
    os.makedirs(os.path.join(directory, "points"), exist_ok=True)
    for p in plan["points"]:
        cfg = point_paths(directory, p["index"], len(plan["points"]))[0]
        if p["scenario"] and not os.path.exists(cfg):
            write_text_atomic(cfg, p["scenario"])
    if not os.path.exists(plan_file):
        meta = {"format": "strata-sweep-plan", "version": 1, "name": plan["name"], "file": plan["file"],
                "scenario": plan["scenario"], "grid_points": plan["grid_points"], "skipped": plan["skipped"],
                "constraints": plan["constraints"]}
        write_text_atomic(plan_file, json.dumps({**meta, **record}, indent=1) + "\n")


def _statuses(directory, plan, retry_failed):
    """Status of every point from the files in the directory: ok, failed, invalid or pending."""
    status, errors = {}, {}
    n = len(plan["points"])
    for p in plan["points"]:
        i = p["index"]
        _, h5, err = point_paths(directory, i, n)
        if p["error"]:
            status[i], errors[i] = "invalid", p["error"]
        elif os.path.exists(h5):
            status[i] = "ok"
        elif os.path.exists(err) and not retry_failed:
            with open(err, encoding="utf-8", errors="replace") as f:
                status[i], errors[i] = "failed", f.read().strip()
        else:
            status[i] = "pending"
    return status, errors


def _spec_file(spec, directory):
    """The sweep file to plan: a path as given, or a dict written to DIR/sweep.yaml (its
    ``scenario`` taken relative to the working directory)."""
    if isinstance(spec, dict):
        import yaml

        spec = dict(spec)
        spec.setdefault("version", 1)
        if "scenario" in spec:
            spec["scenario"] = os.path.abspath(spec["scenario"])
        text = yaml.safe_dump(spec, sort_keys=False)
        path = os.path.join(directory, "sweep.yaml")
        write_text_atomic(path, text)
        return path, text
    path = os.fspath(spec)
    with open(path, encoding="utf-8") as f:
        return path, f.read()


def _eta(seconds):
    if seconds != seconds or seconds == float("inf"):
        return "?"
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def sweep(spec, out, workers=None, scheduler=None, retry_failed=False, progress=None):
    """Runs every point of a sweep and returns a :class:`SweepResult`.

    ``spec``: a sweep file path, or the same content as a dict. ``out``: the sweep directory
    (created; if it holds this sweep already, finished points are skipped). ``workers``: local
    worker processes (default: CPU count). ``scheduler``: a Dask scheduler address (or a
    ``distributed.Client``) to run the points on a cluster instead; its workers must see the
    same paths (the strata binary and ``out``). ``retry_failed``: run failed points again.
    ``progress``: None (a bar on a terminal or notebook), True or False.

    Raises ConfigError for a bad sweep file and SweepError for an ``out`` holding another sweep.
    Points that fail are recorded (status ``failed`` and their error) and the sweep goes on.
    """
    directory = os.path.abspath(os.fspath(out))
    os.makedirs(directory, exist_ok=True)
    path, text = _spec_file(spec, directory)
    plan = _core.plan_sweep(path)
    _prepare(directory, plan)
    status, errors = _statuses(directory, plan, retry_failed)
    pending = [i for i in sorted(status) if status[i] == "pending"]
    total = len(plan["points"])
    exe = executable()

    bar = Bar(f"sweep {plan['name']}", enabled=progress)
    start = time.monotonic()
    ran = 0

    def show():
        done = sum(1 for s in status.values() if s == "ok")
        failed = sum(1 for s in status.values() if s in ("failed", "invalid"))
        elapsed = time.monotonic() - start
        rate = ran / elapsed if elapsed > 0 else 0.0
        left = sum(1 for s in status.values() if s == "pending")
        bar.update((total - left) / total if total else 1.0,
                   f"{done}/{total} done, {failed} failed | {rate:.1f} points/s | {_eta(left / rate if rate else float('nan'))} left")

    def finish(i, ok, message):
        nonlocal ran
        if ok is None:  # interrupted: stays pending
            return
        ran += 1
        status[i] = "ok" if ok else "failed"
        if not ok:
            errors[i] = message
        show()

    show()
    client, own_client = None, False
    try:
        jobs = {i: point_paths(directory, i, total) for i in pending}
        if scheduler is None:
            with concurrent.futures.ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool:
                futures = {pool.submit(_run_point, exe, *jobs[i]): i for i in pending}
                try:
                    for fut in concurrent.futures.as_completed(futures):
                        finish(futures[fut], *fut.result())
                except BaseException:
                    for fut in futures:
                        fut.cancel()
                    raise
        else:
            import distributed

            if isinstance(scheduler, distributed.Client):
                client = scheduler
            else:
                client, own_client = distributed.Client(scheduler), True
            token = uuid.uuid4().hex[:8]
            futures = {client.submit(_run_point, exe, *jobs[i], key=f"strata-point-{i}-{token}", pure=False): i
                       for i in pending}
            try:
                for fut in distributed.as_completed(futures):
                    i = futures[fut]
                    try:
                        finish(i, *fut.result())
                    except Exception as e:  # noqa: BLE001 - a lost worker fails the point, not the sweep
                        message = f"{type(e).__name__}: {e}"
                        write_text_atomic(jobs[i][2], message + "\n")
                        finish(i, False, message)
            except BaseException:
                client.cancel(list(futures))
                raise
    finally:
        wall = time.monotonic() - start
        if own_client:
            client.close()
        bar.close()
        # The files are the record: a point whose file landed just before an interrupt counts.
        status, errors = _statuses(directory, plan, retry_failed=False)
        write_summary(directory, plan, status, errors, text)
    return SweepResult(directory, plan, ran=ran, wall_time_s=wall)


def main(argv=None):
    """``python -m strata sweep SWEEP.yaml -o DIR [--workers N] [--scheduler ADDRESS]``, which
    ``strata sweep`` runs. Exit codes: 0 every point ok, 1 some failed, invalid or interrupted, 2 bad input,
    130 interrupted (Ctrl-C)."""
    import argparse
    import sys

    ap = argparse.ArgumentParser(prog="strata sweep", description="Run every point of a sweep file.")
    ap.add_argument("sweep")
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("-j", "--workers", type=int)
    ap.add_argument("--scheduler")
    ap.add_argument("--retry-failed", action="store_true")
    ap.add_argument("-q", "--quiet", action="store_true")
    a = ap.parse_args(argv)
    try:
        r = sweep(a.sweep, a.output, workers=a.workers, scheduler=a.scheduler, retry_failed=a.retry_failed,
                  progress=False if a.quiet else None)
    except _core.ConfigError as e:
        print(e, file=sys.stderr)
        return 2
    except SweepError as e:
        print(f"strata: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("strata: interrupted; run the same command again to resume", file=sys.stderr)
        return 130
    counts = r.counts
    bad = counts.get("failed", 0) + counts.get("invalid", 0) + counts.get("pending", 0)
    if not a.quiet:
        pending = f", {counts['pending']} interrupted" if counts.get("pending") else ""
        rate = f" ({r.points_per_s:.2f} points/s)" if r.ran else ""
        print(f"sweep {r.name}: {len(r.summary)} points: {counts.get('ok', 0)} ok, {counts.get('failed', 0)} failed, "
              f"{counts.get('invalid', 0)} invalid{pending}; ran {r.ran} in {r.wall_time_s:.1f} s{rate}")
        print(f"wrote {os.path.join(r.dir, SUMMARY_H5)}, {os.path.join(r.dir, SUMMARY_CSV)}")
    if bad:
        print(f"strata: {bad} point(s) failed, invalid or interrupted; see the status and error columns "
              "of the summary (run the same command again to resume)", file=sys.stderr)
    return 1 if bad else 0
