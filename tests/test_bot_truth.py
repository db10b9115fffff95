"""A bot that tells the truth: bounded JSON, quiet disconnects, slow clients cut, rate limit per network,
one count per outcome."""

from __future__ import annotations

import json
import logging
import socket
import time

import httpx
import pytest
from botkit import branches, git_bot_client, git_bot_config, live_server, make_remote, payload

from ccdir.intake.bot.app import create_app
from ccdir.intake.bot.safety import RateLimiter, network_key

pytestmark = pytest.mark.slow  # every test drives the bot against a git remote: `make test-fast` leaves them out


@pytest.fixture
def remote(tmp_path):
    return make_remote(tmp_path)


@pytest.mark.parametrize("depth", [9, 1_000, 100_000])
def test_deep_json_is_a_french_400_not_a_crash(remote, depth):
    body = '{"action": "create", "consent": true, "merchant": {"products": ' + "[" * depth + "]" * depth + "}}"
    client = git_bot_client(remote, max_bytes=1024 * 1024)
    resp = client.post("/submit", content=body.encode(), headers={"Content-Type": "application/json"})
    assert resp.status_code == 400, resp.text
    assert "imbriquée" in resp.json()["message"] or "JSON valide" in resp.json()["message"]
    assert set(branches(remote)) == {"main"}


def test_too_many_values_is_a_french_400(remote):
    body = json.dumps({**payload(), "merchant": {**payload()["merchant"], "categories": ["x"] * 6000}})
    resp = git_bot_client(remote, max_bytes=1024 * 1024).post(
        "/submit", content=body.encode(), headers={"Content-Type": "application/json"}
    )
    assert resp.status_code == 400 and "trop longue" in resp.json()["message"]


def test_network_keys():
    assert network_key("203.0.113.7") == "203.0.113.7"
    assert network_key("2001:db8:1:2:aaaa::1") == network_key("2001:db8:1:2:ffff:1:2:3") == "2001:db8:1:2::/64"
    assert network_key("2001:db8:1:3::1") != network_key("2001:db8:1:2::1")
    assert network_key("::ffff:203.0.113.7") == "203.0.113.7"
    assert network_key("not an address") == "not an address"


def test_rotating_ipv6_addresses_inside_one_64_share_one_limit(remote):
    client = git_bot_client(remote, rate=2, window=3600, trust_proxy=True)
    answers = [
        client.post("/check", json=payload(), headers={"X-Forwarded-For": f"2001:db8:5:6::{i:x}"}).status_code
        for i in range(1, 45)
    ]
    assert answers.count(200) == 40 and answers[-1] == 429  # /check allows 20 × the submit rate
    other = client.post("/check", json=payload(), headers={"X-Forwarded-For": "2001:db8:5:7::1"})
    assert other.status_code == 200  # the next /64 is someone else


def test_a_blocked_client_is_never_forgotten_while_blocked():
    now = [0.0]
    limiter = RateLimiter(rate=3, window=3600, max_keys=100, clock=lambda: now[0])
    for _ in range(3):
        assert limiter.allow("attacker")[0]
    assert not limiter.allow("attacker")[0]
    for i in range(10_001):  # a flood of new keys to push the blocked one out
        now[0] += 0.01
        limiter.allow(f"198.51.100.{i}")
    assert len(limiter) <= 101  # memory stays bounded by the clients in good standing
    assert not limiter.allow("attacker")[0]
    now[0] += 3600
    assert limiter.allow("attacker")[0]  # its window over, it may come back


def test_every_outcome_is_counted_and_logged_once(remote, caplog):
    client = git_bot_client(remote)
    caplog.set_level(logging.INFO, logger="ccdir.intake.bot")
    client.post("/submit", json=payload())
    client.post("/submit", json=payload())
    client.post("/submit", json=payload(name=""))
    client.post("/submit", content=b"{", headers={"Content-Type": "application/json"})
    client.post("/check", json=payload())
    counts = client.get("/metrics").json()["outcomes"]
    assert counts == {
        "check.ok": 1,
        "submit.created": 1,
        "submit.invalid": 1,
        "submit.malformed": 1,
        "submit.pending": 1,
    }
    lines = [r.getMessage() for r in caplog.records if r.name == "ccdir.intake.bot"]
    assert [line.split()[:2] for line in lines if line.startswith(("submit", "check"))] == [
        ["submit", "created"],
        ["submit", "pending"],
        ["submit", "invalid"],
        ["submit", "malformed"],
        ["check", "ok"],
    ]


@pytest.fixture
def server(remote):
    app = create_app(git_bot_config(remote, body_seconds=1.0))
    with live_server(app) as url:
        yield url, app


def _connect(url: str) -> socket.socket:
    host, port = url.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)), timeout=30)


def test_a_slow_body_is_answered_408(server, remote):
    url, app = server
    body = json.dumps(payload()).encode()
    sock = _connect(url)
    sock.sendall(
        b"POST /submit HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"Content-Length: %d\r\n\r\n%s" % (len(body), body[:40])
    )
    answer = b""
    while b"\r\n\r\n" not in answer or len(answer.split(b"\r\n\r\n", 1)[1]) < 100:
        chunk = sock.recv(65536)
        if not chunk:
            break
        answer += chunk
    sock.close()
    assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
    assert b"trop lentement" in answer
    assert app.state.outcomes.snapshot() == {"submit.too_slow": 1}
    assert set(branches(remote)) == {"main"}


def test_a_client_leaving_mid_upload_leaves_no_traceback(server, remote, caplog):
    url, app = server
    caplog.set_level(logging.INFO)
    for _ in range(3):
        sock = _connect(url)
        sock.sendall(
            b"POST /submit HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b'Content-Length: 5000\r\n\r\n{"action": '
        )
        sock.close()
    deadline = time.monotonic() + 10
    while app.state.outcomes.snapshot().get("submit.disconnected", 0) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert app.state.outcomes.snapshot() == {"submit.disconnected": 3}
    assert httpx.get(url + "/health").status_code == 200
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert "Traceback" not in caplog.text
    assert set(branches(remote)) == {"main"}
