"""Request hygiene for the bot: allowed origins, per-IP rate limit, bounded request bodies."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict

from starlette.requests import Request


class TooLarge(Exception):
    pass


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refusing more than `limit` bytes without reading them all."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise TooLarge()
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge()
        chunks.append(chunk)
    return b"".join(chunks)


def client_ip(request: Request, trust_proxy: bool) -> str:
    """The client's address; behind a reverse proxy, the last address it added to X-Forwarded-For."""
    if trust_proxy:
        forwarded = request.headers.get("x-forwarded-for", "")
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if hops:
            return hops[-1]
    return request.client.host if request.client else "?"


def origin_allowed(request: Request, origins: list[str]) -> bool:
    """Browsers send Origin on cross-site POSTs: only the site's own origin may submit."""
    origin = request.headers.get("origin")
    return origin is None or origin.rstrip("/") in origins


class RateLimiter:
    """At most `rate` events per `window` seconds per key (sliding window; memory bounded by `max_keys`).

    Per process: with several bots behind a load balancer each keeps its own count, so the effective
    limit is at most `rate` × the number of bots.
    """

    def __init__(self, rate: int, window: float, max_keys: int = 10_000, clock=time.monotonic):
        self.rate, self.window, self.max_keys, self.clock = rate, window, max_keys, clock
        self._hits: OrderedDict[str, list[float]] = OrderedDict()
        self._lock = threading.Lock()

    def allow(self, key: str) -> tuple[bool, int]:
        """(allowed?, seconds to wait when not)."""
        if self.rate <= 0:
            return True, 0
        now = self.clock()
        with self._lock:
            hits = [t for t in self._hits.pop(key, []) if now - t < self.window]
            allowed = len(hits) < self.rate
            if allowed:
                hits.append(now)
            self._hits[key] = hits
            while len(self._hits) > self.max_keys:
                self._hits.popitem(last=False)
            wait = 0 if allowed else int(self.window - (now - hits[0])) + 1
        return allowed, wait
