"""Sweep throughput on a local Dask cluster, and resumption after a kill (`make bench-sweep`).

1. Runs every point of a sweep file on a LocalCluster (2 workers x 1 thread by default) and
   reports the wall time and points per second.
2. Runs it again through `strata sweep --scheduler` into a fresh directory, kills that process
   (SIGKILL) once half the points are written, restarts the same command, and checks that the
   restart ran exactly the missing points and that every point file is byte-identical to the
   uninterrupted run's.

    PYTHONPATH=build/python /usr/bin/python3 bench/sweep_dask.py [--sweep FILE] [--workers N]
"""
import argparse
import os
import pathlib
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]


def h5_files(directory):
    return sorted(f for f in os.listdir(directory) if f.endswith(".h5")) if os.path.isdir(directory) else []


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sweep", default=str(ROOT / "configs/sweeps/demo-batch-kv-100.yaml"))
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--out", help="working directory (default: a temporary one, removed afterwards)")
    a = ap.parse_args()

    import distributed
    import strata

    work = pathlib.Path(a.out or tempfile.mkdtemp(prefix="strata-sweep-bench-"))
    shutil.rmtree(work / "full", ignore_errors=True)
    shutil.rmtree(work / "killed", ignore_errors=True)
    binary = strata.executable()
    with distributed.LocalCluster(n_workers=a.workers, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        address = cluster.scheduler_address
        r = strata.sweep(a.sweep, work / "full", scheduler=address, progress=False)
        n = len(r.summary)
        ok = int((r.summary.status == "ok").sum())
        print(f"sweep {r.name}: {n} points ({ok} ok) on a local Dask cluster of {a.workers} workers x 1 thread, "
              f"{os.cpu_count()} CPUs")
        print(f"  wall time {r.wall_time_s:.1f} s, {r.points_per_s:.2f} points/s")

        cmd = [binary, "sweep", a.sweep, "-o", str(work / "killed"), "--scheduler", address, "-q"]
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while len(h5_files(work / "killed" / "points")) < n // 2:
            if proc.poll() is not None:
                sys.exit("the sweep ended before it could be killed")
            time.sleep(0.01)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        # Points already running on the workers still finish; count once none has appeared for 2 s.
        count, since = -1, time.monotonic()
        while time.monotonic() - since < 2.0:
            now = len(h5_files(work / "killed" / "points"))
            if now != count:
                count, since = now, time.monotonic()
            time.sleep(0.05)
        start = time.monotonic()
        p = subprocess.run(cmd[:-1], capture_output=True, text=True)
        wall = time.monotonic() - start
        ran = int(p.stdout.split("; ran ")[1].split()[0]) if "; ran " in p.stdout else -1
        files = h5_files(work / "killed" / "points")
        same = all((work / "killed" / "points" / f).read_bytes() == (work / "full" / "points" / f).read_bytes()
                   for f in files)
        print(f"  killed after {count} of {n} points were written; the restart ran {ran} points in {wall:.1f} s "
              f"(exit {p.returncode})")
        print(f"  after the restart: {len(files)} point files, "
              f"{'all byte-identical to' if same else 'NOT identical to'} the uninterrupted run")
    if not a.out:
        shutil.rmtree(work, ignore_errors=True)
    good = ok == n and ran == n - count and len(files) == n and same and p.returncode == 0
    print("ok" if good else "FAILED")
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
