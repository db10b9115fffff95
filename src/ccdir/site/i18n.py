"""The site in English: French is the source (the templates' text is the msgid), English comes from the
gettext catalogue `site/locale/en/LC_MESSAGES/messages.po`, read with Babel and compiled in memory (no
binary file in the repository; the wheel carries the .po with the package).

Resident pages are rendered a second time under `/en/` (`site.render.Renderer` with `lang="en"`); the
folders below are the ones that have an English counterpart. The browser's messages (search, favourites)
are msgids of the same catalogue, written into English pages as a JSON block (`js_messages`) that
`templates/assets/i18n.js` reads: one copy of the scripts for both languages.
"""

from __future__ import annotations

import functools
import gettext
import io
import re
from collections.abc import Callable
from typing import Any
from importlib.resources import files

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LANGS = ("fr", "en")
SOURCE = "fr"
PREFIX = {"fr": "", "en": "en/"}
CATALOGUE = "locale/en/LC_MESSAGES/messages.po"
# First folder of the pages that exist in English (the others — registration, open data, statistics,
# widget — are staff or data pages, in French only); "" is the home page.
RESIDENT = frozenset({"", "recherche", "categories", "communes", "commercants", "marches", "favoris",
                      "hors-ligne", "404.html"})
# Messages of the browser's scripts and of the model's labels: the catalogue's entries whose source is one
# of these files are written into English pages for the scripts (`js_messages`).
BROWSER_SOURCES = re.compile(r"(\.js|labels\.py|categories\.py)$")


@functools.cache
def catalogue() -> Catalog:
    with files("ccdir.site").joinpath(CATALOGUE).open("rb") as po:
        return read_po(po, locale="en")


@functools.cache
def translations(lang: str) -> gettext.NullTranslations:
    """gettext translations for `lang` (French: the msgids themselves)."""
    if lang == SOURCE:
        return gettext.NullTranslations()
    compiled = io.BytesIO()
    write_mo(compiled, catalogue())
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def gettext_for(lang: str) -> Callable[[str], str]:
    return translations(lang).gettext


@functools.cache
def js_messages(lang: str) -> dict[str, Any]:
    """{French text: translation} of the scripts' messages and the model's labels, for `lang`'s pages."""
    if lang == SOURCE:
        return {}
    found: dict[str, Any] = {}
    for message in catalogue():
        if message.id and message.string and any(BROWSER_SOURCES.search(path) for path, _ in message.locations):
            found[str(message.id)] = str(message.string)
    found[HOURS_WORDS] = hours_words()
    return dict(sorted(found.items()))


# Key of the JSON block that holds the hours' words (`hours_words`): not a message, never a `t()` argument.
HOURS_WORDS = "@mots-horaires"


def hours_words() -> list[list[str]]:
    """[[French, English]…] of the hours' descriptions, in the order `dates.when_en` tries them: the search
    results' hours (French in the index) are put in English in the browser (`hoursText` in i18n.js) exactly
    as the server does for the pages (tests/test_i18n.py holds the two side by side)."""
    from ccdir.site.dates import WORD_ORDER, _WORDS

    return [[word, _WORDS[word]] for word in WORD_ORDER]


def is_resident(path: str) -> bool:
    """Whether the page at `path` (relative to the site root: « communes/x/ ») exists in English too."""
    return path.removesuffix("index.html").split("/", 1)[0] in RESIDENT


def counterparts(path: str) -> dict[str, str] | None:
    """{lang: path} of the page `path` (French, relative, « communes/x/ ») in every language, or None when it
    is a French-only page."""
    if not is_resident(path):
        return None
    return {lang: PREFIX[lang] + path for lang in LANGS}
