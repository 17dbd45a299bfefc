"""Scenarios as editable Python objects, validated by the simulator's own schema.

A :class:`Config` remembers the file it was read from and every change as a ``key.path=value``
override, so validation runs the same C++ code as ``strata check -p ...`` and reports the same
errors: a mistake in the file names file:line:column, a mistake in an edit names the edit.
"""
import copy
import difflib
import math
import os
import re
import shutil
import tempfile
import weakref

import yaml

from . import _core
from ._atomic import write_text_atomic

ConfigError = _core.ConfigError


def _yaml_value(value):
    """The YAML text of one override value: 64, 1.5, true, fp8, '1600 MHz', [1, 2], {a: 1}."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value!r} is not a finite number")
        return repr(value)
    if isinstance(value, (str, list, tuple, dict)) or value is None:
        text = yaml.safe_dump(value, default_flow_style=True, width=1 << 30, sort_keys=False)
        return text[: -len("\n...\n")] if text.endswith("\n...\n") else text.rstrip("\n")
    raise TypeError(f"a config value is a number, text, list or mapping, not {type(value).__name__}")


def _split(key):
    if isinstance(key, (tuple, list)):
        return tuple(str(k) for k in key)
    return tuple(str(key).split("."))


class _View:
    """A mapping inside a config: attribute and item access read and write through to the root."""

    __slots__ = ("_root", "_path")

    def __init__(self, root, path):
        object.__setattr__(self, "_root", root)
        object.__setattr__(self, "_path", path)

    def _node(self):
        return self._root._lookup(self._path)

    def __getitem__(self, key):
        return self._root._get(self._path + _split(key))

    def __setitem__(self, key, value):
        self._root._set(self._path + _split(key), value)

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self[name]
        except KeyError as e:
            raise AttributeError(str(e.args[0])) from None

    def __setattr__(self, name, value):
        if name.startswith("_"):
            object.__setattr__(self, name, value)
        else:
            self[name] = value

    def __contains__(self, key):
        try:
            self._root._lookup(self._path + _split(key))
            return True
        except KeyError:
            return False

    def __iter__(self):
        return iter(self._node())

    def __len__(self):
        return len(self._node())

    def __dir__(self):
        return list(self._node())

    def keys(self):
        return self._node().keys()

    def items(self):
        return [(k, self[k]) for k in self._node()]

    def get(self, key, default=None):
        try:
            return self[key]
        except KeyError:
            return default

    def to_dict(self):
        """A deep copy as plain dicts and lists."""
        return yaml.safe_load(yaml.safe_dump(self._node()))

    def __eq__(self, other):
        if isinstance(other, _View):
            other = other._node()
        return self._node() == other

    def __repr__(self):
        where = ".".join(self._path)
        return f"<{where}: {', '.join(self._node())}>"


class Config(_View):
    """A scenario. Read one with :func:`strata.load`; edit it like a nested dict or with
    attributes (``cfg.hardware.chip.clock = "1600 MHz"``, ``cfg["parallel.ep"] = 16``);
    :meth:`validate` checks it with the simulator's schema; :meth:`save` writes the resolved
    YAML, every key included.

    Edits are checked when the config is validated, run or saved, not one by one, because some
    keys only make sense together (``cluster.nodes`` and ``parallel.attention_dp``).
    """

    __slots__ = ("_file", "_overrides", "_tree", "_resolved", "_valid", "_keep")

    def __init__(self, path, overrides=None, _keep=None):
        super().__init__(self, ())
        object.__setattr__(self, "_file", os.fspath(path))
        object.__setattr__(self, "_overrides", _override_list(overrides))
        object.__setattr__(self, "_keep", _keep)  # owner of a temporary file, kept alive with us
        self._resolve()

    @classmethod
    def from_yaml(cls, text, name="scenario"):
        """A config from YAML text (a resolved scenario, as stored in every result file)."""
        source = _TempFile(text, re.sub(r"[^A-Za-z0-9_.-]", "_", name) + ".yaml")
        return cls(source.path, _keep=source)

    # -- reading and writing values
    def _lookup(self, path):
        node = self._tree
        for i, k in enumerate(path):
            if isinstance(node, dict) and k in node:
                node = node[k]
            elif isinstance(node, list) and k.isdigit() and int(k) < len(node):
                node = node[int(k)]
            else:
                where = ".".join(path[: i + 1])
                hint = ""
                if isinstance(node, dict):
                    close = difflib.get_close_matches(k, list(node), n=1)
                    hint = f"; did you mean '{close[0]}'?" if close else f" (keys here: {', '.join(node)})"
                raise KeyError(f"{where}: no such key{hint}")
        return node

    def _get(self, path):
        node = self._lookup(path)
        if isinstance(node, dict):
            return _View(self, path)
        if isinstance(node, list):
            return yaml.safe_load(yaml.safe_dump(node))  # a copy: assign a new list to change it
        return node

    def _set(self, path, value):
        if isinstance(value, _View):
            value = value.to_dict()
        text = _yaml_value(value)
        key = ".".join(path)
        self._overrides.append(f"{key}={text}")
        object.__setattr__(self, "_resolved", None)
        # Show the edit at once; the schema checks it (and normalises units) on validate().
        node = self._tree
        for k in path[:-1]:
            if isinstance(node, list) and k.isdigit() and int(k) < len(node):
                node = node[int(k)]
            else:
                node = node.setdefault(k, {}) if isinstance(node, dict) else {}
        if isinstance(node, list) and path[-1].isdigit() and int(path[-1]) < len(node):
            node[int(path[-1])] = yaml.safe_load(text)
        elif isinstance(node, dict):
            node[path[-1]] = yaml.safe_load(text)

    def set(self, key, value):
        """Sets one key by dotted path: ``cfg.set("hardware.chip.clock", "1600 MHz")``."""
        self._set(_split(key), value)
        return self

    def update(self, values):
        """Sets several keys: ``cfg.update({"cluster.nodes": 2, "parallel.attention_dp": 16})``."""
        for k, v in dict(values).items():
            self._set(_split(k), v)
        return self

    # -- validation and output
    def _resolve(self):
        text = _core.resolve_scenario(self._file, list(self._overrides))
        object.__setattr__(self, "_tree", yaml.safe_load(text))
        object.__setattr__(self, "_resolved", text)
        object.__setattr__(self, "_valid", len(self._overrides))
        return text

    def revert(self):
        """Drops the edits made since the config last validated (e.g. after a ConfigError)."""
        del self._overrides[self._valid:]
        self._resolve()
        return self

    def validate(self):
        """Checks the config with the simulator's schema; raises ConfigError (with file, line,
        column and key) as ``strata check`` would. Returns the config."""
        if self._resolved is None:
            self._resolve()
        return self

    def to_yaml(self):
        """The validated, resolved scenario: every key with its value, in canonical units."""
        self.validate()
        return self._resolved

    def save(self, path):
        """Validates and writes the resolved scenario as YAML (atomically); returns the path.
        ``strata.load(path)`` reads it back to an equal config."""
        write_text_atomic(os.fspath(path), self.to_yaml())
        return path

    def copy(self):
        """An independent copy with the same file and edits."""
        cfg = Config.__new__(Config)
        _View.__init__(cfg, cfg, ())
        object.__setattr__(cfg, "_file", self._file)
        object.__setattr__(cfg, "_overrides", list(self._overrides))
        object.__setattr__(cfg, "_tree", copy.deepcopy(self._tree))
        object.__setattr__(cfg, "_resolved", self._resolved)
        object.__setattr__(cfg, "_valid", self._valid)
        object.__setattr__(cfg, "_keep", self._keep)
        return cfg

    @property
    def file(self):
        """The scenario file the config was read from."""
        return self._file

    @property
    def overrides(self):
        """The edits so far, as ``key.path=value`` (what ``strata run -p`` takes)."""
        return list(self._overrides)

    def __eq__(self, other):
        if isinstance(other, Config):
            return self.to_yaml() == other.to_yaml()
        return super().__eq__(other)

    __hash__ = None

    def __repr__(self):
        t = self._tree
        try:
            hw = t["hardware"]["chip"]["name"]
            gpus = t["cluster"]["nodes"] * t["hardware"]["gpus_per_node"]
            what = f"{gpus} x {hw}, {t['workload']['model']['name']}"
        except (KeyError, TypeError):
            what = ""
        edits = f"; {len(self._overrides)} override(s)" if self._overrides else ""
        return f"<strata.Config {t.get('name', '?')}: {what}{edits}>"

    def __str__(self):
        return self.to_yaml()


def _override_list(overrides):
    if overrides is None:
        return []
    if isinstance(overrides, dict):
        return [f"{k}={_yaml_value(v)}" for k, v in overrides.items()]
    if isinstance(overrides, str):
        return [overrides]
    return [str(o) for o in overrides]


class _TempFile:
    """A file in a private temporary directory, removed when the last user lets go of it."""

    def __init__(self, text, name):
        directory = tempfile.mkdtemp(prefix="strata-config-")
        self.path = os.path.join(directory, name)
        write_text_atomic(self.path, text)
        weakref.finalize(self, shutil.rmtree, directory, True)


def load(path, overrides=None):
    """Reads and validates a scenario file. ``overrides`` is a dict ``{"key.path": value}`` or a
    list of ``"key.path=value"`` strings, applied as ``strata run -p`` would. Raises
    :class:`ConfigError` (with ``file``, ``line``, ``column``, ``key``) on bad input."""
    return Config(path, overrides)
