"""The accepted subset of OSM ``opening_hours``: tokens, recursive-descent parser, French errors with a column.

    hours  := rule (";" rule)* [";"]
    rule   := "24/7" | times | days (times | "off" | "closed")
    days   := day ["-" day] ("," day ["-" day])*      day: Mo Tu We Th Fr Sa Su, or PH alone
    times  := HH:MM "-" HH:MM ("," HH:MM "-" HH:MM)*

A span that ends before it starts crosses midnight when it clearly is a night span (ends at 02:00 at
the latest, or starts at 12:00 or later and ends at 06:00 at the latest); otherwise it is reported as a
typing mistake. Rules that a later rule entirely replaces are rejected: in practice they are always a
mistake (``Mo 08:00-12:00; Mo 14:00-18:00`` loses the morning).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ccdir.content.hours.dates import parse_date_selector, parse_nth, starts_date_selector
from ccdir.content.hours.words import (
    _DASHES,
    _EXAMPLE,
    _OSM_ONLY_CHARS,
    DAY_MINUTES,
    PH,
    HoursError,
    _fmt,
    _is_dayish,
    _spans_osm,
    _suggest_time,
    _word_problem,
)
from ccdir.content.hours.words import (
    DAY_INDEX as _DAY_INDEX,
)

_ALL_DAYS = frozenset(range(8))  # a rule without days also covers public holidays (OSM)
_WEEK = frozenset(range(7))

_TOKEN_RE = re.compile(
    r"(?P<ws>\s+)|(?P<always>24/7)|(?P<time>\d[\w:.]*)|(?P<word>[^\W\d_]+)|(?P<punct>[;,:-])|(?P<other>.)",
    re.S,
)
_HHMM_RE = re.compile(r"(\d\d):(\d\d)")


class _Token(NamedTuple):
    kind: str  # always, time, word, punct, other, eof
    text: str
    col: int  # 1-based
    end: int  # 0-based index just after the token


class Rule(NamedTuple):
    days: frozenset[int]  # 0..6 weekdays, 7 = PH
    spans: tuple[tuple[int, int], ...]  # sorted (start, end) minutes, end > start; empty = off
    text: str
    days_text: str  # "" when the rule has no day selector
    col: int
    dates: tuple = ()  # dates.MonthDays / dates.Weeks: the rule applies on these dates only
    nth: tuple[tuple[int, frozenset[int]], ...] = ()  # (weekday, ranks in the month): Sa[1,3]
    additional: bool = False  # after « , »: adds to earlier rules instead of replacing them (OSM)
    off: bool = False  # « 12:00-14:00 off »: its spans are closed times, cut out of earlier rules

    @property
    def conditional(self) -> bool:
        """Applies to some dates only (months, weeks, n-th weekday): never replaces a whole weekday."""
        return bool(self.dates or self.nth)


def _tokenize(text: str) -> list[_Token]:
    tokens = []
    for m in _TOKEN_RE.finditer(text):
        kind = m.lastgroup
        if kind != "ws":
            tokens.append(_Token(kind or "other", m.group(), m.start() + 1, m.end()))
    tokens.append(_Token("eof", "", len(text.rstrip()) + 1, len(text)))
    return tokens


class _Parser:
    """Recursive descent over tokens; raises HoursError at the first mistake."""

    def __init__(self, text: str):
        self.text = text
        self.tokens = _tokenize(text)
        self.i = 0

    @property
    def tok(self) -> _Token:
        return self.tokens[self.i]

    def peek(self) -> _Token:
        return self.tokens[min(self.i + 1, len(self.tokens) - 1)]

    def advance(self) -> _Token:
        tok = self.tokens[self.i]
        if tok.kind != "eof":
            self.i += 1
        return tok

    def is_punct(self, char: str, tok: _Token | None = None) -> bool:
        tok = tok or self.tok
        return tok.kind == "punct" and tok.text == char

    def source_since(self, start: _Token) -> str:
        return self.text[start.col - 1 : self.tokens[self.i - 1].end].strip()

    def unexpected(self, tok: _Token, expected: str) -> HoursError:
        if tok.kind == "eof":
            return HoursError(f"le texte s'arrête trop tôt : attendu {expected}", tok.col)
        if tok.kind == "word":
            return HoursError(_word_problem(tok.text), tok.col)
        if tok.text in _DASHES:
            return HoursError(
                f"tiret « {tok.text} » non accepté : utilisez le tiret simple « - », par exemple {_EXAMPLE}",
                tok.col,
            )
        if tok.text in _OSM_ONLY_CHARS:
            return HoursError(
                f"« {tok.text} » : {_OSM_ONLY_CHARS[tok.text]} d'OpenStreetMap ne sont pas pris en charge ici ; "
                f"écrivez seulement des jours et des plages horaires, par exemple {_EXAMPLE}",
                tok.col,
            )
        return HoursError(f"« {tok.text} » inattendu ici : attendu {expected}", tok.col)

    # -- grammar ---------------------------------------------------------------------------------

    def parse(self) -> list[Rule]:
        if not self.text.strip():
            raise HoursError(f"horaires vides : écrivez par exemple {_EXAMPLE}; Sa 09:00-12:00, ou retirez ce champ", 1)
        rules = []
        while True:
            if self.is_punct(";"):
                raise HoursError("« ; » en trop : aucune règle avant ce point-virgule, retirez-le", self.tok.col)
            rules.append(self.rule())
            if self.tok.kind == "eof":
                return rules
            if self.is_punct(",") and self._rule_starts(self.peek()):
                self.advance()  # an additional rule: « Mo-Fr 09:00-12:00, Sa 10:00-12:00 »
                rules.append(self.rule()._replace(additional=True))
                if self.tok.kind == "eof":
                    return rules
            if self.is_punct(";"):
                self.advance()
                if self.tok.kind == "eof":  # a trailing ";" is harmless
                    return rules
                continue
            raise self.after_rule_error(rules[-1])

    @staticmethod
    def _rule_starts(tok: _Token) -> bool:
        return tok.kind == "always" or (
            tok.kind == "word" and (tok.text in _DAY_INDEX or tok.text == "PH" or starts_date_selector(tok))
        )

    def rule(self) -> Rule:
        start = self.tok
        days_text = ""
        dates: tuple = ()
        spans: tuple[tuple[int, int], ...]
        self.nth: list[tuple[int, frozenset[int]]] = []
        if starts_date_selector(start):
            dates = parse_date_selector(self)
            if self.is_punct(":"):
                self.advance()
            if self.tok.kind == "word" and self.tok.text in ("off", "closed"):
                self.advance()
                return Rule(_WEEK, (), self.source_since(start), "", start.col, dates)
            if self.tok.kind in ("time", "always") or self._open():
                if self.tok.kind == "always" or self.tok.text == "open":
                    self.advance()
                    spans = ((0, DAY_MINUTES),)
                else:
                    spans = self.spans()
                    self._open_after_times()
                return Rule(_WEEK, spans, self.source_since(start), "", start.col, dates)
            start_days = self.tok
        else:
            start_days = start
        if start.kind == "always" or (start is start_days and self._open()):
            self.advance()  # 24/7, or « open » alone (OSM: always open)
            days, spans = _ALL_DAYS, ((0, DAY_MINUTES),)
        elif start.kind == "time":
            days, spans = _ALL_DAYS, self.spans()
            if self._closed_times():
                return Rule(days, spans, self.source_since(start), "", start.col, off=True)
            self._open_after_times()
        elif start_days.kind == "word":
            days = self.days()
            days_text = self.source_since(start_days)
            tok = self.tok
            if tok.kind == "word" and tok.text in ("off", "closed"):
                self.advance()
                spans = ()
            elif self._open():
                self.advance()  # « Mo,We open »: open all day
                spans = ((0, DAY_MINUTES),)
            elif tok.kind == "time":
                spans = self.spans()
                if self._closed_times():
                    return Rule(
                        days, spans, self.source_since(start), days_text, start.col, dates, tuple(self.nth), off=True
                    )
                self._open_after_times()
            else:
                raise self.after_days_error(days_text)
        else:
            raise self.unexpected(
                start_days, "un jour (Mo Tu We Th Fr Sa Su), PH, une plage horaire comme 09:00-18:00, ou 24/7"
            )
        return Rule(days, spans, self.source_since(start), days_text, start.col, dates, tuple(self.nth))

    def _open(self) -> bool:
        return self.tok.kind == "word" and self.tok.text == "open"

    def _open_after_times(self) -> None:
        """« Mo 10:00-12:00 open »: open is what times mean anyway."""
        if self._open():
            self.advance()

    def _closed_times(self) -> bool:
        """« 12:00-14:00 off »: the times just read are closed times."""
        if self.tok.kind == "word" and self.tok.text in ("off", "closed"):
            self.advance()
            return True
        return False

    def days(self) -> frozenset[int]:
        days: set[int] = set()
        while True:
            first_tok = self.tok
            first = self.day("un jour (Mo Tu We Th Fr Sa Su) ou PH")
            if self.is_punct("-"):
                self.advance()
                if self.tok.kind != "word":
                    raise HoursError(
                        f"plage de jours incomplète « {first_tok.text}- » : écrivez par exemple Mo-Fr", self.tok.col
                    )
                last_tok = self.tok
                last = self.day("le dernier jour de la plage, par exemple Mo-Fr")
                if PH in (first, last):
                    ph_col = first_tok.col if first == PH else last_tok.col
                    raise HoursError(
                        "PH (jours fériés) ne peut pas faire partie d'une plage de jours : "
                        "ajoutez-le avec une virgule, par exemple Mo-Sa,PH 10:00-12:00",
                        ph_col,
                    )
                days.update((first + k) % 7 for k in range((last - first) % 7 + 1))
            elif self.tok.kind == "other" and self.tok.text == "[" and first != PH:
                self.nth.append((first, parse_nth(self)))
            else:
                days.add(first)
            if not self.is_punct(","):
                return frozenset(days)
            if self.peek().kind == "time":
                raise HoursError(
                    "« , » en trop entre les jours et les heures : séparez-les par une espace, "
                    "par exemple Mo,We 09:00-12:00",
                    self.tok.col,
                )
            self.advance()

    def day(self, expected: str) -> int:
        tok = self.tok
        if tok.kind == "word" and tok.text in _DAY_INDEX:
            self.advance()
            return _DAY_INDEX[tok.text]
        if tok.kind == "word" and tok.text == "PH":
            self.advance()
            return PH
        raise self.unexpected(tok, expected)

    def spans(self) -> tuple[tuple[int, int], ...]:
        found: list[tuple[int, int, _Token]] = []
        while True:
            start_tok = self.tok
            start = self.time(is_end=False)
            if not self.is_punct("-"):
                tok = self.tok
                if tok.kind == "other":
                    raise self.unexpected(tok, "« - » puis l'heure de fin")
                raise HoursError(
                    f"plage horaire incomplète « {start_tok.text} » : écrivez l'heure de début et de fin "
                    f"séparées par « - », par exemple {start_tok.text}-18:00",
                    start_tok.col,
                )
            self.advance()
            end_tok = self.tok
            if end_tok.kind != "time":
                if end_tok.kind == "eof" or end_tok.kind == "punct":
                    raise HoursError(
                        f"plage horaire incomplète « {start_tok.text}- » : ajoutez l'heure de fin, "
                        f"par exemple {start_tok.text}-18:00",
                        end_tok.col,
                    )
                raise self.unexpected(end_tok, "l'heure de fin, par exemple 18:00")
            end = self.time(is_end=True)
            found.append((*self.ordered(start, end, start_tok), start_tok))
            if self.is_punct(","):
                nxt = self.peek()
                if nxt.kind == "time":
                    self.advance()
                    continue
                if self._rule_starts(nxt):
                    break  # an additional rule follows (parse reads it)
                if nxt.kind == "word" and _is_dayish(nxt.text):
                    raise HoursError(
                        "« , » sépare les plages horaires d'un même jour ; pour commencer une nouvelle règle, "
                        "utilisez « ; », par exemple Mo-Fr 09:00-18:00; Sa 09:00-12:00",
                        self.tok.col,
                    )
                if nxt.kind == "eof":
                    raise HoursError("« , » en trop à la fin : retirez-la", self.tok.col)
                self.advance()
                raise self.unexpected(nxt, "une autre plage horaire, par exemple 14:00-18:00")
            if self.tok.kind == "time":
                previous = self.source_since(start_tok)
                raise HoursError(
                    f"il manque une virgule entre « {previous} » et « {self.tok.text} » : "
                    f"séparez les plages par « , », par exemple 09:00-12:00,14:00-18:00",
                    self.tok.col,
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

    def time(self, is_end: bool) -> int:
        tok = self.tok
        if tok.kind != "time":
            raise self.unexpected(tok, "une heure HH:MM, par exemple 09:00")
        m = _HHMM_RE.fullmatch(tok.text)
        if not m:
            example = _suggest_time(tok.text) or "09:00"
            raise HoursError(f"heure « {tok.text} » invalide : écrivez HH:MM, par exemple {example}", tok.col)
        hours, minutes = int(m.group(1)), int(m.group(2))
        if hours > 24:
            raise HoursError(f"heure « {tok.text} » invalide : les heures vont de 00 à 24", tok.col)
        if minutes > 59:
            raise HoursError(
                f"minutes « {m.group(2)} » invalides dans « {tok.text} » : les minutes vont de 00 à 59", tok.col + 3
            )
        if hours == 24 and minutes:
            raise HoursError(
                f"heure « {tok.text} » invalide : 24:00 est la dernière heure d'une journée ; "
                f"pour finir après minuit, écrivez l'heure du lendemain, par exemple 00:{m.group(2)}",
                tok.col,
            )
        if hours == 24 and not is_end:
            raise HoursError("24:00 ne peut être qu'une heure de fin : pour ouvrir à minuit, écrivez 00:00", tok.col)
        self.advance()
        return hours * 60 + minutes

    @staticmethod
    def ordered(start: int, end: int, start_tok: _Token) -> tuple[int, int]:
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

    # -- errors after a complete part --------------------------------------------------------------

    def after_days_error(self, days_text: str) -> HoursError:
        tok = self.tok
        if tok.kind == "eof" or self.is_punct(";"):
            return HoursError(
                f"horaires manquants après « {days_text} » : ajoutez une plage horaire, "
                f"par exemple {days_text} 09:00-18:00, ou « off » si ces jours sont fermés",
                tok.col,
            )
        if self.is_punct(":"):
            return HoursError(f"« : » en trop après les jours : écrivez par exemple {days_text} 09:00-18:00", tok.col)
        if tok.kind == "always":
            return HoursError(
                f"24/7 s'écrit seul ; pour ouvrir toute la journée certains jours, écrivez {days_text} 00:00-24:00",
                tok.col,
            )
        if tok.kind == "word" and (tok.text in _DAY_INDEX or tok.text == "PH"):
            return HoursError(
                f"il manque une virgule avant « {tok.text} » : séparez les jours par « , », par exemple Mo,We,Fr",
                tok.col,
            )
        return self.unexpected(tok, "des horaires comme 09:00-18:00, ou off")

    def after_rule_error(self, rule: Rule) -> HoursError:
        tok = self.tok
        if tok.kind == "always" or (tok.kind == "word" and (tok.text in _DAY_INDEX or tok.text == "PH")):
            return HoursError(
                f"il manque « ; » avant « {tok.text} » : séparez les règles par un point-virgule, "
                "par exemple Mo-Fr 09:00-18:00; Sa 09:00-12:00",
                tok.col,
            )
        if tok.kind == "word" and tok.text in ("off", "closed"):
            return HoursError(
                f"« {tok.text} » en trop après « {rule.text} » : pour des jours fermés, écrivez les jours "
                "puis off, par exemple Su off",
                tok.col,
            )
        if self.is_punct(","):
            return HoursError("« , » ne sépare pas les règles : utilisez « ; », par exemple Su off; PH off", tok.col)
        if tok.kind == "time":
            return HoursError(
                f"« {tok.text} » inattendu après « {rule.text} » : pour une nouvelle règle, ajoutez « ; » avant",
                tok.col,
            )
        return self.unexpected(tok, "« ; » puis la règle suivante")


def _check_no_dead_rule(rules: list[Rule]) -> None:
    """Reject a rule whose days are all redefined by later rules (linear in the number of days named)."""
    owner: list[int | None] = [None] * 8
    remaining = [len(rule.days) + len(rule.nth) for rule in rules]
    conditional: list[Rule] = []
    for j, rule in enumerate(rules):
        if rule.off or rule.additional:  # adds or cuts hours: replaces nothing
            continue
        if rule.conditional:  # applies on some dates only: replaces nothing entirely
            conditional.append(rule)
            continue
        for earlier in conditional:
            if rule.spans and (rule.days & (earlier.days | {d for d, _ in earlier.nth})):
                raise HoursError(
                    f"la règle « {earlier.text} » est annulée par « {rule.text} », plus loin, les jours qu'elles "
                    f"ont en commun (la dernière règle l'emporte) : placez « {earlier.text} » après « {rule.text} »",
                    earlier.col,
                )
        for day in rule.days:
            i = owner[day]
            if i is not None and i != j:
                remaining[i] -= 1
                if remaining[i] == 0:
                    raise _dead_rule_error(rules[i], rule)
            owner[day] = j


def _dead_rule_error(dead: Rule, winner: Rule) -> HoursError:
    message = (
        f"la règle « {dead.text} » n'a aucun effet : la règle « {winner.text} », plus loin, "
        "redéfinit tous ses jours (la dernière règle l'emporte)"
    )
    if dead.spans and winner.spans:
        merged = sorted(dead.spans + winner.spans)
        if all(a[1] <= b[0] for a, b in zip(merged, merged[1:], strict=False)):
            example = f"{dead.days_text} {_spans_osm(merged)}".strip()
            message += (
                " ; pour plusieurs plages le même jour, écrivez-les dans une seule règle "
                f"séparées par des virgules, par exemple {example}"
            )
        else:
            message += " ; gardez une seule des deux"
    elif not dead.spans and winner.spans:
        message += f" ; si ces jours sont fermés, placez « {dead.text} » après « {winner.text} »"
    else:
        message += " ; gardez une seule des deux"
    return HoursError(message, winner.col)


def parse_rules(text: str) -> list[Rule]:
    """The rules of an opening_hours string; raises HoursError (French message, 1-based column)."""
    rules = _Parser(text).parse()
    _check_no_dead_rule(rules)
    return rules
