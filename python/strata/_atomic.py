"""Files appear at their final path complete or not at all: written to a hidden temporary
file in the same directory, flushed to disk, then renamed (as the C++ results writer does)."""
import os
import shutil
import threading


def _temp_name(path):
    d, name = os.path.split(os.path.abspath(path))
    return os.path.join(d, f".{name}.tmp-{os.getpid()}-{threading.get_ident()}")


def write_with(path, fill):
    """Calls ``fill(temp_path)`` to create the file (e.g. with h5py), then renames it into place."""
    tmp = _temp_name(path)
    try:
        fill(tmp)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _write_stream(path, write):
    def fill(tmp):
        with open(tmp, "wb") as f:
            write(f)

    write_with(path, fill)


def write_bytes_atomic(path, data):
    _write_stream(path, lambda f: f.write(data))


def write_text_atomic(path, text):
    write_bytes_atomic(path, text.encode("utf-8"))


def copy_file_atomic(src, path):
    def write(f):
        with open(src, "rb") as s:
            shutil.copyfileobj(s, f)

    _write_stream(path, write)
