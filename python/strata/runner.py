"""Running simulations from Python: each one in a fresh ``strata run`` process.

The SystemC kernel cannot be reset inside a process, so a process that simulates twice is
wrong; and a child that merely forks from Python would inherit its threads' locks. Every
simulation therefore runs in its own newly started ``strata`` binary, the same one the command
line uses, so ``strata.run`` and ``strata run`` give byte-identical files. Waiting on the child
holds no GIL; its progress lines feed a progress bar or a callback.
"""
import os
import shutil
import subprocess
import tempfile
import time
import weakref

from ._atomic import write_text_atomic
from .progress import Bar


class SimulationError(RuntimeError):
    """A simulation that did not finish: ``returncode`` and ``message`` of the strata process."""

    def __init__(self, message, returncode):
        super().__init__(message)
        self.message = message
        self.returncode = returncode


def executable():
    """The ``strata`` binary used for simulations: $STRATA_EXECUTABLE, else the one of this build."""
    path = os.environ.get("STRATA_EXECUTABLE")
    if not path:
        from . import _build

        path = _build.EXECUTABLE
    if not os.access(path, os.X_OK):
        raise FileNotFoundError(f"strata binary '{path}' not found or not executable; build it (make) "
                                "or set STRATA_EXECUTABLE")
    return path


def simulate(scenario_path, out_path, on_progress=None, exe=None):
    """Runs ``strata run SCENARIO -o OUT`` in a new process. ``on_progress(fraction, stage)`` is
    called as the child reports. Raises :class:`SimulationError` if it fails; the output file
    then does not exist (strata writes it atomically)."""
    cmd = [exe or executable(), "run", os.fspath(scenario_path), "-o", os.fspath(out_path), "-q", "--progress"]
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True, errors="replace")
    messages = []
    try:
        for line in proc.stderr:  # blocking reads release the GIL
            if line.startswith("progress "):
                parts = line.split(maxsplit=2)
                if on_progress and len(parts) == 3:
                    on_progress(float(parts[1]), parts[2].strip())
            else:
                messages.append(line)
        rc = proc.wait()
    except BaseException:
        proc.kill()
        proc.wait()
        raise
    if rc != 0:
        text = "".join(messages).strip()
        if rc < 0:
            text = (text + "\n" if text else "") + f"strata was killed by signal {-rc}"
        raise SimulationError(text or f"strata exited with code {rc}", rc)


def run(config, progress=None):
    """Simulates a scenario and returns its :class:`~strata.Result`.

    ``config`` is a :class:`~strata.Config` (validated first, raising ConfigError) or a path.
    ``progress``: None shows a bar for runs longer than a second on a terminal or notebook,
    True always, False never; a callable gets ``(fraction, stage)``.

    Every call runs in a new process, so calls may repeat any number of times in one Python
    session (and from several threads) with bit-identical results for identical inputs.
    """
    from .config import Config, load
    from .result import Result

    cfg = config if isinstance(config, Config) else load(config)
    text = cfg.to_yaml()
    owner = _RunDir()
    scenario = os.path.join(owner.path, "scenario.yaml")
    out = os.path.join(owner.path, "result.h5")
    write_text_atomic(scenario, text)
    if callable(progress):
        simulate(scenario, out, progress)
    else:
        bar = Bar(f"strata run {cfg.get('name', '')}", enabled=progress, delay=None if progress else 1.0)
        start = time.monotonic()
        try:
            simulate(scenario, out, lambda f, stage: bar.update(f, f"{stage} {time.monotonic() - start:.1f} s"))
        finally:
            bar.close()
    return Result(out, _keep=owner)


class _RunDir:
    """A private directory for one run's files, removed when its result is garbage."""

    def __init__(self):
        self.path = tempfile.mkdtemp(prefix="strata-run-")
        weakref.finalize(self, shutil.rmtree, self.path, True)
