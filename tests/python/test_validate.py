"""`strata validate`: case files, exit codes, known findings, HDF5 table."""
import h5py

from conftest import ROOT, strata

H100 = ROOT / "configs/hw/h100-sxm.yaml"


def write_cases(tmp_path, cases, notes=""):
    d = tmp_path / "cases"
    d.mkdir(exist_ok=True)
    (d / "a.yaml").write_text(f"version: 1\narea: Test area\nnotes: '{notes}'\ncases:\n{cases}")
    return d


def case(name, published, extra="", metric="peak_flops_bf16", kind="hardware_figures"):
    return (f"  - {{name: {name}, kind: {kind}, params: {{hardware: {{base: {H100}}}}}, metric: {metric},\n"
            f"     published: {published}, source: test, tolerance: 1%{extra}}}\n")


def test_ok_case_writes_table_and_hdf5(tmp_path):
    d = write_cases(tmp_path, case("peak", "989 TFLOP/s"))
    out = tmp_path / "v.h5"
    p = strata("validate", "--cases", d, "-o", out)
    assert p.returncode == 0, p.stderr
    assert "peak" in p.stdout and "OK" in p.stdout
    assert "1 OK, 0 outside (known findings), 0 failed" in p.stdout
    with h5py.File(out, "r") as f:
        assert f["validation/status"][0] == b"OK"
        assert f["validation/unit"][0] == b"FLOP/s"
        assert f["validation/predicted"][0] == 132 * 4096 * 1830e6
        assert f["summary/ok"][()] == 1


def test_outside_fails_unless_known(tmp_path):
    d = write_cases(tmp_path, case("off", "900 TFLOP/s"))
    p = strata("validate", "--cases", d, "-o", tmp_path / "v.h5")
    assert p.returncode == 1
    assert "OUTSIDE" in p.stdout and "+9.9%" in p.stdout
    d = write_cases(tmp_path, case("off", "900 TFLOP/s", ", known_outside: 'clock differs'"))
    p = strata("validate", "--cases", d, "-o", tmp_path / "v.h5", "--docs", tmp_path / "v.md")
    assert p.returncode == 0
    assert "OUTSIDE (known)" in p.stdout
    md = (tmp_path / "v.md").read_text()
    assert "## Test area" in md and "*off*: clock differs" in md


def test_one_sided_check(tmp_path):
    d = write_cases(tmp_path, case("ceiling", "1000 TFLOP/s", ", check: at_most"))
    assert strata("validate", "--cases", d, "-o", tmp_path / "v.h5").returncode == 0


def test_bad_case_files_name_the_position(tmp_path):
    d = write_cases(tmp_path, case("x", "989 TFLOP/s", kind="hardware_figurs"))
    p = strata("validate", "--cases", d)
    assert p.returncode == 2
    assert p.stderr.strip() == (f"{d}/a.yaml:5:21: error: cases.0.kind: unknown kind 'hardware_figurs'; "
                                "did you mean 'hardware_figures'?")
    d = write_cases(tmp_path, case("x", "989 TFLOP/s", metric="peak_bf16"))
    p = strata("validate", "--cases", d)
    assert p.returncode == 2
    assert "cases.0.metric: kind 'hardware_figures' has no metric 'peak_bf16'" in p.stderr
    d = write_cases(tmp_path, case("x", "989 TB/s"))
    p = strata("validate", "--cases", d)
    assert p.returncode == 2
    assert "cases.0.published: '989 TB/s' is a data rate, but this key takes an arithmetic rate" in p.stderr


def test_filter_and_stale_docs(tmp_path):
    d = write_cases(tmp_path, case("alpha", "989 TFLOP/s") + case("beta", "989 TFLOP/s"))
    p = strata("validate", "--cases", d, "--filter", "bet", "-o", tmp_path / "v.h5")
    assert p.returncode == 0 and "beta" in p.stdout and "alpha" not in p.stdout
    stale = tmp_path / "stale.md"
    stale.write_text("old\n")
    p = strata("validate", "--cases", d, "--check-docs", stale, "-o", tmp_path / "v.h5")
    assert p.returncode == 1
    assert "stale" in p.stderr


def test_kinds_listing():
    p = strata("validate", "--kinds")
    assert p.returncode == 0
    assert "hardware_figures:" in p.stdout and "model_figures:" in p.stdout


def test_a_case_whose_trace_is_absent_is_skipped_not_failed(tmp_path):
    scenario = ROOT / "configs/scenarios/deepseek-v3-train-trace-replay.yaml"
    d = write_cases(tmp_path, f"  - {{name: replay, kind: scenario, params: {{scenario: {{base: {scenario},\n"
                              f"       workload: {{trace: {{file: {tmp_path}/absent.json}}}}}}}},\n"
                              "     metric: step_time, published: 128.5 ms, source: test, tolerance: 2%}\n")
    out = tmp_path / "v.h5"
    p = strata("validate", "--cases", d, "-o", out, "--docs", tmp_path / "v.md")
    assert p.returncode == 0, p.stdout + p.stderr
    assert "SKIPPED" in p.stdout
    assert f"skipped: the replayed trace {tmp_path}/absent.json is absent" in p.stdout
    assert "0 OK, 0 outside (known findings), 0 failed, 1 skipped (input absent)" in p.stdout
    with h5py.File(out, "r") as f:
        assert f["validation/status"][0] == b"SKIPPED"
        assert f["summary/skipped"][()] == 1
    assert "*replay*: skipped: the replayed trace" in (tmp_path / "v.md").read_text()
