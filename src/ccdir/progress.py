"""Progress bars on the terminal for long builds (`ccdir build`, `ccdir geocode`).

A bar appears only when a step lasts more than `DELAY` seconds (a small site never shows one), on a
terminal, outside CI (`CI` set, as GitHub Actions and most CI services do) and without `-q`. The library
only calls `progress(step, done, total)`; drawing is done here, with tqdm.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TextIO

from tqdm import tqdm

Progress = Callable[[str, int, int], None]
DELAY = 2.0  # seconds before a bar is drawn
LABELS = {"pages": "Pages", "géocodage": "Géocodage"}
UNITS = {"pages": " pages", "géocodage": " adresses"}


def wanted(quiet: bool, stream: TextIO | None = None) -> bool:
    """Whether to draw bars: not with -q, not in CI, only on a terminal."""
    stream = stream or sys.stderr
    return not quiet and not os.environ.get("CI") and stream.isatty()


def terminal_progress(quiet: bool = False, stream: TextIO | None = None, delay: float = DELAY) -> Progress | None:
    """A `progress` callback drawing one bar per step on `stream` (stderr), or None when bars are not wanted."""
    if not wanted(quiet, stream):
        return None
    out = stream or sys.stderr
    bars: dict[str, tqdm] = {}

    def report(step: str, done: int, total: int) -> None:
        bar = bars.get(step)
        if bar is None:
            bar = bars[step] = tqdm(
                total=total,
                desc=LABELS.get(step, step),
                unit=UNITS.get(step, ""),
                delay=delay,
                file=out,
                leave=False,
                dynamic_ncols=True,
            )
        bar.update(done - bar.n)
        if done >= total:
            bar.close()

    return report
