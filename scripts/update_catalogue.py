"""Update the English catalogue of the site (src/ccdir/site/locale/en/LC_MESSAGES/messages.po) from the sources.

French is the source: the msgids are the templates' text (`{% trans %}`, `_()`), the scripts' `t("…")` and the
model's labels (content.labels, content.categories.GROUPS, written into pages and the search manifest).
New messages are added with an empty translation, translations of messages that disappeared are dropped;
tests/test_i18n.py fails while a message has no English. Run:  .venv/bin/python scripts/update_catalogue.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "src/ccdir/site/locale/en/LC_MESSAGES/messages.po"
sys.path.insert(0, str(ROOT / "src"))


def source_messages() -> Catalog:
    """Every message the site shows residents, with where it comes from."""
    from babel.messages.extract import extract_from_dir

    from ccdir.content import labels
    from ccdir.content.categories import GROUPS

    catalog = Catalog(locale="en", project="ccdir", fuzzy=False)
    method_map = [("**.html", "jinja2"), ("assets/**.js", "javascript")]
    options = {"**.html": {"trimmed": "true"}}
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "t": None}
    for filename, lineno, message, comments, context in extract_from_dir(
        ROOT / "templates", method_map, options, keywords=keywords
    ):
        catalog.add(message, None, [(f"templates/{filename}", lineno)], auto_comments=comments, context=context)
    tables = {
        "src/ccdir/content/categories.py": [GROUPS],
        "src/ccdir/content/labels.py": [
            labels.KIND_LABELS,
            labels.ORDER_LABELS,
            labels.ORDER_ACTIONS,
            labels.POINT_KIND_LABELS,
        ],
    }
    for path, dicts in tables.items():
        for table in dicts:
            for value in table.values():
                catalog.add(value, None, [(path, 0)])
    return catalog


def _entries(catalog: Catalog) -> list[tuple]:
    return sorted(
        (str(m.id), str(m.string), tuple(sorted((path, line or 0) for path, line in m.locations)))
        for m in catalog
        if m.id
    )


def main() -> None:
    fresh = source_messages()
    old = read_po(PO.open("rb"), locale="en") if PO.exists() else Catalog(locale="en")
    for message in fresh:
        if message.id and message.id in old:
            message.string = old[message.id].string
    missing = [m.id for m in fresh if m.id and not m.string]
    if PO.exists() and _entries(fresh) == _entries(old):
        fresh.creation_date = old.creation_date  # nothing changed: no date-only diff in the repository
    with PO.open("wb") as out:
        write_po(out, fresh, width=120, omit_header=False, sort_output=False, include_previous=False)
    print(f"{PO.relative_to(ROOT)} : {len(fresh)} messages, {len(missing)} sans traduction")
    for msgid in missing:
        print("  à traduire :", msgid)


if __name__ == "__main__":
    main()
