"""Write the hostile corpus: `python tests/hostile/_generate.py` (re)creates every `*.yaml` case here.

Each case is a merchant file written by someone careless or malicious. Its expected outcome is written by
hand beside it (never by this script):

- `NAME.expected`: the file must be refused with exactly these problems, one `line:col: message` a line
  (warnings as `line:col: avertissement: message`);
- `NAME.safe`: the file is valid and must be published with its text escaped; the marker may list the
  warnings it must produce, in the same format.

Most cases are one field of a valid base file replaced; the rest are whole files (binary, bombs…).
The script is kept so that the binary and oversized cases can be regenerated and reviewed; it only writes
`.yaml` files.
"""

from __future__ import annotations

import codecs
import gzip
from pathlib import Path

HERE = Path(__file__).resolve().parent

BASE = """\
name: {name}
kind: commerce
categories: [fleuriste]
description: Bouquets et plantes de saison.
address:
  street: 12 rue Dorée
  postcode: "45200"
  city: Montargis
  lat: 47.9978
  lon: 2.7331
contact:
  phone: "02 61 91 00 12"
  email: contact@example.org
click_and_collect:
  order: [phone, email]
  pickup: Retrait en boutique.
opening_hours: "Tu-Sa 09:30-19:00"
"""


def base(case: str) -> str:
    # Each case has its own name so that all the valid ones can be published together.
    return BASE.format(name=f"Boutique {case}")


def with_field(case: str, key: str, value: str, *, indent: str = "") -> str:
    """The base file with the line `indent + key: …` replaced by `indent + key: value`."""
    lines = base(case).splitlines(keepends=True)
    prefix = f"{indent}{key}:"
    for i, line in enumerate(lines):
        if line.startswith(prefix):
            lines[i] = f"{prefix} {value}\n"
            return "".join(lines)
    raise KeyError(key)


def add_lines(case: str, text: str, after: str | None = None) -> str:
    """The base file with `text` inserted after the line starting with `after` (default: at the end)."""
    lines = base(case).splitlines(keepends=True)
    if after is None:
        return "".join(lines) + text
    for i, line in enumerate(lines):
        if line.startswith(after):
            return "".join(lines[: i + 1]) + text + "".join(lines[i + 1:])
    raise KeyError(after)


def text_case(name: str, key: str, text: str, *, indent: str = "") -> None:
    """A case whose field `key` holds `text` (YAML double-quoted)."""
    case(name, with_field(name, key, yq(text), indent=indent))


def yq(text: str) -> str:
    """`text` as a YAML double-quoted scalar (escapes only what YAML needs)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


CASES: dict[str, str | bytes] = {}


def case(name: str, content: str | bytes) -> None:
    assert name not in CASES, name
    CASES[name] = content


# --- YAML bombs and structure -------------------------------------------------------------------------

laughs = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
for i in range(1, 10):
    laughs.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
case("yaml-billion-laughs", "\n".join(laughs) + "\nname: *a9\n")
case("yaml-quadratic-blowup", "a: &a " + "x" * 2000 + "\nname: [" + ", ".join(["*a"] * 3000) + "]\n")
case("yaml-merge-key", "defaults: &d\n  kind: commerce\n" + add_lines("yaml-merge-key", "<<: *d\n"))
case("yaml-anchor-alias-self", base("yaml-anchor-alias-self").replace(
    "contact:\n", "contact: &c\n").replace('opening_hours: "Tu-Sa 09:30-19:00"\n',
                                          'opening_hours: "Tu-Sa 09:30-19:00"\nproducts: [*c]\n'))
case("yaml-recursive-alias", "a: &a [*a]\n")
case("yaml-deep-mapping", "name:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 30)) + "  " * 30 + "v: 1\n")
case("yaml-deep-flow-list", "name: " + "[" * 5000 + "]" * 5000 + "\n")
case("yaml-deep-flow-map", "name: " + "{a: " * 200 + "1" + "}" * 200 + "\n")
case("yaml-many-nodes", with_field("yaml-many-nodes", "categories", "[" + ", ".join(["a"] * 6000) + "]"))
case("yaml-two-documents", base("yaml-two-documents") + "---\n" + base("yaml-two-documents-bis"))
case("yaml-document-end-garbage", base("yaml-document-end-garbage") + "...\n%%%\n")
case("yaml-directive-tag", "%TAG !e! tag:evil.example.org,2020:\n---\n" + with_field(
    "yaml-directive-tag", "kind", "!e!shell commerce"))
case("yaml-python-object", with_field("yaml-python-object", "name",
                                      '!!python/object/apply:os.system ["echo pwned"]'))
case("yaml-python-name", with_field("yaml-python-name", "kind", "!!python/name:os.system"))
case("yaml-binary-tag", with_field("yaml-binary-tag", "description", "!!binary PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="))
case("yaml-set-tag", with_field("yaml-set-tag", "categories", "!!set {fleuriste: null}"))
case("yaml-omap-tag", with_field("yaml-omap-tag", "categories", "!!omap [{fleuriste: 1}]"))
case("yaml-local-tag", with_field("yaml-local-tag", "description", "!lol Bouquets"))
case("yaml-duplicate-nested-key", add_lines("yaml-duplicate-nested-key", "  city: Amilly\n", after="  city:"))
case("yaml-duplicate-key-far", add_lines("yaml-duplicate-key-far", "name: Boutique bis\n"))
case("yaml-key-case-variant", add_lines("yaml-key-case-variant", "Name: Boutique majuscule\n"))
case("yaml-complex-key", add_lines("yaml-complex-key", "? [name, kind]\n: x\n"))
case("yaml-null-key", add_lines("yaml-null-key", "~: x\n"))
case("yaml-bool-key", add_lines("yaml-bool-key", "yes: x\n"))
case("yaml-int-key", add_lines("yaml-int-key", "1: x\n"))
case("yaml-long-key", add_lines("yaml-long-key", "k" * 3000 + ": x\n"))
case("yaml-scalar-document", "<script>alert(1)</script>\n")
case("yaml-list-document", "- name: Boutique\n- kind: commerce\n")
case("yaml-comments-only", "# name: Boutique\n# kind: commerce\n")
case("yaml-whitespace-only", "   \n\n  \n")
case("yaml-unclosed-flow", with_field("yaml-unclosed-flow", "categories", "[fleuriste"))
case("yaml-bad-escape", with_field("yaml-bad-escape", "description", r'"Bouquets \q de saison"'))
case("yaml-surrogate-escape", with_field("yaml-surrogate-escape", "description", r'"Bouquets \uD800 de saison"'))
case("yaml-invalid-date", with_field("yaml-invalid-date", "opening_hours", '"Tu-Sa 09:30-19:00"\nupdated: 2020-13-45'))
case("yaml-huge-int", add_lines("yaml-huge-int", "updated: " + "9" * 4000 + "\n"))
case("yaml-anchor-unused", with_field("yaml-anchor-unused", "description", "&desc Bouquets et plantes de saison."))

# --- sizes ------------------------------------------------------------------------------------------------

case("size-huge-file", add_lines("size-huge-file", "# " + "x" * 70_000 + "\n"))
case("size-huge-name", with_field("size-huge-name", "name", "B" * 20_000))
case("size-huge-description", with_field("size-huge-description", "description", "Bouquets " * 2_000))
case("size-huge-street", with_field("size-huge-street", "street", "rue " * 1_000, indent="  "))
case("size-huge-product-list", add_lines("size-huge-product-list",
                                         "products:\n" + "".join(f"  - name: P{i}\n" for i in range(150))))
case("size-huge-categories", with_field("size-huge-categories", "categories",
                                        "[fleuriste, decoration, jardinerie, epicerie, caviste, librairie]"))
text_case("size-huge-phone", "phone", "0" * 500, indent="  ")
case("size-huge-url", add_lines("size-huge-url", "  website: https://example.org/" + "a" * 600 + "\n",
                                after="  email:"))
case("size-empty-file", b"")
case("size-huge-price", add_lines("size-huge-price", "products:\n  - name: Bouquet\n    price: 1e308\n"))

# --- encodings and bytes ------------------------------------------------------------------------------------

case("bytes-utf8-bom", codecs.BOM_UTF8 + base("bytes-utf8-bom").encode())
case("bytes-utf16-le", codecs.BOM_UTF16_LE + base("bytes-utf16-le").encode("utf-16-le"))
case("bytes-utf16-be", codecs.BOM_UTF16_BE + base("bytes-utf16-be").encode("utf-16-be"))
case("bytes-cp1252", base("bytes-cp1252").replace("saison.", "saison « l’été »").encode("cp1252"))
case("bytes-invalid-utf8-line6", base("bytes-invalid-utf8-line6").encode().replace(b"Dor\xc3\xa9e", b"Dor\xe9e"))
case("bytes-overlong-utf8", base("bytes-overlong-utf8").encode().replace(b"Bouquets", b"Bou\xc0\xafquets"))
case("bytes-utf8-surrogate", base("bytes-utf8-surrogate").encode().replace(b"Bouquets", b"Bou\xed\xa0\x80quets"))
case("bytes-nul", base("bytes-nul").encode().replace(b"Bouquets", b"Bou\x00quets"))
case("bytes-png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00")
case("bytes-gzip", gzip.compress(base("bytes-gzip").encode(), mtime=0))
case("bytes-crlf", base("bytes-crlf").replace("\n", "\r\n").encode())
case("bytes-cr-only", base("bytes-cr-only").replace("\n", "\r").encode())
case("bytes-control-char", base("bytes-control-char").encode().replace(b"Bouquets", b"Bouquets\x07"))
case("bytes-escape-sequence", base("bytes-escape-sequence").encode().replace(b"Bouquets", b"\x1b[31mBouquets"))
case("bytes-del-char", base("bytes-del-char").encode().replace(b"Bouquets", b"Bouquets\x7f"))
case("bytes-c1-control", base("bytes-c1-control").replace("Bouquets", "Bouquets\u0085et").encode())
case("bytes-noncharacter", base("bytes-noncharacter").replace("Bouquets", "Bouquets\ufffe").encode())
case("bytes-bom-inside", base("bytes-bom-inside").replace("Boutique", "Bou\ufefftique").encode())

# --- tabs and whitespace ---------------------------------------------------------------------------------------

case("tab-indent-nested", base("tab-indent-nested").replace("  postcode:", "\tpostcode:"))
case("tab-after-colon", with_field("tab-after-colon", "kind", "\tcommerce").replace("kind: \t", "kind:\t"))
text_case("tab-in-name", "name", "Boutique\ttab-in-name")
text_case("tab-in-description", "description", "Bouquets\tet plantes.")
case("newline-in-name", with_field("newline-in-name", "name", r'"Boutique\nnewline-in-name"'))
text_case("whitespace-name", "name", "   ")
text_case("nbsp-only-name", "name", "\u00a0\u2003\u3000")
text_case("line-separator-in-name", "name", "Boutique\u2028line-separator")

# --- wrong types ---------------------------------------------------------------------------------------------------

case("type-name-list", with_field("type-name-list", "name", "[Boutique, type-name-list]"))
case("type-name-mapping", with_field("type-name-mapping", "name", "{fr: Boutique}"))
case("type-name-bool", with_field("type-name-bool", "name", "yes"))
case("type-name-null", with_field("type-name-null", "name", "~"))
case("type-name-float-nan", with_field("type-name-float-nan", "name", ".nan"))
case("type-name-date", with_field("type-name-date", "name", "2020-11-05"))
case("type-kind-int", with_field("type-kind-int", "kind", "1"))
case("type-categories-string", with_field("type-categories-string", "categories", "fleuriste"))
case("type-categories-mapping", with_field("type-categories-mapping", "categories", "{fleuriste: true}"))
case("type-categories-ints", with_field("type-categories-ints", "categories", "[1, 2]"))
case("type-description-list", with_field("type-description-list", "description", "[a, b]"))
case("type-address-string", base("type-address-string").replace(
    'address:\n  street: 12 rue Dorée\n  postcode: "45200"\n  city: Montargis\n  lat: 47.9978\n  lon: 2.7331\n',
    "address: 12 rue Dorée 45200 Montargis\n"))
case("type-postcode-list", with_field("type-postcode-list", "postcode", "[45200]", indent="  "))
case("type-postcode-bool", with_field("type-postcode-bool", "postcode", "no", indent="  "))
case("type-postcode-float", with_field("type-postcode-float", "postcode", "45200.0", indent="  "))
text_case("type-lat-string", "lat", "47,9978", indent="  ")
case("type-lat-bool", with_field("type-lat-bool", "lat", "true", indent="  "))
case("type-contact-list", base("type-contact-list").replace(
    'contact:\n  phone: "02 61 91 00 12"\n  email: contact@example.org\n',
    'contact:\n  - "02 61 91 00 12"\n  - contact@example.org\n'))
case("type-phone-int", with_field("type-phone-int", "phone", "261910012", indent="  "))
case("type-phone-mapping", with_field("type-phone-mapping", "phone", "{fixe: 0261910012}", indent="  "))
case("type-email-list", with_field("type-email-list", "email", "[contact@example.org]", indent="  "))
case("type-order-string", with_field("type-order-string", "order", "phone", indent="  "))
case("type-order-nested", with_field("type-order-nested", "order", "[[phone]]", indent="  "))
case("type-delivery-string", add_lines("type-delivery-string", "  delivery: \"oui\"\n", after="  pickup:"))
case("type-products-mapping", add_lines("type-products-mapping", "products:\n  name: Bouquet\n"))
case("type-price-euro-string", add_lines("type-price-euro-string", "products:\n  - name: Bouquet\n    price: 25 €\n"))
case("type-price-nan", add_lines("type-price-nan", "products:\n  - name: Bouquet\n    price: .nan\n"))
case("type-available-oui", add_lines("type-available-oui", "products:\n  - name: Bouquet\n    available: oui\n"))
case("type-siret-float", add_lines("type-siret-float", "siret: 7.3282932000074e13\n"))
case("type-updated-string", add_lines("type-updated-string", "updated: hier\n"))
case("type-updated-int", add_lines("type-updated-int", "updated: 2020\n"))
case("type-hours-list", with_field("type-hours-list", "opening_hours", "[Mo, Tu]"))
case("type-click-and-collect-null", base("type-click-and-collect-null").replace(
    "click_and_collect:\n  order: [phone, email]\n  pickup: Retrait en boutique.\n", "click_and_collect:\n"))

# --- markup in every text field (valid: must be published escaped) --------------------------------------------

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
text_case("markup-name-script", "name", f"Boutique {SCRIPT}")
text_case("markup-name-img", "name", f"Boutique {IMG}")
case("markup-name-attr-break", with_field("markup-name-attr-break", "name",
                                          yq("Boutique \"><svg onload=alert(1)> ' onmouseover='alert(1)")))
text_case("markup-description-script", "description", SCRIPT + " Bouquets")
case("markup-description-jsonld-breakout", with_field(
    "markup-description-jsonld-breakout", "description", yq("</script><script>alert(1)</script><!--")))
case("markup-description-html", with_field(
    "markup-description-html", "description",
    "|\n  <b>Gras</b> <a href=\"javascript:alert(1)\">clic</a>\n  <iframe src=\"https://evil.example.org\"></iframe>\n"
    "  <style>body{display:none}</style>\n  <meta http-equiv=\"refresh\" content=\"0;url=https://evil.example.org\">"))
case("markup-description-markdown", with_field(
    "markup-description-markdown", "description",
    "|\n  **Promo** [cliquez](javascript:alert(1)) ![x](https://evil.example.org/x.png)\n"
    "  <details open ontoggle=alert(1)>"))
case("markup-description-entities", with_field("markup-description-entities", "description",
                                               yq("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#x3C;b&#x3E;")))
case("markup-description-template", with_field("markup-description-template", "description",
                                               yq("{{ 7*7 }} {% raw %} {{ site.__class__ }} ${7*7} #{7*7}")))
case("markup-description-cdata", with_field("markup-description-cdata", "description",
                                            yq("<![CDATA[<script>alert(1)</script>]]> ]]> <?xml ?>")))
text_case("markup-street", "street", f"12 rue {IMG}", indent="  ")
text_case("markup-pickup", "pickup", f"Retrait {SCRIPT} à l'entrée", indent="  ")
case("markup-product-name", add_lines("markup-product-name", f"products:\n  - name: {yq(IMG)}\n    price: 3\n"))
text_case("markup-city", "city", f"Montargis{SCRIPT}", indent="  ")
text_case("markup-email", "email", '"<script>"@example.org', indent="  ")
case("markup-email-header-injection", with_field("markup-email-header-injection", "email",
                                                 yq("contact@example.org?bcc=victime@example.org"), indent="  "))
BREAKOUT_URL = 'https://example.org/"><script>alert(1)</script>'
case("markup-url-quote-breakout", add_lines("markup-url-quote-breakout", f"  website: {yq(BREAKOUT_URL)}\n",
                                            after="  email:"))
case("markup-url-query-safe", add_lines("markup-url-query-safe",
                                        "  website: https://example.org/boutique?q=fleurs&tri=prix#haut\n",
                                        after="  email:"))
case("markup-category-script", with_field("markup-category-script", "categories", yq(SCRIPT).join("[]")))
text_case("markup-hours-script", "opening_hours", f"Mo 09:00-12:00 {SCRIPT}")
text_case("markup-kind-script", "kind", SCRIPT)

# --- dangerous URLs ---------------------------------------------------------------------------------------------

for label, url in {
    "javascript-mixed-case": "JaVaScRiPt:alert(1)",
    "javascript-leading-space": " javascript:alert(1)",
    "javascript-entity": "javascript&colon;alert(1)",
    "javascript-in-https": "https:javascript:alert(1)",
    "data-html": "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript": "vbscript:msgbox(1)",
    "file": "file:///etc/passwd",
    "protocol-relative": "//evil.example.org/",
    "no-host": "https:///boutique",
    "backslashes": "https:\\\\evil.example.org",
    "space-in-host": "https://exa mple.org",
    "percent-host": "https://%65vil.example.org/",
}.items():
    case(f"url-{label}", add_lines(f"url-{label}", f"  website: {yq(url)}\n", after="  email:"))
case("url-newline-inside", add_lines("url-newline-inside", r'  website: "https://example.org/\njavascript:alert(1)"' + "\n",
                                     after="  email:"))
case("url-order-url-javascript", base("url-order-url-javascript").replace(
    "  order: [phone, email]\n", "  order: [phone, website]\n  order_url: \"javascript:alert(document.cookie)\"\n"))
case("url-facebook-data", add_lines("url-facebook-data", '  facebook: "data:image/svg+xml,<svg onload=alert(1)>"\n',
                                    after="  email:"))
case("url-instagram-vbscript", add_lines("url-instagram-vbscript", '  instagram: "VBScript:msgbox(1)"\n',
                                         after="  email:"))
case("url-idn-host", add_lines("url-idn-host", "  website: https://fleurs-été.example.org/\n", after="  email:"))
case("url-userinfo-trick", add_lines("url-userinfo-trick",
                                     "  website: https://www.banque.example@evil.example.org/\n", after="  email:"))

# --- invisible and reordering characters --------------------------------------------------------------------

for label, ch in {
    "rlo-description": "\u202e", "lri-name": "\u2067", "zero-width-space-name": "\u200b",
    "zero-width-joiner-name": "\u200d", "soft-hyphen-name": "\u00ad", "word-joiner-name": "\u2060",
    "arabic-letter-mark-name": "\u061c", "tag-characters-name": "\U000e0041\U000e0042",
    "hangul-filler-name": "\u3164", "braille-blank-name": "\u2800", "mongolian-vowel-separator-name": "\u180e",
    "private-use-name": "\ue000", "invisible-times-name": "\u2062", "interlinear-annotation-name": "\ufff9",
}.items():
    field = "description" if label.endswith("description") else "name"
    value = (f"Bouquets{ch} de saison" if field == "description" else f"Boutique{ch} {label}")
    case(f"unicode-{label}", with_field(f"unicode-{label}", field, yq(value)))
text_case("unicode-invisible-only-name", "name", "\u3164\u3164")
case("unicode-zalgo-name", with_field("unicode-zalgo-name", "name",
                                      yq("B" + "\u0336\u0334\u0335\u0337\u0338\u0321\u0322" * 6 + "outique zalgo")))
case("unicode-combining-ok-name", with_field("unicode-combining-ok-name", "name",
                                             yq("Boutique Cafe\u0301 Nguyê\u0303n combining-ok")))

# --- look-alike and decorative names ---------------------------------------------------------------------------

text_case("homoglyph-cyrillic-in-latin", "name", "Воutique Cyrillique")
text_case("homoglyph-greek-in-latin", "name", "Boutique Ηomoglyphe grec")
text_case("homoglyph-all-cyrillic", "name", "Пекарня Москва")
text_case("homoglyph-scripts-by-word", "name", "Taverne Αθήνα")
text_case("homoglyph-fullwidth", "name", "Ｂｏｕｔｉｑｕｅ pleine chasse")
text_case("homoglyph-math-bold", "name", "𝐁𝐨𝐮𝐭𝐢𝐪𝐮𝐞 en gras")
text_case("homoglyph-math-script", "name", "𝓑𝓸𝓾𝓽𝓲𝓺𝓾𝓮")
text_case("homoglyph-circled", "name", "Ⓑⓞⓤⓣⓘⓠⓤⓔ cerclée")
case("homoglyph-product-cyrillic", add_lines("homoglyph-product-cyrillic",
                                             f"products:\n  - name: {yq('Вouquet')}\n"))
text_case("emoji-only-name", "name", "🌸🌷💐")
text_case("emoji-flag-only-name", "name", "🇫🇷")
text_case("emoji-zwj-only-name", "name", "👩‍🍳")
text_case("emoji-in-name", "name", "Boutique emoji-in-name 🌸")
text_case("emoji-zwj-in-name", "name", "Boutique emoji-zwj-in-name 👩‍🍳")
text_case("punctuation-only-name", "name", "!!! ??? ...")
text_case("rtl-arabic-name", "name", "مخبز Boutique rtl-arabic-name")
text_case("rtl-hebrew-description", "description", "מאפייה — pain au levain.")

# --- spreadsheet formulas (the open-data CSV is made for spreadsheets) -----------------------------------------

text_case("csv-formula-name", "name", '=HYPERLINK("https://evil.example.org","Boutique")')
text_case("csv-dde-description", "description", "+cmd|' /C calc'!A0")
text_case("csv-at-function-street", "street", "@SUM(1+1)*cmd|' /C calc'!A0", indent="  ")
text_case("csv-minus-pickup", "pickup", "-2+3+cmd|' /C calc'!A0", indent="  ")
text_case("csv-at-name-ok", "name", "@Home Déco csv-at-name-ok")
text_case("csv-minus-description-ok", "description", "- 10 % sur les bouquets le samedi (sauf fêtes) !")

# --- slugs and file names (the slug is the file name) -----------------------------------------------------------

for stem in ("..", "...fleurs", ".fleurs", "-fleurs", "fleurs-", "fleurs--loire", "fleurs..loire",
             "fleurs%2f..%2fetc", "fleurs loire", "fleurs-été", "FLEURS", "fleurs_loire",
             "fleurs;rm -rf", "x" * 81):
    label = {"..": "dotdot", "x" * 81: "x81"}.get(stem, stem)
    case(f"slug!{stem}", base(f"slug {label}"))

# --- coordinates ---------------------------------------------------------------------------------------------

for label, (lat, lon) in {
    "lat-91": ("91", "2.7331"), "lon-minus-181": ("47.9978", "-181"), "lat-nan": (".nan", "2.7331"),
    "lon-inf": ("47.9978", ".inf"), "lat-huge": ("1e308", "2.7331"), "lat-comma": ('"47,9978"', "2.7331"),
    "lat-dms": ('"47°59\'52\\"N"', "2.7331"),
}.items():
    case(f"coords-{label}", base(f"coords-{label}").replace("lat: 47.9978", f"lat: {lat}").replace(
        "lon: 2.7331", f"lon: {lon}"))
for label, (lat, lon) in {
    "swapped": ("2.7331", "47.9978"), "null-island": ("0", "0"), "antarctica": ("-80", "10"),
    "paris-for-montargis": ("48.8566", "2.3522"), "precise-decimals": ("47.99780000000000000001", "2.73310000001"),
    "integers": ("48", "3"), "negative-zero": ("-0.0", "-0.0"),
}.items():
    case(f"coords-{label}", base(f"coords-{label}").replace("lat: 47.9978", f"lat: {lat}").replace(
        "lon: 2.7331", f"lon: {lon}"))

# --- dates ---------------------------------------------------------------------------------------------------------

for label, value in {
    "far-future": "9999-12-31", "year-2100": "2100-01-01", "ancient": "0001-01-01", "datetime": "2020-11-05T10:00:00Z",
    "feb-30": "2020-02-30", "french-format": "05/11/2020", "quoted-iso": '"2020-11-05"',
}.items():
    case(f"date-{label}", add_lines(f"date-{label}", f"updated: {value}\n"))

# --- numbers and identifiers ---------------------------------------------------------------------------------

case("siret-all-zero", add_lines("siret-all-zero", 'siret: "00000000000000"\n'))
case("siret-script", add_lines("siret-script", f"siret: {yq(SCRIPT)}\n"))
text_case("phone-premium-rate", "phone", "08 99 23 45 67", indent="  ")
text_case("phone-letters", "phone", "02 FLEURS 12", indent="  ")
text_case("phone-extension", "phone", "02 61 91 00 12 poste 42", indent="  ")
case("price-negative-zero", add_lines("price-negative-zero", "products:\n  - name: Bouquet\n    price: -0.0\n"))
case("price-infinite", add_lines("price-infinite", "products:\n  - name: Bouquet\n    price: .inf\n"))
case("postcode-unknown", with_field("postcode-unknown", "postcode", '"99999"', indent="  "))
case("postcode-other-commune", with_field("postcode-other-commune", "postcode", '"37000"', indent="  "))


def filename(name: str) -> str:
    return (name.split("!", 1)[1] if "!" in name else name) + ".yaml"


def main() -> None:
    for old in HERE.glob("*.yaml"):
        old.unlink()
    for name, content in CASES.items():
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        (HERE / filename(name)).write_bytes(data)
    print(f"{len(CASES)} cases written to {HERE}")


if __name__ == "__main__":
    main()
