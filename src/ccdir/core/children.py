"""Worker processes that never outlive the build that started them.

A build killed outright (SIGKILL from a supervisor, `ccdir serve` cancelling a rebuild, a power cut of
the terminal) cannot tell its workers to stop: without this, forked workers stay alive forever, blocked
writing to a pipe nobody reads. `die_with_parent` is the initializer of every process pool: on Linux the
kernel kills the worker when its parent dies (`prctl(PR_SET_PDEATHSIG)`); elsewhere a watchdog thread
notices that the parent changed.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
WATCH_SECONDS = 0.5


def die_with_parent(parent: int) -> None:
    """Make this process die when process `parent` (the one that forked it) dies."""
    armed = False
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            armed = libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
        except (OSError, AttributeError):
            armed = False
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)
    if not armed:
        threading.Thread(target=_watch, args=(parent,), name="ccdir-watch-parent", daemon=True).start()


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCH_SECONDS)
    os._exit(1)


def can_fork() -> bool:
    """Whether this platform starts workers by forking (they then share the parent's loaded state)."""
    return "fork" in multiprocessing.get_all_start_methods()


def forked_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of `workers` forked processes that die with this one (`die_with_parent`)."""
    return ProcessPoolExecutor(
        workers, mp_context=multiprocessing.get_context("fork"), initializer=die_with_parent, initargs=(os.getpid(),)
    )
