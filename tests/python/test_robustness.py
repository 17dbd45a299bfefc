"""docs/robustness.md is what this build says to every bad input it lists, and every case keeps
the promise: exit 2 with a message that names the file, line, column and key, no crash, no
hang, no file left behind (scripts/robustness checks each; `make robustness` regenerates)."""
import os
import subprocess
import sys

from conftest import ROOT, STRATA


def test_robustness_document_is_current_and_every_case_is_handled():
    p = subprocess.run([sys.executable, str(ROOT / "scripts/robustness"), "--strata", str(STRATA),
                        "--check", str(ROOT / "docs/robustness.md")],
                       cwd=ROOT, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": ""})
    assert p.returncode == 0, p.stderr[-6000:]
