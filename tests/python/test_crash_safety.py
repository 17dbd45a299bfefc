"""SIGKILL at random moments (seeded, so a failure can be replayed): `strata run` never leaves a
partial file at a final path. Sweeps killed the same way resume to identical results
(test_sweep.py::test_a_sweep_killed_at_random_moments_resumes_to_identical_results)."""
import os
import random
import subprocess
import time

import h5py

from conftest import ROOT, STRATA

DEMO = "configs/scenarios/demo.yaml"
KILLS = 10
OUTPUTS = {"--output": "r.h5", "--trace-json": "t.json", "--export-workload": "w.json"}


def leftovers(directory, finals):
    """Files in `directory` other than the final outputs: only hidden temporary files may remain
    after a SIGKILL (".r.h5.tmp-PID"), never anything at a final path."""
    return [f for f in os.listdir(directory) if f not in finals and not (f.startswith(".") and ".tmp-" in f)]


def test_run_killed_at_random_moments_leaves_no_partial_file(tmp_path):
    def command(d):
        args = [STRATA, "run", DEMO, "-q"]
        for opt, name in OUTPUTS.items():
            args += [opt, d / name]
        return list(map(str, args))

    ref = tmp_path / "ref"
    ref.mkdir()
    start = time.monotonic()
    subprocess.run(command(ref), cwd=ROOT, check=True, capture_output=True)
    duration = time.monotonic() - start
    rng = random.Random(20261122)
    landed = []
    for k in range(KILLS):
        d = tmp_path / f"kill{k}"
        d.mkdir()
        proc = subprocess.Popen(command(d), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # Over the whole run, the writes at its end included.
        time.sleep(rng.uniform(0.0, 1.1 * duration))
        proc.kill()
        proc.wait()
        written = [name for name in OUTPUTS.values() if (d / name).exists()]
        for name in written:  # a file at its final path is the whole file
            assert (d / name).read_bytes() == (ref / name).read_bytes(), (k, name)
        assert leftovers(d, OUTPUTS.values()) == [], k
        landed.append(len(written))
    # The kills fell both before and after some writes (else the moments need retuning).
    assert min(landed) == 0 and max(landed) > 0, landed


def test_interrupted_run_removes_its_temporary_file(tmp_path):
    # SIGTERM (and SIGINT) are caught: the temporary file goes too, not only the final path.
    proc = subprocess.Popen(list(map(str, [STRATA, "run", DEMO, "-q", "-o", tmp_path / "r.h5", "--progress"])),
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    for line in proc.stderr:
        if line.startswith("progress") and "write" in line:
            break
    proc.terminate()
    proc.wait()
    assert os.listdir(tmp_path) in ([], ["r.h5"])  # no ".r.h5.tmp-PID"
    if os.listdir(tmp_path):
        with h5py.File(tmp_path / "r.h5", "r") as f:  # it finished first: the whole file
            assert f.attrs["format"] == "strata-result"
