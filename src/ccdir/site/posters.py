"""Shop-window posters: an A4 « Commandez ici, retirez en boutique » with a QR code to the merchant's page,
its name, its order phone and its pickup hours, as PDF (fpdf2) and SVG; QR codes by segno.

`ccdir affiches` writes one PDF per commune or per département for staff to print (one page per merchant).
Posters are not made by the build: a QR code costs milliseconds, 50,000 of them minutes. The merchant page
links to a print page instead (`templates/affiche.html`, its QR code drawn in the browser).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import textwrap
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import segno

from ccdir.content.config import Settings
from ccdir.core.textnorm import slugify
from ccdir.site.render import Listing, describe_hours

TITLE = "Commandez ici, retirez en boutique"
SCAN = "Scannez pour voir la fiche et commander"
FONTS = ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/dejavu/DejaVuSans.ttf",
         "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf")
GROUPS = ("commune", "departement")


def page_url(item: Listing, settings: Settings) -> str:
    return settings.base_url + item.url


def qr_code(url: str) -> segno.QRCode:
    return segno.make_qr(url, error="m")


def order_line(item: Listing) -> str:
    """How to order, for the poster: the phone when there is one, else the e-mail, else the page."""
    contact = item.merchant.contact
    if contact.phone and any(m in ("phone", "sms") for m in item.merchant.click_and_collect.order):
        return f"Commandes : {contact.phone}"
    if contact.email and "email" in item.merchant.click_and_collect.order:
        return f"Commandes : {contact.email}"
    return "Commandes : sur la fiche (QR code)"


def hours_lines(item: Listing) -> list[str]:
    cc = item.merchant.click_and_collect
    hours = describe_hours(cc.pickup_hours)
    if not hours:
        return [cc.pickup] if cc.pickup else []
    return [f"{days[0].upper()}{days[1:]} : {spans}" for days, spans in hours if spans != "fermé"]


def subtitle(item: Listing) -> str:
    return f"{' · '.join(c.label for c in item.categories)} — {item.place.name}"


# --- SVG --------------------------------------------------------------------------------------------------

def poster_svg(item: Listing, settings: Settings) -> str:
    """The A4 poster as SVG (millimetre units)."""
    url = page_url(item, settings)
    qr = qr_code(url)
    path = re.search(r"<path[^>]*/>", qr.svg_inline(scale=1, border=0)).group()  # type: ignore[union-attr]
    size = 100.0
    modules = qr.symbol_size(scale=1, border=0)[0]
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" width="210mm" height="297mm" viewBox="0 0 210 297" '
             'font-family="DejaVu Sans, Arial, Helvetica, sans-serif" text-anchor="middle">',
             f"<title>{escape(TITLE)} — {escape(item.merchant.name)}</title>",
             '<rect width="210" height="297" fill="#fff"/>',
             *(f'<text x="105" y="{y}" font-size="13" font-weight="bold" fill="#0b5fa5">{escape(line)}</text>'
               for y, line in zip((26, 40), TITLE.replace(", ", ",\n").split("\n"), strict=True))]
    y = 60.0
    for line in textwrap.wrap(item.merchant.name, 26)[:3]:
        parts.append(f'<text x="105" y="{y:.0f}" font-size="11" font-weight="bold">{escape(line)}</text>')
        y += 12
    parts.append(f'<text x="105" y="{y:.0f}" font-size="6" fill="#4a5468">{escape(subtitle(item))}</text>')
    top = y + 8
    scale = size / modules
    parts.append(f'<g transform="translate({(210 - size) / 2:.2f} {top:.2f}) scale({scale:.4f})">{path}</g>')
    y = top + size + 9
    parts.append(f'<text x="105" y="{y:.0f}" font-size="6">{escape(SCAN)}</text>')
    parts.append(f'<text x="105" y="{y + 6:.0f}" font-size="4" fill="#4a5468">{escape(url)}</text>')
    y += 20
    parts.append(f'<text x="105" y="{y:.0f}" font-size="9" font-weight="bold">{escape(order_line(item))}</text>')
    lines = hours_lines(item)
    if lines:
        y += 11
        parts.append(f'<text x="105" y="{y:.0f}" font-size="6" font-weight="bold">Horaires de retrait</text>')
        for line in lines[:7]:
            y += 7
            parts.append(f'<text x="105" y="{y:.0f}" font-size="5.5">{escape(line)}</text>')
    parts.append(f'<text x="105" y="287" font-size="4" fill="#4a5468">{escape(settings.title)}</text>')
    parts.append("</svg>\n")
    return "\n".join(parts)


# --- PDF --------------------------------------------------------------------------------------------------

def _font_file() -> str | None:
    return next((f for f in FONTS if Path(f).exists()), None)


def _latin1(text: str) -> str:
    """For the PDF core font when no Unicode font is installed: what Latin-1 cannot show is approximated."""
    text = text.replace("œ", "oe").replace("Œ", "OE").replace("’", "'").replace("–", "-").replace("—", "-")
    text = text.replace("\u202f", " ").replace("\u00a0", " ").replace("…", "...")
    out = []
    for ch in text:
        try:
            ch.encode("latin-1")
            out.append(ch)
        except UnicodeEncodeError:
            out.append(unicodedata.normalize("NFKD", ch).encode("latin-1", "ignore").decode("latin-1") or "?")
    return "".join(out)


def posters_pdf(items: Iterable[Listing], settings: Settings) -> bytes:
    """One A4 page per merchant."""
    from fpdf import FPDF

    pdf = FPDF(format="A4", unit="mm")
    pdf.set_auto_page_break(False)
    pdf.set_creation_date(dt.datetime(2020, 11, 1, tzinfo=dt.UTC))  # same content, same file
    font = _font_file()
    if font:
        pdf.add_font("poster", "", font)
        pdf.add_font("poster", "B", font.replace("Sans.ttf", "Sans-Bold.ttf").replace("Regular", "Bold"))
    family, text = ("poster", str) if font else ("helvetica", _latin1)
    pdf.set_title(TITLE)
    for item in items:
        pdf.add_page()
        pdf.set_text_color(11, 95, 165)
        pdf.set_font(family, "B", 30)
        pdf.set_xy(10, 16)
        pdf.multi_cell(190, 13, text(TITLE.replace(", ", ",\n")), align="C")
        pdf.set_text_color(29, 36, 51)
        pdf.set_font(family, "B", 28)
        pdf.set_xy(10, pdf.get_y() + 6)
        pdf.multi_cell(190, 12, text(item.merchant.name), align="C")
        pdf.set_font(family, "", 14)
        pdf.set_xy(10, pdf.get_y() + 1)
        pdf.multi_cell(190, 7, text(subtitle(item)), align="C")
        url = page_url(item, settings)
        png = io.BytesIO()
        qr_code(url).save(png, kind="png", scale=10, border=4)
        png.seek(0)
        top = pdf.get_y() + 4
        pdf.image(png, x=55, y=top, w=100, h=100)
        pdf.set_font(family, "", 14)
        pdf.set_xy(10, top + 101)
        pdf.multi_cell(190, 7, text(SCAN), align="C")
        pdf.set_font(family, "", 9)
        pdf.multi_cell(190, 5, text(url), align="C", new_x="LMARGIN")
        _fit(pdf, family, text(order_line(item)), 22)
        pdf.set_xy(10, pdf.get_y() + 5)
        pdf.multi_cell(190, 10, text(order_line(item)), align="C")
        lines = hours_lines(item)
        if lines:
            pdf.set_font(family, "B", 14)
            pdf.set_xy(10, pdf.get_y() + 3)
            pdf.multi_cell(190, 7, text("Horaires de retrait"), align="C")
            pdf.set_font(family, "", 13)
            for line in lines[:7]:
                pdf.set_x(10)
                pdf.multi_cell(190, 6.5, text(line), align="C")
        pdf.set_font(family, "", 9)
        pdf.set_xy(10, 282)
        pdf.multi_cell(190, 5, text(settings.title), align="C")
    return bytes(pdf.output())


def _fit(pdf: Any, family: str, line: str, size: float) -> None:
    """Bold `size`, smaller when `line` would not fit on one line (long e-mail addresses)."""
    pdf.set_font(family, "B", size)
    while size > 12 and pdf.get_string_width(line) > 186:
        size -= 1
        pdf.set_font(family, "B", size)


# --- ccdir affiches ---------------------------------------------------------------------------------------

def group_key(item: Listing, by: str) -> str:
    """The file a merchant's poster goes to: « montargis-45 » (commune) or « 45-loiret » (département)."""
    if by == "commune":
        return item.place.slug
    return f"{item.place.dept.lower()}-{slugify(item.place.dept_name)}" if item.place.dept_name != item.place.dept \
        else item.place.dept.lower()


def write_posters(listings: list[Listing], settings: Settings, folder: Path, by: str, fmt: str = "pdf") -> list[Path]:
    """`ccdir affiches`: one PDF per commune or département (one page per merchant), or with `fmt="svg"` one
    folder per group with an SVG per merchant. Returns the files written."""
    groups: dict[str, list[Listing]] = defaultdict(list)
    for item in sorted(listings, key=lambda it: (it.name_key, it.slug)):
        groups[group_key(item, by)].append(item)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for key, items in sorted(groups.items()):
        if fmt == "pdf":
            path = folder / f"{key}.pdf"
            path.write_bytes(posters_pdf(items, settings))
            written.append(path)
        else:
            (folder / key).mkdir(exist_ok=True)
            for item in items:
                path = folder / key / f"{item.slug}.svg"
                path.write_text(poster_svg(item, settings), encoding="utf-8")
                written.append(path)
    return written


def load_listings(project: Any) -> list[Listing]:
    """Every merchant, validated and located like the build does (a content error stops here)."""
    from ccdir.content.loading import check, load_gazetteer, locate
    from ccdir.core.problems import ContentError
    from ccdir.site.render import make_listings

    gazetteer = load_gazetteer()
    catalog, report = check(project, gazetteer=gazetteer)
    if report.errors:
        raise ContentError(report.problems, "erreurs dans le contenu : aucune affiche produite.")
    locations, _ = locate(project, report, gazetteer, prune=False)  # posters leave the geocoding cache as it is
    return make_listings(report.entries, locations, catalog)
