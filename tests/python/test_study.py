"""`strata study`: scenarios on several hardware files, one result per run and a markdown table."""
import h5py

from conftest import ROOT, strata


def test_study_runs_every_pair_and_tables_them(tmp_path):
    study = tmp_path / "s.yaml"
    study.write_text(f"""version: 1
name: tiny
title: Demo on N4 and N2
hardware:
  - {{label: n4, file: {ROOT}/configs/hw/h800-sxm.yaml}}
  - {{label: n2, file: {ROOT}/configs/hw/h800-n2-iso-power.yaml}}
scenarios:
  - {{label: demo, file: {ROOT}/configs/scenarios/demo.yaml}}
overrides: {{fidelity: analytical}}
""")
    out, md = tmp_path / "out", tmp_path / "s.md"
    strata("study", study, "-o", out, "--docs", md, "-q", check=True)
    text = md.read_text()
    rows = [l for l in text.splitlines() if l.startswith("| demo |")]
    assert len(rows) == 2 and "TSMC N4" in rows[0] and "TSMC N2" in rows[1]
    assert "to TSMC N2, iso_power:" in text  # what the retarget changed
    for n in (0, 1):
        with h5py.File(out / f"demo-{n}.h5", "r") as f:
            assert f["summary/power_per_gpu"][()] > 0
    with h5py.File(out / "demo-1.h5", "r") as f:
        assert any(b"TSMC N2" in c for c in f["retarget/change"][()])


def test_study_reports_bad_files_with_their_position(tmp_path):
    study = tmp_path / "s.yaml"
    study.write_text("version: 1\nname: x\ntitle: y\nhardware: []\nscenarios: []\nextra: 1\n")
    p = strata("study", study)
    assert p.returncode == 2
    assert "s.yaml:6:1: error: extra: unknown key" in p.stderr
