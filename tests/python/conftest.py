import os
import pathlib
import subprocess
import sys

import h5py
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
BUILD = pathlib.Path(os.environ.get("STRATA_BUILD", ROOT / "build"))
STRATA = BUILD / "strata"
sys.path.insert(0, str(BUILD / "python"))


def strata(*args, cwd=ROOT, check=False):
    """Runs the CLI; returns the CompletedProcess (text mode)."""
    p = subprocess.run([str(STRATA), *map(str, args)], cwd=cwd, capture_output=True, text=True)
    if check and p.returncode != 0:
        raise AssertionError(f"strata {' '.join(map(str, args))} exited {p.returncode}:\n{p.stderr}")
    return p


@pytest.fixture(scope="session")
def demo_h5(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo") / "demo.h5"
    strata("run", "configs/scenarios/demo.yaml", "-o", out, "-q", check=True)
    return out


def datasets(path):
    """Every dataset of an HDF5 file by path, as numpy values (for bit-identity checks)."""
    out = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                out[name] = obj[()]
        f.visititems(visit)
    return out
