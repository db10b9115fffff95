"""Security headers for the published site: the Content-Security-Policy (also written into every page as a
`<meta>` tag) and the other headers a static host can add, in the formats of common hosts.

The policy allows nothing but the site itself, plus the two outside services the settings name: the map
tile server (`tile_url`, images only) and the registration bot (`bot_url`, form posts and fetch). No inline
script or style is ever allowed: templates keep scripts and styles in files under `assets/`.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from ccdir.content.config import Settings

FORMATS = ("netlify", "nginx", "apache")


def origin(url: str | None) -> str | None:
    """`scheme://host[:port]` of an absolute http(s) URL (a `{s}` subdomain template becomes `*`), else None."""
    if not url:
        return None
    parts = urlsplit(url.replace("{s}", "SUBDOMAIN"))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.replace("subdomain", "*")
    return f"{parts.scheme}://{host}" + (f":{parts.port}" if parts.port else "")


def _sources(*urls: str | None) -> str:
    extra = [o for o in dict.fromkeys(origin(u) for u in urls) if o]
    return " ".join(["'self'", *extra])


def content_security_policy(settings: Settings, *, meta: bool = True) -> str:
    """The policy for every page. `meta=False` adds what only an HTTP header can carry (frame-ancestors)."""
    directives = [
        "default-src 'self'",
        f"img-src 'self' data: {origin(settings.tile_url) or ''}".rstrip(),
        "script-src 'self'",
        "style-src 'self'",
        f"connect-src {_sources(settings.bot_url)}",
        "object-src 'none'",
        "base-uri 'self'",
        f"form-action {_sources(settings.bot_url)}",
    ]
    if not meta:
        directives.append("frame-ancestors 'none'")
    return "; ".join(directives)


def security_headers(settings: Settings) -> dict[str, str]:
    """Headers for every response of the static host (HSTS only when the site is served over https)."""
    headers = {
        "Content-Security-Policy": content_security_policy(settings, meta=False),
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "Permissions-Policy": "geolocation=(self), camera=(), microphone=(), payment=(), usb=()",
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    if settings.base_url.startswith("https://"):
        headers["Strict-Transport-Security"] = "max-age=31536000"
    return headers


def headers_config(settings: Settings, fmt: str) -> str:
    """The headers as a configuration file for a host: netlify (`_headers`, also Cloudflare Pages), nginx
    (`add_header` lines for a `server`/`location` block) or apache (`.htaccess`, needs mod_headers)."""
    headers = security_headers(settings)
    if fmt == "netlify":
        return "/*\n" + "".join(f"  {k}: {v}\n" for k, v in headers.items())
    if fmt == "nginx":
        return "".join(f'add_header {k} "{v}" always;\n' for k, v in headers.items())
    if fmt == "apache":
        lines = "".join(f'  Header always set {k} "{v}"\n' for k, v in headers.items())
        return f"<IfModule mod_headers.c>\n{lines}</IfModule>\n"
    raise ValueError(f"unknown format {fmt!r}: one of {', '.join(FORMATS)}")
