"""Request hygiene for the bot: allowed origins, per-network rate limit, bounded request bodies, outcome
counters."""

from __future__ import annotations

import asyncio
import ipaddress
import threading
import time
from collections import Counter, OrderedDict

from starlette.requests import ClientDisconnect, Request

BODY_SECONDS = 20.0  # a whole body must arrive within this (a form is a few kilobytes)


class TooLarge(Exception):
    pass


class TooSlow(Exception):
    pass


class Gone(Exception):
    """The client went away before its request was read."""


async def read_body(request: Request, limit: int, seconds: float = BODY_SECONDS) -> bytes:
    """The request body, refusing more than `limit` bytes without reading them all, or a body that takes
    more than `seconds` to arrive (a slow client holds a connection; it does not hold the bot)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise TooLarge()

    async def gather() -> bytes:
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise TooLarge()
            chunks.append(chunk)
        return b"".join(chunks)

    try:
        return await asyncio.wait_for(gather(), seconds)
    except TimeoutError:
        raise TooSlow() from None
    except ClientDisconnect:
        raise Gone() from None


def client_ip(request: Request, trust_proxy: bool) -> str:
    """The client's address; behind a reverse proxy, the last address it added to X-Forwarded-For."""
    if trust_proxy:
        forwarded = request.headers.get("x-forwarded-for", "")
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if hops:
            return hops[-1]
    return request.client.host if request.client else "?"


def network_key(address: str) -> str:
    """What one client controls: an IPv4 address, an IPv6 /64 (one home or phone gets a whole /64, so
    addresses inside it are free to rotate). Anything unreadable is its own key."""
    try:
        ip = ipaddress.ip_address(address.strip().strip("[]"))
    except ValueError:
        return address[:64]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{ip}/64", strict=False))
    return str(ip)


def origin_allowed(request: Request, origins: list[str]) -> bool:
    """Browsers send Origin on cross-site POSTs: only the site's own origin may submit."""
    origin = request.headers.get("origin")
    return origin is None or origin.rstrip("/") in origins


class RateLimiter:
    """At most `rate` events per `window` seconds per key (sliding window).

    Memory is bounded by `max_keys` for clients in good standing: when the table is full, the least
    recently seen clients that are not blocked are forgotten; a blocked client is never forgotten before
    its window ends (the table grows past `max_keys` rather than let it start again).
    Per process: with several bots behind a load balancer each keeps its own count.
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
            if len(self._hits) > self.max_keys:
                self._evict(now)
            wait = 0 if allowed else int(self.window - (now - hits[0])) + 1
        return allowed, wait

    def _evict(self, now: float) -> None:
        """Forget the oldest clients not blocked, down to 90 % of `max_keys` (amortised)."""
        target = self.max_keys * 9 // 10
        for key in list(self._hits):
            if len(self._hits) <= target:
                break
            recent = [t for t in self._hits[key] if now - t < self.window]
            if len(recent) < self.rate:
                del self._hits[key]

    def __len__(self) -> int:
        return len(self._hits)


class Outcomes:
    """A counter per outcome (created, pending, exists, invalid, refused…), for /metrics."""

    def __init__(self) -> None:
        self._counts: Counter[str] = Counter()
        self._lock = threading.Lock()

    def count(self, outcome: str) -> None:
        with self._lock:
            self._counts[outcome] += 1

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            return dict(sorted(self._counts.items()))
