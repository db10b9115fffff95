"""Years in front of a rule: `2026`, `2026-2027`, `2026-2030/2` (every second year), `2027+` (from 2027 on),
lists `2026,2028`; and a year in front of a month day, `2026 Dec 24` (that day of that year only).

As opening_hours.js reads them: years select the rule's dates along with what follows (`2026 Mo-Fr 09:00-12:00`);
in a list of month days each year belongs to its own item (`2026 Dec 24,Dec 31`: Dec 31 of every year).
Years run from 2000 to 2099. A rule of years alone that could be times (`2000-2100` for 20:00-21:00) is refused.
"""

from __future__ import annotations

from typing import NamedTuple

from ccdir.content.hours.words import HoursError

FIRST_YEAR, LAST_YEAR = 2000, 2099


class Years(NamedTuple):
    first: int
    last: int  # 0: no end (« 2027+ »)
    step: int


def is_year(tok) -> bool:
    return tok.kind == "time" and len(tok.text) == 4 and tok.text.isdigit() and FIRST_YEAR <= int(tok.text) <= LAST_YEAR


def _looks_like_time(tok) -> bool:
    return int(tok.text[:2]) <= 24 and int(tok.text[2:]) <= 59


def starts_years(p) -> bool:
    """A year selector starts here: a year followed by what can follow a year (not « 2000-2300 », a time)."""
    if not is_year(p.tok):
        return False
    nxt = p.peek()
    if p.is_punct("-", nxt):
        after = p.tokens[min(p.i + 2, len(p.tokens) - 1)]
        return is_year(after)
    return not (nxt.kind == "time" and not is_year(nxt) and ":" not in nxt.text and nxt.text.isdigit())


def parse_years(p) -> tuple[Years, ...]:
    """`2026,2028-2030/2,2035+`; the parser stands on the first year."""
    out: list[Years] = []
    tokens = []
    while True:
        first_tok = p.tok
        tokens.append(first_tok)
        first = _year(p)
        last, step = first, 1
        if p.tok.kind == "other" and p.tok.text == "+":
            p.advance()
            last = 0
        elif p.is_punct("-") and is_year(p.peek()):
            p.advance()
            last_tok = p.tok
            tokens.append(last_tok)
            last = _year(p)
            if last < first:
                raise HoursError(
                    f"années « {first}-{last} » à l'envers : écrivez la première année d'abord, par exemple {last}-{first}",
                    first_tok.col,
                )
            if p.tok.kind == "other" and p.tok.text == "/":
                p.advance()
                step_tok = p.tok
                if step_tok.kind != "time" or not step_tok.text.isdigit() or not 1 <= int(step_tok.text) <= 99:
                    raise p.unexpected(step_tok, "un pas, par exemple 2026-2030/2 (une année sur deux)")
                p.advance()
                step = int(step_tok.text)
        out.append(Years(first, last, step))
        if p.is_punct(",") and is_year(p.peek()):
            p.advance()
            continue
        break
    if (p.tok.kind == "eof" or p.is_punct(";")) and all(_looks_like_time(t) for t in tokens):
        raise HoursError(
            f"« {p.source_since(tokens[0])} » : des années ou des heures ? Pour des heures, écrivez HH:MM, par "
            f"exemple {tokens[0].text[:2]}:{tokens[0].text[2:]} ; pour des années, ajoutez les jours ou les heures, "
            f"par exemple {tokens[0].text} Mo-Fr 09:00-18:00",
            tokens[0].col,
        )
    return tuple(out)


def _year(p) -> int:
    tok = p.tok
    if not is_year(tok):
        raise p.unexpected(tok, f"une année de {FIRST_YEAR} à {LAST_YEAR}, par exemple 2026")
    p.advance()
    return int(tok.text)


def years_match(years: tuple[Years, ...], year: int) -> bool:
    return any(y.first <= year and (not y.last or year <= y.last) and (year - y.first) % y.step == 0 for y in years)


def describe_years(years: tuple[Years, ...]) -> str:
    """« en 2026 », « de 2026 à 2028 », « à partir de 2027 », « de 2026 à 2030, une année sur 2 »."""
    parts = []
    for y in years:
        if not y.last:
            text = f"à partir de {y.first}"
        elif y.first == y.last:
            text = f"en {y.first}"
        else:
            text = f"de {y.first} à {y.last}"
        parts.append(text + (f", une année sur {y.step}" if y.step > 1 else ""))
    return ", ".join(parts)
