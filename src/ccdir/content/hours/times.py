"""Time spans of a rule: `09:00-12:00,14:00-18:00`, nights past midnight, extended ends (`22:00-26:00`), open
ends (`17:00+`). Functions take the rule parser (`syntax._Parser`) and raise its French errors with a column.
"""

from __future__ import annotations

import re
from typing import Any

from ccdir.content.hours.modifiers import open_end
from ccdir.content.hours.words import DAY_MINUTES, HoursError, _fmt, _is_dayish, _suggest_time

_HHMM_RE = re.compile(r"(\d\d):(\d\d)")


def spans(p) -> tuple[tuple[int, int], ...]:
    found: list[tuple[int, int, Any]] = []
    while True:
        start_tok = p.tok
        start = time(p, is_end=False)
        if p.tok.kind == "other" and p.tok.text == "+":  # « 17:00+ »: open end, state unknown
            p.advance()
            found.append((start, open_end(start), start_tok))
            p.maybe.append((start, open_end(start)))
        else:
            _span_end(p, start, start_tok, found)
        if p.is_punct(","):
            nxt = p.peek()
            if nxt.kind == "time":
                p.advance()
                continue
            if p._rule_starts(nxt):
                break  # an additional rule follows (parse reads it)
            if nxt.kind == "word" and _is_dayish(nxt.text):
                raise HoursError(
                    "« , » sépare les plages horaires d'un même jour ; pour commencer une nouvelle règle, "
                    "utilisez « ; », par exemple Mo-Fr 09:00-18:00; Sa 09:00-12:00",
                    p.tok.col,
                )
            if nxt.kind == "eof":
                raise HoursError("« , » en trop à la fin : retirez-la", p.tok.col)
            p.advance()
            raise p.unexpected(nxt, "une autre plage horaire, par exemple 14:00-18:00")
        if p.tok.kind == "time":
            previous = p.source_since(start_tok)
            raise HoursError(
                f"il manque une virgule entre « {previous} » et « {p.tok.text} » : "
                f"séparez les plages par « , », par exemple 09:00-12:00,14:00-18:00",
                p.tok.col,
            )
        break
    by_start = sorted(found)
    for (s1, e1, t1), (s2, e2, t2) in zip(by_start, by_start[1:], strict=False):
        if s2 < e1:
            later = max(t1, t2, key=lambda t: t.col)
            raise HoursError(
                f"les plages « {_fmt(s1)}-{_fmt(e1)} » et « {_fmt(s2)}-{_fmt(e2)} » se chevauchent : "
                "corrigez les heures ou réunissez-les en une seule plage",
                later.col,
            )
    return tuple((s, e) for s, e, _ in by_start)


def _span_end(p, start: int, start_tok: Any, found: list) -> None:
    """« -HH:MM » after a start time, and an open end « + » after it (« 10:00-12:00+ »)."""
    if not p.is_punct("-"):
        tok = p.tok
        if tok.kind == "other":
            raise p.unexpected(tok, "« - » puis l'heure de fin")
        raise HoursError(
            f"plage horaire incomplète « {start_tok.text} » : écrivez l'heure de début et de fin "
            f"séparées par « - », par exemple {start_tok.text}-18:00",
            start_tok.col,
        )
    p.advance()
    end_tok = p.tok
    if end_tok.kind != "time":
        if end_tok.kind == "eof" or end_tok.kind == "punct":
            raise HoursError(
                f"plage horaire incomplète « {start_tok.text}- » : ajoutez l'heure de fin, "
                f"par exemple {start_tok.text}-18:00",
                end_tok.col,
            )
        raise p.unexpected(end_tok, "l'heure de fin, par exemple 18:00")
    end = time(p, is_end=True)
    start, end = ordered(start, end, start_tok)
    found.append((start, end, start_tok))
    if p.tok.kind == "other" and p.tok.text == "+":  # « 10:00-12:00+ »: unknown after 12:00
        p.advance()
        found.append((end, open_end(end), end_tok))
        p.maybe.append((end, open_end(end)))


def time(p, is_end: bool) -> int:
    tok = p.tok
    if tok.kind != "time":
        raise p.unexpected(tok, "une heure HH:MM, par exemple 09:00")
    m = _HHMM_RE.fullmatch(tok.text)
    if not m:
        example = _suggest_time(tok.text) or "09:00"
        raise HoursError(f"heure « {tok.text} » invalide : écrivez HH:MM, par exemple {example}", tok.col)
    hours, minutes = int(m.group(1)), int(m.group(2))
    if hours > 24 and not (is_end and hours <= 48 and (hours < 48 or not minutes)):
        raise HoursError(
            f"heure « {tok.text} » invalide : les heures vont de 00 à 24 (jusqu'à 48 pour une fin le lendemain, "
            "par exemple 22:00-26:00)"
            if is_end
            else f"heure « {tok.text} » invalide : les heures vont de 00 à 24",
            tok.col,
        )
    if minutes > 59:
        raise HoursError(
            f"minutes « {m.group(2)} » invalides dans « {tok.text} » : les minutes vont de 00 à 59", tok.col + 3
        )
    if hours > 24:  # « 22:00-26:00 »: 02:00 the next day (OSM extended time)
        p.advance()
        return hours * 60 + minutes
    if hours == 24 and minutes:
        raise HoursError(
            f"heure « {tok.text} » invalide : 24:00 est la dernière heure d'une journée ; "
            f"pour finir après minuit, écrivez l'heure du lendemain, par exemple 00:{m.group(2)}",
            tok.col,
        )
    if hours == 24 and not is_end:
        raise HoursError("24:00 ne peut être qu'une heure de fin : pour ouvrir à minuit, écrivez 00:00", tok.col)
    p.advance()
    return hours * 60 + minutes


def ordered(start: int, end: int, start_tok: Any) -> tuple[int, int]:
    """(start, end) with end > start; overnight spans get end > 1440."""
    if end == 0 and start > 0:
        end = DAY_MINUTES  # "18:00-00:00" closes at midnight
    span = f"{_fmt(start)}-{_fmt(end)}"
    if end == start:
        fix = (
            "pour toute la journée, écrivez 00:00-24:00"
            if start == 0
            else "l'heure de fin doit être différente de l'heure de début"
        )
        raise HoursError(f"plage « {span} » vide : {fix}", start_tok.col)
    if end > start:
        return start, end
    # Clearly a night: late closing (11:00-01:00) or a night venue (22:00-05:00). Anything else
    # (14:00-12:00, 08:00-05:00 for 17:00) is a typing mistake.
    if end <= 2 * 60 or (start >= 12 * 60 and end <= 6 * 60):
        return start, end + DAY_MINUTES
    raise HoursError(
        f"la plage « {span} » finit avant de commencer : vérifiez les heures (une plage qui passe minuit "
        "doit finir à 02:00 au plus tard, ou commencer à 12:00 ou plus tard et finir à 06:00 au plus tard, "
        "par exemple 18:00-02:00)",
        start_tok.col,
    )
