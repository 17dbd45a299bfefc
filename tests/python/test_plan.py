"""strata plan: a reduced capacity plan end to end. The fleet of every option is recomputed by
hand from the scenario results stored beside the report; re-running with more demand or a
tighter target reuses every scenario and never needs fewer accelerators or costs less."""
import math
import re
import shutil

import h5py
import numpy as np
import pytest

from conftest import ROOT, datasets, strata

PLAN = "tests/python/plans/deepseek-v3-small.yaml"


@pytest.fixture(scope="module")
def plan_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("plan")
    strata("plan", PLAN, "-o", out, "-j", "2", check=True)
    return out


def table(path, name):
    with h5py.File(path, "r") as f:
        g = f[name]
        cols = {}
        for k in g:
            v = g[k][()]
            cols[k] = [x.decode() if isinstance(x, bytes) else x for x in v]
        return cols


def summary(path):
    with h5py.File(path, "r") as f:
        return {k: float(f["summary"][k][()]) for k in f["summary"]}


def test_outputs_are_written(plan_dir):
    for name in ["report.html", "plan.h5", "options.csv", "units.csv", "assumptions.csv", "headline.md"]:
        assert (plan_dir / name).is_file(), name
    html = (plan_dir / "report.html").read_text()
    assert html.index("Headline") < html.index("Charts") < html.index("Assumptions")
    assert html.count("<svg") == 6
    # Self-contained: no scripts, nothing loaded from elsewhere; links only to the scenario files.
    assert "<script" not in html and "src=" not in html
    for href in re.findall(r'href="([^"]+)"', html):
        assert (plan_dir / href).is_file(), href
    with h5py.File(plan_dir / "plan.h5", "r") as f:
        assert f.attrs["format"] == "strata-result"
        assert f["options"]["accelerators"].attrs["units"] == "1"
        assert f["options"]["it_power"].attrs["units"] == "W"
        assert f["options"]["usd_per_million_output"].attrs["units"] == "USD"
    csv = (plan_dir / "options.csv").read_text().splitlines()
    assert csv[0].startswith("option,chip,feasible")
    assert "it_power [W]" in csv[0]
    assert len(csv) == 3


def test_fleet_by_hand_from_the_scenario_results(plan_dir):
    opts = table(plan_dir / "plan.h5", "options")
    s = summary(plan_dir / "plan.h5")
    util = 0.8
    for i, name in enumerate(opts["option"]):
        assert opts["feasible"][i] == "yes", opts["why_not"][i]
        # Decode: one scenario; units for the peak output rate at 80% of its capacity.
        dec = summary(plan_dir / opts["decode_scenarios"][i])
        units = math.ceil(s["peak_output_tokens_per_s"] / (dec["tokens_per_s"] * util) - 1e-9)
        assert opts["decode_units"][i] == units
        assert opts["decode_accelerators"][i] == units * dec["gpus"]
        assert dec["time_per_output_token"] <= 0.060
        assert opts["tpot"][i] == dec["time_per_output_token"]
        # Prefill: one scenario per prompt length (1024 and 4096, half the requests each);
        # capacity = harmonic mean of their prompt-token rates by token share (1/5, 4/5).
        files = opts["prefill_scenarios"][i].split(";")
        assert len(files) == 2
        pre = [summary(plan_dir / f) for f in files]
        shares = [1024 * 0.5 / 2560, 4096 * 0.5 / 2560]
        capacity = 1 / sum(w / p["input_tokens_per_s_with_cache"] for w, p in zip(shares, pre))
        assert opts["prefill_unit_capacity"][i] == pytest.approx(capacity, rel=1e-12)
        punits = math.ceil(s["peak_input_tokens_per_s"] / (capacity * util) - 1e-9)
        assert opts["prefill_units"][i] == punits
        assert opts["accelerators"][i] == punits * pre[0]["gpus"] + units * dec["gpus"]
        # TTFT at p90: (steps + 1) x the mixed step (new tokens per step over the mix's new-token rate).
        new_rate = 1 / sum(w / p["tokens_per_s"] for w, p in zip(shares, pre))
        step = sum(w * p["tokens_per_step"] for w, p in zip(shares, pre)) / new_rate
        steps = max(round(p["time_to_first_token"] / p["step_time"]) for p in pre)
        assert opts["ttft"][i] == pytest.approx((steps + 1) * step, rel=1e-12)
        # Units: power in W, facility = IT x PUE, racks of 4 nodes.
        assert opts["facility_power"][i] == pytest.approx(opts["it_power"][i] * 1.3, rel=1e-12)
        assert opts["racks"][i] == math.ceil(opts["nodes"][i] / 4)
        assert opts["decode_accelerators"][i] + opts["prefill_accelerators"][i] == opts["accelerators"][i]
        assert opts["cost_per_day"][i] > 0 and opts["revenue_per_day"][i] > 0
    assert opts["accelerator_price"][1] == 35000  # the H200 option's price override


def test_units_table_marks_one_choice_per_phase(plan_dir):
    u = table(plan_dir / "plan.h5", "units")
    for opt in set(u["option"]):
        for phase in ["prefill", "decode"]:
            rows = [i for i in range(len(u["option"])) if u["option"][i] == opt and u["phase"][i] == phase]
            assert sum(u["chosen"][i] for i in rows) == 1
            for i in rows:
                if u["chosen"][i]:
                    assert u["meets_target"][i] == 1 and u["fits"][i] == 1


def test_rerun_reuses_scenarios_and_is_monotone(plan_dir, tmp_path):
    work = tmp_path / "again"
    shutil.copytree(plan_dir, work)
    base = table(plan_dir / "plan.h5", "options")
    more = strata("plan", PLAN, "-o", work, "-p", "demand.output_tokens_per_day=10e9",
                  "-p", "demand.input_tokens_per_day=40e9", check=True)
    assert "simulated" not in more.stderr and "reused" in more.stderr
    doubled = table(work / "plan.h5", "options")
    for a, b in zip(base["accelerators"], doubled["accelerators"]):
        assert b >= a
    tighter = strata("plan", PLAN, "-o", work, "-p", "targets.tpot=30 ms", check=True)
    assert "simulated" not in tighter.stderr
    t = table(work / "plan.h5", "options")
    for i in range(len(base["option"])):
        if t["feasible"][i] == "yes":
            assert t["usd_per_million_output"][i] >= base["usd_per_million_output"][i]
        else:
            assert "decode" in t["why_not"][i]


def test_same_inputs_give_identical_files(plan_dir, tmp_path):
    work = tmp_path / "same"
    shutil.copytree(plan_dir, work)
    strata("plan", PLAN, "-o", work, "-q", check=True)
    a, b = datasets(plan_dir / "plan.h5"), datasets(work / "plan.h5")
    assert a.keys() == b.keys()
    for k in a:
        x, y = np.asarray(a[k]), np.asarray(b[k])
        same = np.array_equal(x, y, equal_nan=True) if x.dtype.kind == "f" else np.array_equal(x, y)
        assert same, k
    assert (plan_dir / "report.html").read_bytes() == (work / "report.html").read_bytes()


def test_bad_input_exits_2_and_writes_nothing(tmp_path):
    out = tmp_path / "bad"
    p = strata("plan", PLAN, "-o", out, "-p", "targets.tpot=60")
    assert p.returncode == 2
    assert "error: targets.tpot: '60' has no unit" in p.stderr
    assert not (out / "report.html").exists()
    bad = tmp_path / "bad.yaml"
    text = (ROOT / PLAN).read_text().replace("cluster: ../../../configs/clusters/h800-ib-rail-fat-tree.yaml\n    nodes_per_rack: 4",
                                             "cluster: no-such.yaml\n    nodes_per_rack: 4", 1)
    text = text.replace("../../../", str(ROOT) + "/")
    bad.write_text(text)
    p = strata("plan", bad, "-o", out)
    assert p.returncode == 2
    assert re.search(r"bad\.yaml:\d+:\d+: error: options\.0\.cluster: cannot open", p.stderr), p.stderr


def test_pdf_needs_a_converter(tmp_path):
    if shutil.which("wkhtmltopdf") or shutil.which("weasyprint"):
        pytest.skip("a converter is installed")
    p = strata("plan", PLAN, "-o", tmp_path / "pdf", "--pdf")
    assert p.returncode == 2
    assert "--pdf needs an HTML-to-PDF converter" in p.stderr
