"""Load: 100 concurrent submissions to a live bot (uvicorn, git backend) → exactly 100 branches.

Half of the businesses share their name with another one (in another commune), so slug collisions
are resolved under concurrency too. The time is printed (`pytest -s`), never asserted.
"""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from botkit import SITE, branches, changes, git_bot_config, live_server, make_remote, payload, show

from ccdir.content import reader
from ccdir.intake.bot.app import create_app

pytestmark = pytest.mark.slow  # `make test-fast` leaves these out

CITIES = [("45000", "Orléans"), ("41000", "Blois")]


async def _post_all(url: str, bodies: list[dict]) -> list[httpx.Response]:
    async with httpx.AsyncClient(timeout=120, limits=httpx.Limits(max_connections=len(bodies))) as client:
        return await asyncio.gather(*(client.post(url + "/submit", json=b, headers={"Origin": SITE}) for b in bodies))


def _bot(remote):
    return create_app(git_bot_config(remote))


def test_100_concurrent_submissions_give_100_branches(tmp_path):
    remote = make_remote(tmp_path)
    bodies = [
        payload(
            name=f"Boutique {i // 2}",
            address={"postcode": CITIES[i % 2][0], "city": CITIES[i % 2][1]},
            contact={"phone": f"02 38 {i // 10 + 10:02d} {i % 10 + 10:02d} 00", "email": f"b{i}@example.org"},
        )
        for i in range(100)
    ]
    with live_server(_bot(remote)) as url:
        started = time.perf_counter()
        answers = asyncio.run(_post_all(url, bodies))
        elapsed = time.perf_counter() - started
    print(f"\n100 concurrent submissions (git backend, 2 cores): {elapsed:.1f} s")
    assert [a.status_code for a in answers] == [201] * 100, [a.text for a in answers if a.status_code != 201][:3]
    refs = [a.json()["reference"] for a in answers]
    assert len(set(refs)) == 100
    assert set(branches(remote)) == {"main", *refs}
    seen_paths = set()
    for body, answer in zip(bodies, answers):
        ref = answer.json()["reference"]
        ((status, path),) = changes(remote, ref)
        assert status == "A" and path not in seen_paths
        seen_paths.add(path)
        saved = reader.parse(show(remote, ref, path)).data
        assert (saved["name"], saved["address"]["city"]) == (
            body["merchant"]["name"],
            body["merchant"]["address"]["city"],
        )


def test_same_business_sent_five_times_at_once_opens_one_branch(tmp_path):
    remote = make_remote(tmp_path)
    with live_server(_bot(remote)) as url:
        answers = asyncio.run(_post_all(url, [payload()] * 5))
    statuses = sorted(a.json()["status"] for a in answers)
    assert statuses == ["created"] + ["pending"] * 4
    assert {a.json()["reference"] for a in answers} == {"inscription/fleurs-du-mail"}
    assert set(branches(remote)) == {"main", "inscription/fleurs-du-mail"}


def test_30_submissions_of_10_businesses_at_once_open_10_branches(tmp_path):
    remote = make_remote(tmp_path)
    bodies = [
        payload(
            name=f"Maison {i}", siret=None, contact={"phone": f"02 38 20 {i + 10:02d} 00", "email": f"m{i}@example.org"}
        )
        for i in range(10)
    ] * 3
    with live_server(_bot(remote)) as url:
        started = time.perf_counter()
        answers = asyncio.run(_post_all(url, bodies))
        elapsed = time.perf_counter() - started
    print(f"\n30 concurrent submissions of 10 businesses: {elapsed:.1f} s")
    assert all(a.status_code in (200, 201) for a in answers), [a.text for a in answers if a.status_code >= 300][:3]
    by_business: dict[str, set[str]] = {}
    for body, answer in zip(bodies, answers):
        by_business.setdefault(body["merchant"]["name"], set()).add(answer.json()["reference"])
    assert all(len(refs) == 1 for refs in by_business.values())  # the 3 copies point to one request
    assert sorted(a.json()["status"] for a in answers).count("created") == 10
    assert set(branches(remote)) == {"main", *(ref for refs in by_business.values() for ref in refs)}
    assert len(branches(remote)) == 11
