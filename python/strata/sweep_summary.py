"""The merged summary of a sweep: one row per point, one column per axis and per metric.

``summary.h5`` is a strata file (``format: strata-sweep``; ``strata.open`` reads it): the table
``/points``, counts in ``/summary``, the sweep file text in ``/sweep`` and ``/provenance``.
``summary.csv`` holds the same table. Metrics are whatever the points' ``/summary`` groups
hold (the union, in the order first met); a point that did not finish has NaN there. Rows are
in point order and no timestamps are stored, so the datasets depend only on the points.
"""
import csv
import io
import math
import os

import h5py
import numpy as np

from . import _core
from ._atomic import write_text_atomic, write_with
from ._layout import point_paths

SUMMARY_H5 = "summary.h5"
SUMMARY_CSV = "summary.csv"
SCHEMA_VERSION = 1


def _metrics(directory, plan, status):
    """Every point's /summary scalars, and the units and descriptions of every metric seen."""
    values, units, descriptions = {}, {}, {}
    n = len(plan["points"])
    for p in plan["points"]:
        i = p["index"]
        if status[i] != "ok":
            continue
        with h5py.File(point_paths(directory, i, n)[1], "r") as f:
            row = {}
            for name, ds in f["summary"].items():
                if isinstance(ds, h5py.Dataset) and ds.shape == () and np.issubdtype(ds.dtype, np.number):
                    row[name] = float(ds[()])
                    if name not in units:
                        units[name] = _str(ds.attrs.get("units", ""))
                        descriptions[name] = _str(ds.attrs.get("description", ""))
            values[i] = row
    return values, units, descriptions


def _str(v):
    return v.decode("utf-8") if isinstance(v, bytes) else str(v)


def _columns(directory, plan, status, errors):
    """(name, numpy array, unit, description) for every column, in order."""
    points = plan["points"]
    idx = [p["index"] for p in points]
    cols = [("point", np.array(idx, dtype=np.int64), "1", "Point index (files configs/NNNN.yaml, points/NNNN.h5)")]
    for k, axis in enumerate(plan["axes"]):
        data = [p["values"][k] for p in points]
        dtype = {"integer": np.int64, "number": np.float64}.get(axis["kind"], object)
        cols.append((axis["name"], np.array(data, dtype=dtype), axis["unit"], f"Axis: value of {axis['key']}"))
    cols.append(("status", np.array([status[i] for i in idx], dtype=object), "",
                 "ok, failed (see error), invalid (the scenario does not validate) or pending (not run yet)"))
    cols.append(("error", np.array([errors.get(i, "") for i in idx], dtype=object), "", "Why the point failed"))
    values, units, descriptions = _metrics(directory, plan, status)
    taken = {c[0] for c in cols}
    for name in units:
        column = name if name not in taken else f"summary.{name}"
        data = np.array([values.get(i, {}).get(name, math.nan) for i in idx], dtype=np.float64)
        cols.append((column, data, units[name], descriptions[name]))
    return cols


def _write_h5(path, plan, cols, status, sweep_text):
    strings = h5py.string_dtype("utf-8")
    counts = {s: sum(1 for v in status.values() if v == s) for s in ("ok", "failed", "invalid", "pending")}
    with h5py.File(path, "w", track_order=True) as f:
        f.attrs["format"] = "strata-sweep"
        f.attrs["schema_version"] = np.int64(SCHEMA_VERSION)
        f.attrs["title"] = f"sweep {plan['name']}: {len(plan['points'])} points over {', '.join(a['name'] for a in plan['axes'])}"
        f.create_dataset("sweep", data=sweep_text, dtype=strings, track_times=False)
        prov = f.create_group("provenance", track_order=True)
        prov.attrs["strata_version"] = _core.version()
        prov.attrs["git_describe"] = _core.git_describe()
        prov.attrs["sweep"] = plan["name"]
        prov.attrs["grid_points"] = np.int64(plan["grid_points"])
        prov.attrs["skipped_by_constraints"] = np.int64(plan["skipped"])
        prov.attrs["constraints"] = "; ".join(plan["constraints"])
        summary = f.create_group("summary", track_order=True)
        for name, n, desc in [("points", len(plan["points"]), "Points in the sweep"),
                              ("ok", counts["ok"], "Points that ran"),
                              ("failed", counts["failed"], "Points that failed"),
                              ("invalid", counts["invalid"], "Points whose scenario does not validate"),
                              ("pending", counts["pending"], "Points not run yet")]:
            ds = summary.create_dataset(name, data=np.float64(n), track_times=False)
            ds.attrs["units"] = "1"
            ds.attrs["description"] = desc
        g = f.create_group("points", track_order=True)
        g.attrs["description"] = "One row per point: axis values, status, error, summary metrics"
        g.attrs["rows"] = np.int64(len(plan["points"]))
        for name, data, unit, desc in cols:
            if data.dtype == object:
                ds = g.create_dataset(name, data=[str(x) for x in data], dtype=strings, track_times=False)
            else:
                ds = g.create_dataset(name, data=data, track_times=False)
            ds.attrs["units"] = unit
            ds.attrs["description"] = desc


def _csv_text(cols):
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow([c[0] for c in cols])
    for r in range(len(cols[0][1])):
        row = []
        for _, data, _, _ in cols:
            v = data[r]
            if isinstance(v, (float, np.floating)):
                row.append("" if math.isnan(v) else repr(float(v)))
            else:
                row.append(str(v))
        w.writerow(row)
    return out.getvalue()


def write_summary(directory, plan, status, errors, sweep_text):
    """Writes summary.h5 and summary.csv (each atomically) from the point files in ``directory``."""
    cols = _columns(directory, plan, status, errors)
    write_with(os.path.join(directory, SUMMARY_H5), lambda tmp: _write_h5(tmp, plan, cols, status, sweep_text))
    write_text_atomic(os.path.join(directory, SUMMARY_CSV), _csv_text(cols))
