"""Result files (HDF5, results/README.md) as Python objects.

:class:`Result` reads whatever a strata file holds, without a built-in list of metrics or
tables: every scalar in ``/summary`` becomes a :class:`Quantity` (a float with its unit), and
every group with a ``rows`` attribute is a table (``network/bom`` sits in the folder group
``network``), read on first use as a pandas DataFrame.
"""
import os
from collections.abc import Mapping

import h5py
import numpy as np

from ._atomic import copy_file_atomic


class Quantity(float):
    """A float that knows its unit and meaning: ``r.summary["tokens_per_s"].unit == "tokens/s"``.
    Arithmetic gives plain floats."""

    def __new__(cls, value, unit="", description=""):
        q = super().__new__(cls, value)
        q.unit = unit
        q.description = description
        return q

    def __reduce__(self):
        return (Quantity, (float(self), self.unit, self.description))

    def __repr__(self):
        unit = "" if self.unit in ("", "1") else f" {self.unit}"
        return f"{float(self)!r}{unit}"


def _text(v):
    if isinstance(v, bytes):
        return v.decode("utf-8")
    if isinstance(v, np.generic):
        return v.item()
    return v


def _column(ds):
    """One dataset as a numpy array; strings become Python str objects."""
    if h5py.check_string_dtype(ds.dtype) is not None:
        return np.array(ds.asstr()[()], dtype=object)
    return ds[()]


def _table_names(group, prefix="", depth=0):
    """Groups with a ``rows`` attribute are tables; other groups (but the summary and the
    provenance) are folders of tables, e.g. ``network/bom``."""
    names = []
    for n, g in group.items():
        if not isinstance(g, h5py.Group) or (not prefix and n in ("summary", "provenance")):
            continue
        if "rows" in g.attrs:
            names.append(prefix + n)
        elif depth < 4:
            names += _table_names(g, prefix + n + "/", depth + 1)
    return names


class _Tables(Mapping):
    """Tables by name, each read once on first access."""

    def __init__(self, result, names):
        self._result = result
        self._names = names
        self._cache = {}

    def __getitem__(self, name):
        if name not in self._names:
            raise KeyError(f"{self._result.path}: no table '{name}' (tables: {', '.join(self._names)})")
        if name not in self._cache:
            self._cache[name] = self._result._read_table(name)
        return self._cache[name]

    def __iter__(self):
        return iter(self._names)

    def __len__(self):
        return len(self._names)

    def __repr__(self):
        return f"<tables: {', '.join(self._names)}>"


class Result:
    """One strata HDF5 file: ``title``, ``attrs``, ``provenance``, ``config``, ``summary``
    (dict of :class:`Quantity`), ``tables`` (dict of DataFrames, also as attributes:
    ``r.ops``, ``r.devices``), ``utilisation`` and :meth:`arrays` (numpy columns of any table,
    e.g. power over time once the power model writes it)."""

    def __init__(self, path, _keep=None):
        self._path = os.fspath(path)
        self._keep = _keep  # owner of a temporary file, kept alive as long as this result
        try:
            f = h5py.File(self._path, "r")
        except OSError as e:
            raise OSError(f"{self._path}: cannot open as HDF5 ({e})") from None
        with f:
            fmt = _text(f.attrs.get("format", ""))
            if not str(fmt).startswith("strata-"):
                raise ValueError(f"{self._path}: not a strata file (its 'format' attribute is {fmt!r})")
            self.attrs = {k: _text(v) for k, v in f.attrs.items()}
            self.provenance = {k: _text(v) for k, v in f["provenance"].attrs.items()} if "provenance" in f else {}
            self.summary = {}
            if "summary" in f:
                for name, ds in f["summary"].items():
                    if isinstance(ds, h5py.Dataset) and ds.shape == ():
                        self.summary[name] = Quantity(ds[()], _text(ds.attrs.get("units", "")),
                                                      _text(ds.attrs.get("description", "")))
            text = f["config"][()] if "config" in f else b""
            self._config_text = (text.decode("utf-8") if isinstance(text, bytes) else str(text)) or None
            names = _table_names(f)
        self.tables = _Tables(self, names)
        self._config = None

    @property
    def path(self):
        return self._path

    @property
    def title(self):
        return self.attrs.get("title", "")

    @property
    def config(self):
        """The resolved scenario the result was produced from, as an editable :class:`Config`
        (None for files that hold no scenario, such as validation tables and sweep summaries)."""
        if self._config_text is None:
            return None
        if self._config is None:
            from .config import Config

            self._config = Config.from_yaml(self._config_text, self.provenance.get("scenario", "scenario"))
        return self._config.copy()

    def _read_table(self, name):
        import pandas as pd

        with h5py.File(self._path, "r") as f:
            g = f[name]
            df = pd.DataFrame({col: _column(ds) for col, ds in g.items()})
            df.attrs["units"] = {col: _text(ds.attrs.get("units", "")) for col, ds in g.items()}
            df.attrs["descriptions"] = {col: _text(ds.attrs.get("description", "")) for col, ds in g.items()}
            df.attrs["description"] = _text(g.attrs.get("description", ""))
        return df

    def arrays(self, name):
        """The columns of table ``name`` as a dict of numpy arrays (for plotting series)."""
        if name not in self.tables:
            raise KeyError(f"{self._path}: no table '{name}' (tables: {', '.join(self.tables)})")
        with h5py.File(self._path, "r") as f:
            return {col: _column(ds) for col, ds in f[name].items()}

    def table(self, name):
        return self.tables[name]

    def __getattr__(self, name):
        if not name.startswith("_") and name in self.__dict__.get("tables", {}):
            return self.tables[name]
        raise AttributeError(f"'Result' has no attribute '{name}' (tables: {', '.join(self.__dict__.get('tables', []))})")

    def __dir__(self):
        return list(super().__dir__()) + list(self.tables)

    def summary_frame(self):
        """The summary as a DataFrame indexed by metric: value, unit, description."""
        import pandas as pd

        rows = [(k, float(v), v.unit, v.description) for k, v in self.summary.items()]
        return pd.DataFrame(rows, columns=["metric", "value", "unit", "description"]).set_index("metric")

    @property
    def utilisation(self):
        """Every ``*utilisation`` column of every table, one row per resource: ``table``,
        ``resource`` (the row's ``name``, else ``device``, else its index), ``metric``, ``value``."""
        import pandas as pd

        parts = []
        for name in self.tables:
            df = self.tables[name]
            cols = [c for c in df.columns if c.endswith("utilisation")]
            if not cols:
                continue
            if "name" in df.columns:
                resource = df["name"].astype(str)
            elif "device" in df.columns:
                resource = "gpu" + df["device"].astype(str)
            else:
                resource = df.index.astype(str)
            for c in cols:
                parts.append(pd.DataFrame({"table": name, "resource": resource.values, "metric": c,
                                           "value": df[c].values}))
        if not parts:
            return pd.DataFrame(columns=["table", "resource", "metric", "value"])
        return pd.concat(parts, ignore_index=True)

    def to_hdf5(self, path):
        """Writes the result file to ``path`` (atomically: complete or not at all); the copy is
        byte-identical to the file strata wrote. Returns the path."""
        copy_file_atomic(self._path, os.fspath(path))
        return path

    def __repr__(self):
        head = self.provenance.get("scenario") or os.path.basename(self._path)
        return f"<strata.Result {head}: {self.title}; tables {', '.join(self.tables)}>"


def open(path):  # noqa: A001 - strata.open, by design
    """Reads any strata HDF5 file (a run, a validation table, a sweep summary) into a
    :class:`Result`. Tables are read on first use, so the file must stay in place."""
    return Result(path)
