"""One submission at a time per business: file locks keyed by what makes two entries one business.

Two submissions for one business can arrive in the same second under two names (same SIRET, or a
look-alike name at the same address): their branch names differ, so the remote's atomic branch creation
does not keep them apart. The bot therefore looks at the remote, decides and pushes while holding a lock
on each key of the business (`Identity`'s SIRET and name in the postcode; the slug for an edit or a
removal): the second submission then sees the first one's branch and is answered « pending » (or
gets a « conflit » request beside it).

The locks are `flock`s on files in the system's temporary folder, one folder per remote: they hold across
the threads of one bot and across the worker processes of `ccdir bot --workers` on one machine (several
machines behind a load balancer would need a shared lock; `placing._settle` still withdraws the later of
two branches that see each other). A fixed number of lock files (keys are hashed into `STRIPES`), taken
in order, so that two submissions never wait for each other in a circle.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

STRIPES = 512
log = logging.getLogger("ccdir.intake.bot")


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


@contextlib.contextmanager
def business_lock(scope: str, keys: Iterable[str], folder: Path | None = None) -> Iterator[None]:
    """Hold the locks of `keys` (within `scope`: the remote) until the block ends.

    A lock folder that cannot be used (read-only, taken by another user) never refuses a submission: it is
    logged and the submission goes on unlocked, as before the locks existed."""
    base = (folder or Path(tempfile.gettempdir()) / "ccdir-bot-locks") / _digest(scope)[:16]
    stripes = sorted({int(_digest(key)[:8], 16) % STRIPES for key in keys if key})
    with contextlib.ExitStack() as stack:
        try:
            base.mkdir(parents=True, exist_ok=True)
            for n in stripes:
                handle = stack.enter_context(open(base / f"{n:03d}.lock", "a+b"))
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX)  # released when the file is closed
        except OSError as exc:
            log.warning("business lock unavailable in %s: %s", base, exc)
            stack.close()
        yield
