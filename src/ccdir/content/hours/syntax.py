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

from ccdir.content.hours.dates import (
    date_word,
    parse_date_selector,
    parse_day_offset,
    parse_nth,
    starts_date_selector,
)
from ccdir.content.hours.dead import check_no_dead_rule
from ccdir.content.hours.modifiers import _state_follows, apply_modifier
from ccdir.content.hours.times import spans as _times_spans
from ccdir.content.hours.times import time as _times_time
from ccdir.content.hours.words import (
    _DASHES,
    _EXAMPLE,
    _OSM_ONLY_CHARS,
    DAY_MINUTES,
    PH,
    HoursError,
    _word_problem,
)
from ccdir.content.hours.words import (
    DAY_INDEX as _DAY_INDEX,
)
from ccdir.content.hours.years import is_year, parse_years, starts_years

_ALL_DAYS = frozenset(range(8))  # a rule without days also covers public holidays (OSM)
_WEEK = frozenset(range(7))

_TOKEN_RE = re.compile(
    r"(?P<ws>\s+)|(?P<comment>\"[^\"]*\"?|«[^»]*»?|“[^”]*”?|„[^“”]*[“”]?)|(?P<always>24/7)|(?P<time>\d(?:[\w.]|:(?=\w))*)|(?P<word>[^\W\d_]+)|(?P<punct>[;,:-])|(?P<other>.)",
    re.S,
)


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
    nth_offsets: tuple[int, ...] = ()  # days after (or before, < 0) each `nth`: « Sa[-1] +3 days »
    additional: bool = False  # after « , »: adds to earlier rules instead of replacing them (OSM)
    off: bool = False  # « 12:00-14:00 off »: its spans are closed times, cut out of earlier rules
    maybe: tuple[tuple[int, int], ...] = ()  # those of `spans` whose state is unknown (« unknown », open end)
    comment: str = ""  # « "sur rendez-vous" »: shown on the merchant page
    years: tuple = ()  # years.Years: the rule applies in these years only
    fallback: bool = False  # after « || »: applies only where the rules before leave the shop closed

    @property
    def conditional(self) -> bool:
        """Applies to some dates only (months, weeks, n-th weekday): never replaces a whole weekday."""
        return bool(self.dates or self.nth or self.years)


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
        if tok.text == "+":
            return HoursError(
                "« + » (fermeture non fixée) se place juste après une heure, par exemple Fr 22:00+ ou 10:00-12:00+",
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
            rules.append(self.modifier(self.rule()))
            if self.tok.kind == "eof":
                return rules
            while self.is_punct(",") and self._rule_starts(self.peek()):
                self.advance()  # an additional rule: « Mo-Fr 09:00-12:00, Sa 10:00-12:00 »
                rules.append(self.modifier(self.rule())._replace(additional=True))
                if self.tok.kind == "eof":
                    return rules
            while self._fallback_follows():
                bars = self.tok
                self.advance()
                self.advance()
                if self.tok.kind == "eof" or self.is_punct(";"):
                    raise HoursError(
                        '« || » en trop : ajoutez la règle de repli après, par exemple || "sur rendez-vous"', bars.col
                    )
                rules.append(self.modifier(self.rule())._replace(fallback=True))
            if self.tok.kind == "eof":
                return rules
            if self.is_punct(";"):
                self.advance()
                if self.tok.kind == "eof":  # a trailing ";" is harmless
                    return rules
                continue
            raise self.after_rule_error(rules[-1])

    def modifier(self, rule: Rule) -> Rule:
        """« unknown » and a comment after a rule (`modifiers.apply`)."""
        return apply_modifier(self, rule)

    def _fallback_follows(self) -> bool:
        """« || »: a fallback rule follows (`Mo-Fr 09:00-18:00 || "sur rendez-vous"`)."""
        nxt = self.peek()
        return self.tok.text == "|" and nxt.text == "|" and nxt.col == self.tok.col + 1

    @staticmethod
    def _rule_starts(tok: _Token) -> bool:
        return tok.kind == "always" or (
            is_year(tok) or tok.kind == "word" and (tok.text in _DAY_INDEX or tok.text == "PH" or date_word(tok))
        )

    def rule(self) -> Rule:
        """A rule, years in front included (`years`)."""
        self.maybe: list[tuple[int, int]] = []
        start = self.tok
        if not starts_years(self) or starts_date_selector(self):
            return self.rule_body()
        years = parse_years(self)
        if self.is_punct(":"):
            self.advance()
        if self.tok.kind == "word" and self.tok.text in ("off", "closed"):
            self.advance()
            rule = Rule(_WEEK, (), "", "", start.col)
        elif self._rule_ends() or _state_follows(self.tok):
            rule = Rule(_WEEK, ((0, DAY_MINUTES),), "", "", start.col)  # « 2026 »: open all day that year
        else:
            rule = self.rule_body()
        return rule._replace(years=years, col=start.col, text=self.source_since(start))

    def rule_body(self) -> Rule:
        start = self.tok
        days_text = ""
        dates: tuple = ()
        spans: tuple[tuple[int, int], ...]
        self.nth: list[tuple[int, frozenset[int]]] = []
        self.nth_offsets: list[int] = []
        self.maybe = []
        if starts_date_selector(self):
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
            if self._rule_ends() or _state_follows(self.tok):  # « week 01-26 », « Dec 24-26 »: all day (OSM)
                return Rule(_WEEK, ((0, DAY_MINUTES),), self.source_since(start), "", start.col, dates)
            start_days = self.tok
        else:
            start_days = start
        if start.kind == "comment" or (start.kind == "word" and start.text == "unknown"):
            return Rule(_ALL_DAYS, ((0, DAY_MINUTES),), "", "", start.col)  # « "sur rendez-vous" » alone
        if start.kind == "word" and start.text in ("off", "closed") and start is start_days:
            self.advance()  # « off » alone: closed all the time (OSM)
            return Rule(_ALL_DAYS, (), self.source_since(start), "", start.col)
        if start.kind == "always" or (start is start_days and self._open()):
            self.advance()  # 24/7, or « open » alone (OSM: always open)
            days, spans = _ALL_DAYS, ((0, DAY_MINUTES),)
            if self.tok.kind == "word" and self.tok.text in ("off", "closed"):
                self.advance()  # « 24/7 closed »: closed all the time
                return Rule(_ALL_DAYS, (), self.source_since(start), "", start.col)
        elif start.kind == "time":
            days, spans = _ALL_DAYS, self.spans()
            if self._closed_times():
                return Rule(days, spans, self.source_since(start), "", start.col, off=True)
            self._open_after_times()
        elif start_days.kind == "word":
            days = self.days()
            days_text = self.source_since(start_days)
            if self.is_punct(":") and self.peek().kind in ("time", "word"):
                self.advance()  # « Mo,We: 09:00-12:00 », as after dates
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
            elif (dates and self._rule_ends()) or _state_follows(tok):
                spans = (
                    (0, DAY_MINUTES),
                )  # « Mo unknown », « Mo "sur rendez-vous" »: the whole day  # « Dec 24-Jan 05 We »: open all day on those days (OSM)
            else:
                raise self.after_days_error(days_text)
        else:
            raise self.unexpected(
                start_days, "un jour (Mo Tu We Th Fr Sa Su), PH, une plage horaire comme 09:00-18:00, ou 24/7"
            )
        return Rule(days, spans, self.source_since(start), days_text, start.col, dates, tuple(self.nth))

    def _rule_ends(self) -> bool:
        return self.tok.kind == "eof" or self.is_punct(";") or (self.is_punct(",") and self._rule_starts(self.peek()))

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
                self.nth_offsets.append(parse_day_offset(self))
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
        return _times_spans(self)

    def time(self, is_end: bool) -> int:
        return _times_time(self, is_end)

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


def parse_rules(text: str) -> list[Rule]:
    """The rules of an opening_hours string; raises HoursError (French message, 1-based column)."""
    rules = _Parser(text).parse()
    check_no_dead_rule(rules)
    return rules
