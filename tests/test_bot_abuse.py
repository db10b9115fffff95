"""Bot abuse beyond `test_bot_safety.py`: bodies of 1 MB, JSON nested thousands deep, thousands of form
fields, unusual content types and methods, lone surrogates, slow clients on a real server, and the hostile
corpus sent as submissions. Each is refused (or checked) cleanly, in French, and nothing is written."""

from __future__ import annotations

import datetime as dt
import json
import socket
from pathlib import Path

import httpx
import pytest
from botkit import SITE, branches, git_bot_client, git_bot_config, live_server, make_remote, payload
from hardening import hostile_cases, read_expected

from ccdir.content import reader

pytestmark = pytest.mark.slow  # every test drives the bot against a git remote: `make test-fast` leaves them out

MEGABYTE = 1024 * 1024


@pytest.fixture(scope="module")
def remote(tmp_path_factory):
    return make_remote(tmp_path_factory.mktemp("abuse"))


@pytest.fixture(scope="module")
def client(remote):
    return git_bot_client(remote)


@pytest.fixture(scope="module")
def server(remote):
    from ccdir.intake.bot.app import create_app

    with live_server(create_app(git_bot_config(remote))) as url:
        yield url


def assert_refused_in_french(resp: httpx.Response, status: int) -> dict:
    assert resp.status_code == status, resp.text
    data = resp.json()
    assert data["status"] in ("error", "invalid") and data["message"]
    assert "Traceback" not in resp.text and "Error" not in data["message"]
    return data


@pytest.mark.parametrize(
    "body, ctype, expected",
    [
        (b'{"merchant": {"name": ' + b"[" * 25_000 + b"]" * 25_000 + b"}}", "application/json", "JSON valide"),
        (b"[" * 30_000, "application/json", "JSON valide"),
        (b'{"merchant": {"name": ' + b"9" * 10_000 + b"}}", "application/json", "JSON valide"),
        (b"\xef\xbb\xbf" + json.dumps(payload()).encode(), "application/json", "JSON valide"),
        ("&".join(["name=x"] * 3000).encode(), "application/x-www-form-urlencoded", "plus de 2 000 champs"),
        (b"", "application/json", "JSON valide"),
        (b"null", "application/json", "objet JSON"),
        (json.dumps(payload()).encode(), "", "format de demande non pris en charge"),
        (json.dumps(payload()).encode(), "application/xml", "format de demande non pris en charge"),
        (
            b'--x\r\nContent-Disposition: form-data; name="name"\r\n\r\nx\r\n--x--\r\n',
            "multipart/form-data; boundary=x",
            "format de demande non pris en charge",
        ),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "image/png", "UTF-8"),
    ],
)
def test_malformed_bodies_get_400_in_french(client, remote, body, ctype, expected):
    for path in ("/check", "/submit"):
        resp = client.post(path, content=body, headers={"Content-Type": ctype} if ctype else {})
        assert expected in assert_refused_in_french(resp, 400)["message"]
    assert set(branches(remote)) == {"main"}


@pytest.mark.parametrize(
    "over, field, expected",
    [
        ({"name": "Fleurs \ud800"}, "name", "caractère inconnu (U+D800)"),  # was a 500: not encodable in UTF-8
        ({"name": "Fleurs\u0000"}, "name", "caractère de contrôle (U+0000)"),
        ({"name": "Fleurs\u3164"}, "name", "caractère invisible (U+3164)"),
        ({"name": "𝐅𝐥𝐞𝐮𝐫𝐬"}, "name", "lettres décoratives"),
        ({"products": [{"name": "Pain", "price": float("nan")}]}, "products.0.price", "nombre attendu"),
        ({"products": [{"name": "Pain", "price": float("inf")}]}, "products.0.price", "nombre attendu"),
        (
            {"address": {"street": "3 rue Royale", "postcode": "45000", "city": "Orléans", "lat": True, "lon": 1.9}},
            "address.lat",
            "nombre attendu, pas true",
        ),
        ({"contact": {"website": "javascript:alert(1)", "phone": "02 38 11 22 33"}}, "contact.website", "refusée"),
        (
            {"contact": {"website": 'https://example.org/"><script>', "phone": "02 38 11 22 33"}},
            "contact.website",
            "n'a rien à faire",
        ),
        ({"name": {"$gt": ""}}, "name", "doit être un texte"),
    ],
)
def test_hostile_values_get_422_with_the_field(client, remote, over, field, expected):
    body = json.dumps(payload(**over)).encode()
    resp = client.post("/submit", content=body, headers={"Content-Type": "application/json", "Origin": SITE})
    errors = assert_refused_in_french(resp, 422)["errors"]
    assert expected in errors[field][0], errors
    assert set(branches(remote)) == {"main"}


def test_other_methods_are_not_allowed(client):
    assert client.get("/submit").status_code == 405
    assert client.put("/submit", json=payload()).status_code == 405
    assert client.delete("/check").status_code == 405


def test_markup_is_checked_as_plain_text(client):
    """Valid but nasty text goes through unchanged, as data (the site escapes it when it renders)."""
    nasty = '<script>alert(1)</script> "Fleurs" & <img src=x onerror=alert(1)>'
    resp = client.post("/check", json=payload(name="Fleurs " + nasty[:60], description=nasty))
    assert resp.status_code == 200, resp.text
    data = resp.json()
    assert data["merchant"]["description"] == nasty
    assert data["merchant"]["name"] == "Fleurs " + nasty[:60]


def _json_ready(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    raise TypeError(type(value))


def readable_cases() -> list[Path]:
    cases = []
    for case in hostile_cases():
        try:
            doc = reader.read_file(case)
        except reader.ReadError:
            continue
        if isinstance(doc.data, dict):
            cases.append(case)
    return cases


# Cases the build refuses but a submission cannot carry: the file name (the bot chooses the slug), the
# « updated » date (the bot sets it) and a YAML date where text is expected (JSON has no dates).
NOT_IN_A_SUBMISSION = {"type-name-date", "yaml-huge-int", "type-updated-int", "type-updated-string"}


def _only_about_the_file_name_or_date(case: Path) -> bool:
    lines = read_expected(case.with_suffix(".expected"))
    return (
        case.stem in NOT_IN_A_SUBMISSION
        or case.stem.startswith("date-")
        or all(line.startswith(("0:0: nom de fichier", "0:0: nom de fichier trop long")) for line in lines)
    )


def test_hostile_corpus_as_submissions(client, remote):
    """Every corpus case that is a readable mapping, sent as the form would: the build's verdict, never a crash."""
    verdicts = {}
    for case in readable_cases():
        merchant = reader.read_file(case).data
        body = json.dumps({"action": "create", "consent": True, "merchant": merchant}, default=_json_ready)
        resp = client.post("/check", content=body.encode(), headers={"Content-Type": "application/json"})
        assert resp.status_code in (200, 422), (case.name, resp.status_code, resp.text[:200])
        verdicts[case.stem] = resp.status_code
        if case.with_suffix(".safe").exists():
            assert resp.status_code == 200, (case.name, resp.text[:300])
        elif resp.status_code == 200:
            assert _only_about_the_file_name_or_date(case), f"{case.name}: refused by the build, accepted by the bot"
        else:
            assert_refused_in_french(resp, 422)
    assert len(verdicts) > 100
    assert set(branches(remote)) == {"main"}


# --- a real server (uvicorn), real sockets -------------------------------------------------------------------


def raw_request(url: str, head: bytes) -> socket.socket:
    host, port = url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=30)  # a hang fails the test instead of blocking
    sock.sendall(head)
    return sock


def read_response(sock: socket.socket) -> bytes:
    """Status line, headers and body (as long as Content-Length says) of one HTTP response."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    length = next(
        (int(line.split(b":", 1)[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")), 0
    )
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


def test_declared_megabyte_is_refused_before_it_is_sent(server, remote):
    sock = raw_request(
        server,
        b"POST /submit HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"Content-Length: %d\r\n\r\n" % MEGABYTE,
    )
    answer = read_response(sock)
    sock.close()
    assert answer.startswith(b"HTTP/1.1 413")
    assert b"trop volumineuse" in answer
    assert set(branches(remote)) == {"main"}


def test_streamed_megabyte_is_refused(server, remote):
    def chunks():
        for _ in range(MEGABYTE // 8192):
            yield b" " * 8192

    try:
        resp = httpx.post(
            server + "/submit", content=chunks(), headers={"Content-Type": "application/json"}, timeout=30
        )
        assert_refused_in_french(resp, 413)
    except httpx.WriteError:  # the server may close the connection while the rest is still being sent
        pass
    assert set(branches(remote)) == {"main"}


def test_slow_clients_do_not_block_others_and_write_nothing(server, remote, tmp_path):
    body = json.dumps(payload(name="Fleurs lentes")).encode()
    slow = []
    for i in range(20):
        if i % 2:  # headers never finished (slowloris)
            slow.append(raw_request(server, b"POST /submit HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Lent: "))
        else:  # body promised, a few bytes sent, then nothing
            slow.append(
                raw_request(
                    server,
                    b"POST /submit HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body[:50]),
                )
            )
    try:
        resp = httpx.post(server + "/check", json=payload(), headers={"Origin": SITE}, timeout=30)
        assert resp.status_code == 200
    finally:
        for sock in slow:
            sock.close()
    health = httpx.get(server + "/health", timeout=30)
    assert health.status_code == 200
    assert set(branches(remote)) == {"main"}  # the half-sent submissions created nothing
