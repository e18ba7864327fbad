"""A progress display for long jobs: the stage and the elapsed time, on stderr.

On a terminal the current line is redrawn (``[reproduce   3.2s] figure: networks``); when stderr
is not a terminal (a pipe, a log file, CI) or the display is quiet (``--quiet``), nothing is
printed. The display never touches stdout, so a command's output stays clean.
"""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import TextIO

__all__ = ["Progress"]


class Progress:
    """Stage and elapsed time of a job.

    Parameters
    ----------
    enabled : bool
        False for ``--quiet``: nothing is printed.
    stream : file, optional
        Where to write (default ``sys.stderr``).
    tty : bool, optional
        Whether ``stream`` is a terminal (default: ask it). The display redraws one line in
        place on a terminal and prints nothing otherwise; ``lines=True`` prints one line per
        stage instead (for logs that want it).
    label : str
        Prefix of every line.
    lines : bool
        Print one line per stage when ``stream`` is not a terminal (default False: quiet).
    clock : callable, optional
        Seconds as a float (default ``time.perf_counter``).

    Examples
    --------
    >>> import io
    >>> buf = io.StringIO()
    >>> with Progress(stream=buf, lines=True, clock=iter([0.0, 1.25, 2.5, 3.0]).__next__) as p:
    ...     p.stage("tables")
    ...     p.stage("figures")
    >>> print(buf.getvalue(), end="")
    [reproduce    1.2s] tables
    [reproduce    2.5s] figures
    [reproduce    3.0s] done
    >>> quiet = io.StringIO()  # not a terminal: nothing
    >>> with Progress(stream=quiet) as p:
    ...     p.stage("tables")
    >>> quiet.getvalue()
    ''
    """

    def __init__(self, enabled: bool = True, stream: TextIO | None = None,
                 tty: bool | None = None, label: str = "reproduce", lines: bool = False,
                 clock: object = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        isatty = getattr(self.stream, "isatty", None)
        self.tty = bool(isatty()) if tty is None and callable(isatty) else bool(tty)
        self.enabled = enabled and (self.tty or lines)
        self.label = label
        self._clock = clock if callable(clock) else time.perf_counter
        self._t0 = float(self._clock())  # type: ignore[operator]
        self._last = ""
        self.stages: list[tuple[str, float]] = []

    def elapsed(self) -> float:
        """Seconds since the display was created."""
        return float(self._clock()) - self._t0  # type: ignore[operator]

    def _write(self, text: str, final: bool = False, t: float | None = None) -> None:
        if not self.enabled:
            return
        line = f"[{self.label} {self.elapsed() if t is None else t:6.1f}s] {text}"
        if self.tty:
            pad = max(len(self._last) - len(line), 0)
            self.stream.write("\r" + line + " " * pad + ("\n" if final else ""))
        else:
            self.stream.write(line + "\n")
        self._last = line
        self.stream.flush()

    def stage(self, name: str) -> None:
        """Start a stage: show its name and the elapsed time."""
        t = self.elapsed()
        self.stages.append((name, t))
        self._write(name, t=t)

    def detail(self, text: str) -> None:
        """Update the current stage with a detail (only redrawn on a terminal)."""
        if self.tty and self.stages:
            self._write(f"{self.stages[-1][0]}: {text}")

    def done(self, text: str = "done") -> None:
        """Finish: print the total elapsed time on its own line."""
        self._write(text, final=True)

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if exc_type is None:
            self.done()
        elif self.tty and self.enabled:
            self.stream.write("\n")
