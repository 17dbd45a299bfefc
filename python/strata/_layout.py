"""File names inside a sweep directory (see _sweep.py)."""
import os


def point_paths(directory, index, count):
    """(scenario YAML, result HDF5, error text) of point ``index`` in a sweep of ``count`` points."""
    stem = f"{index:0{max(4, len(str(max(count - 1, 0))))}d}"
    return (os.path.join(directory, "configs", stem + ".yaml"),
            os.path.join(directory, "points", stem + ".h5"),
            os.path.join(directory, "points", stem + ".error"))
