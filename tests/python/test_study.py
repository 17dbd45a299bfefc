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


def test_study_on_cluster_presets_with_columns(tmp_path):
    """Cluster presets as entries (hardware and wiring), own columns, a change against the group's
    first entry, and a ratio of two scalars."""
    study = tmp_path / "s.yaml"
    study.write_text(f"""version: 1
name: optics
title: Optics on a small fat tree
hardware:
  - {{label: dsp, group: g, file: {ROOT}/configs/clusters/h800-ib-rail-fat-tree.yaml,
     overrides: {{cluster.nodes: 2, parallel.attention_dp: 16, parallel.ep: 16}}}}
  - label: lpo
    group: g
    file: {ROOT}/configs/clusters/h800-ib-rail-fat-tree.yaml
    overrides:
      cluster.nodes: 2
      parallel.attention_dp: 16
      parallel.ep: 16
      cluster.fabric.tiers.0.link: {{base: {ROOT}/configs/links/ib-ndr-lpo.yaml}}
      cluster.fabric.tiers.1.link: {{base: {ROOT}/configs/links/ib-ndr-lpo.yaml}}
scenarios:
  - {{label: demo, file: {ROOT}/configs/scenarios/demo.yaml}}
overrides: {{fidelity: analytical, workload.model.layers: 4}}
columns:
  - {{label: transceivers per GPU, metric: transceivers_per_gpu, format: "%.2f"}}
  - {{label: network share, metric: network_power, divide_by: it_power, scale: 100, format: "%.2f%%"}}
  - {{label: network W vs DSP, metric: network_power, change: true, format: "%+.1f"}}
""")
    out, md = tmp_path / "out", tmp_path / "s.md"
    strata("study", study, "-o", out, "--docs", md, "-q", check=True)
    rows = [l.split("|")[1:-1] for l in md.read_text().splitlines() if l.startswith("| demo |")]
    assert [r[1].strip() for r in rows] == ["dsp", "lpo"]
    with h5py.File(out / "demo-0.h5", "r") as a, h5py.File(out / "demo-1.h5", "r") as b:
        pa, pb = a["summary/network_power"][()], b["summary/network_power"][()]
        assert a["summary/gpus"][()] == 16
        assert rows[0][2].strip() == f"{a['summary/transceivers_per_gpu'][()]:.2f}"
        assert rows[0][3].strip() == f"{100 * pa / a['summary/it_power'][()]:.2f}%"
        assert rows[0][4].strip() == "-"
        assert rows[1][4].strip() == f"{100 * (pb / pa - 1):+.1f}%"
        assert pb < pa  # linear optics draw less than DSP optics


def test_study_column_format_is_checked(tmp_path):
    study = tmp_path / "s.yaml"
    study.write_text("version: 1\nname: x\ntitle: y\nhardware: []\nscenarios: []\n"
                     "columns:\n  - {label: a, metric: gpus, format: \"%s\"}\n")
    p = strata("study", study)
    assert p.returncode == 2
    assert "columns.0.format: one conversion of a number" in p.stderr
