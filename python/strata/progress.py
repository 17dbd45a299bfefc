"""A one-line text progress bar for runs and sweeps, on stderr.

On a terminal or in a notebook the line is redrawn in place; elsewhere (logs, CI) a plain
line is printed at most every ``log_every`` seconds and once at the end.
"""
import sys
import time


def _live(stream):
    if "ipykernel" in sys.modules:
        return True
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class Bar:
    """``enabled``: True always shows, False never, None shows only where the line can be
    redrawn. ``delay``: seconds before the bar first appears (short runs print nothing)."""

    def __init__(self, label, enabled=None, delay=None, stream=None, width=24, log_every=10.0):
        self.stream = stream or sys.stderr
        self.live = _live(self.stream)
        self.enabled = self.live if enabled is None else bool(enabled)
        self.label = label
        self.width = width
        self.start = time.monotonic()
        self.delay = delay or 0.0
        self.log_every = log_every
        self.last_draw = float("-inf")
        self.shown = False
        self.pending = None
        self.drawn = None
        self._last_len = 0

    def update(self, fraction, message=""):
        if not self.enabled:
            return
        now = time.monotonic()
        self.pending = (fraction, message)
        if now - self.start < self.delay:
            return
        interval = 0.1 if self.live else self.log_every
        if now - self.last_draw >= interval or fraction >= 1.0:
            self._draw(*self.pending)
            self.last_draw = now

    def _draw(self, fraction, message):
        fraction = min(max(fraction, 0.0), 1.0)
        filled = int(round(fraction * self.width))
        self.drawn = (fraction, message)
        line = f"{self.label} [{'#' * filled}{'.' * (self.width - filled)}] {fraction * 100:3.0f}%  {message}"
        if self.live:
            self.stream.write("\r" + line.ljust(self._last_len))
            self._last_len = len(line)
        else:
            self.stream.write(line + "\n")
        self.stream.flush()
        self.shown = True

    def close(self, message=None):
        """Draws the final state (if the bar was shown, or if ``message`` is given) and ends the line."""
        if not self.enabled or (not self.shown and message is None):
            return
        final = self.pending or (1.0, "")
        if message is not None:
            final = (final[0], message)
        if final != self.drawn:
            self._draw(*final)
        if self.live:
            self.stream.write("\n")
            self.stream.flush()
