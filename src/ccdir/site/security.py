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


def content_security_policy(settings: Settings, *, meta: bool = True, frame_ancestors: str = "'none'") -> str:
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
        directives.append(f"frame-ancestors {frame_ancestors}")
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


def widget_headers(settings: Settings) -> dict[str, str]:
    """Headers for the town-hall widget (`/widget/`), the one part of the site other sites may frame: the
    same, except who may frame it (`widget_hosts` in the settings, any site when empty). Browsers ignore
    X-Frame-Options when the policy has frame-ancestors, so a host that cannot remove it still works."""
    headers = dict(security_headers(settings))
    del headers["X-Frame-Options"]
    ancestors = " ".join(settings.widget_hosts) or "*"
    headers["Content-Security-Policy"] = content_security_policy(settings, meta=False, frame_ancestors=ancestors)
    return headers


def headers_for(settings: Settings, path: str) -> dict[str, str]:
    """The headers of the response for `path` (a URL path such as « /widget/ »)."""
    widget = settings.base_path + "widget/"
    return widget_headers(settings) if path.startswith(widget) else security_headers(settings)


def headers_config(settings: Settings, fmt: str) -> str:
    """The headers as a configuration file for a host: netlify (`_headers`, also Cloudflare Pages), nginx
    (`add_header` lines for a `server` block, and a `location` block for the widget) or apache (`.htaccess`,
    needs mod_headers)."""
    headers, widget = security_headers(settings), widget_headers(settings)
    path = settings.base_path + "widget/"
    if fmt == "netlify":  # a later rule's header replaces an earlier one's for the paths both match
        return ("/*\n" + "".join(f"  {k}: {v}\n" for k, v in headers.items())
                + f"{path}*\n  Content-Security-Policy: {widget['Content-Security-Policy']}\n")
    if fmt == "nginx":
        inner = "".join(f'    add_header {k} "{v}" always;\n' for k, v in widget.items())
        return ("".join(f'add_header {k} "{v}" always;\n' for k, v in headers.items())
                + f"location {path} {{\n{inner}}}\n")
    if fmt == "apache":
        lines = "".join(f'  Header always set {k} "{v}"\n' for k, v in headers.items())
        widget_lines = ("    Header always unset X-Frame-Options\n"
                        f'    Header always set Content-Security-Policy "{widget["Content-Security-Policy"]}"\n')
        return (f"<IfModule mod_headers.c>\n{lines}"
                f'  <If "%{{REQUEST_URI}} =~ m#^{path}#">\n{widget_lines}  </If>\n</IfModule>\n')
    raise ValueError(f"unknown format {fmt!r}: one of {', '.join(FORMATS)}")
