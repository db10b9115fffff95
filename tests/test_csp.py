"""Content-Security-Policy on every page (meta tag), no inline script or style anywhere, and header samples
for static hosts that match what the code generates."""

from __future__ import annotations

from pathlib import Path

import pytest
from hardening import REPO, parse_page

from ccdir.content.config import Settings
from ccdir.site.security import content_security_policy, headers_config, origin, security_headers

SAMPLES = {"netlify": "_headers", "nginx": "nginx.conf", "apache": ".htaccess"}


DATA_BLOCKS = ("application/ld+json", "application/json")


def check_pages(site: Path, settings: Settings) -> dict[str, list[str]]:
    """Per page, what breaks the policy: a missing or different meta CSP, inline scripts or styles."""
    expected = content_security_policy(settings)
    found = {}
    for page in sorted(site.rglob("*.html")):
        parsed = parse_page(page.read_text(encoding="utf-8"))
        bad = []
        metas = [
            a
            for t, a in parsed.elements
            if t == "meta" and (a.get("http-equiv") or "").lower() == "content-security-policy"
        ]
        if [m.get("content") for m in metas] != [expected]:
            bad.append(f"CSP meta: {[m.get('content') for m in metas]}")
        tags = [t for t, _ in parsed.elements]
        # The policy must come before anything it governs: right after <meta charset>.
        if tags[:4] != ["html", "head", "meta", "meta"] or "charset" not in parsed.elements[2][1]:
            bad.append(f"CSP meta not first in <head>: {tags[:4]}")
        for tag, attrs in parsed.elements:
            if tag == "style":
                bad.append("<style> element")
            if "style" in attrs:
                bad.append(f"style= on <{tag}>")
            if any(name.startswith("on") for name in attrs):
                bad.append(f"event handler on <{tag}>")
        for attrs, body in parsed.scripts:
            # data blocks (JSON-LD, the English page's texts) are never executed: the policy does not apply
            if attrs.get("type") not in DATA_BLOCKS and (body.strip() or not attrs.get("src")):
                bad.append("inline <script>")
            if attrs.get("src") and attrs["src"].startswith(("http:", "https:", "//")):
                bad.append(f"script from elsewhere: {attrs['src']}")
        if bad:
            found[page.relative_to(site).as_posix()] = bad
    return found


def test_every_demo_page_has_the_policy_and_nothing_inline(demo_site):
    from ccdir.content.config import Project

    assert len(list(demo_site.rglob("*.html"))) > 50
    assert check_pages(demo_site, Project.load(REPO).settings) == {}


def test_every_nasty_page_has_the_policy_with_the_tile_server(nasty_site):
    assert check_pages(nasty_site.root, nasty_site.project.settings) == {}
    home = (nasty_site.root / "index.html").read_text(encoding="utf-8")
    assert "img-src &#39;self&#39; data: https://tiles.example.org;" in home


def test_the_check_catches_inline_code(tmp_path):
    settings = Settings()
    csp = content_security_policy(settings).replace("'", "&#39;")
    head = f'<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="{csp}">'
    (tmp_path / "ok.html").write_text(head + "<title>x</title></head><body><p>x</p></body></html>")
    (tmp_path / "inline.html").write_text(head + "</head><body><script>alert(1)</script></body></html>")
    (tmp_path / "style.html").write_text(head + '</head><body><p style="color:red">x</p></body></html>')
    (tmp_path / "nometa.html").write_text('<!doctype html><html><head><meta charset="utf-8"></head></html>')
    assert sorted(check_pages(tmp_path, settings)) == ["inline.html", "nometa.html", "style.html"]


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
        ("https://{s}.tile.example.org/{z}/{x}/{y}.png", "https://*.tile.example.org"),
        ("http://127.0.0.1:8765/inscription", "http://127.0.0.1:8765"),
        ("/tuiles/{z}/{x}/{y}.png", None),
        ("javascript:alert(1)", None),
        (None, None),
    ],
)
def test_origin(url, expected):
    assert origin(url) == expected


def test_policy_names_only_the_configured_services():
    settings = Settings(tile_url="https://tiles.example.org/{z}/{x}/{y}.png", bot_url="https://bot.example.org/api/")
    policy = content_security_policy(settings)
    assert "img-src 'self' data: https://tiles.example.org;" in policy
    assert "connect-src 'self' https://bot.example.org;" in policy
    assert policy.endswith("form-action 'self' https://bot.example.org")
    assert "unsafe-inline" not in policy and "frame-ancestors" not in policy  # ignored in a meta tag
    assert content_security_policy(settings, meta=False).endswith("frame-ancestors 'none'")


def test_hsts_only_over_https():
    assert "Strict-Transport-Security" not in security_headers(Settings(base_url="http://127.0.0.1:8000/"))
    assert "Strict-Transport-Security" in security_headers(Settings(base_url="https://commerces.example.org/"))


@pytest.mark.parametrize("fmt", sorted(SAMPLES))
def test_deploy_samples_match_the_generator(fmt):
    sample = (REPO / "deploy" / "headers" / SAMPLES[fmt]).read_text(encoding="utf-8")
    body = "".join(line for line in sample.splitlines(keepends=True) if not line.startswith("#"))
    assert body == headers_config(Settings(base_url="https://commerces.example.org/"), fmt)


def test_cli_headers_prints_the_configured_policy(tmp_path):
    from click.testing import CliRunner
    from conftest import make_project

    from ccdir.cli import main

    make_project(
        tmp_path,
        site_yaml="tile_url: https://{s}.tuiles.example.org/{z}/{x}/{y}.png\n"
        "bot_url: https://inscription.example.org/\n",
    )
    result = CliRunner().invoke(main, ["headers", "--root", str(tmp_path), "--format", "nginx"])
    assert result.exit_code == 0, result.output
    assert "img-src 'self' data: https://*.tuiles.example.org;" in result.output
    assert "form-action 'self' https://inscription.example.org; frame-ancestors 'none'\" always;" in result.output
