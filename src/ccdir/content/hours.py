"""Parse the subset of OpenStreetMap ``opening_hours`` that merchants write, with French errors.

Why our own parser: the Python libraries for this syntax either cover far more than merchants
write or are unmaintained, and none explains mistakes in French with the column of the problem.
The accepted subset is documented for merchants in ``docs/horaires.md``:

    hours  := rule (";" rule)* [";"]
    rule   := "24/7" | times | days (times | "off" | "closed")
    days   := day ["-" day] ("," day ["-" day])*      day: Mo Tu We Th Fr Sa Su, or PH alone
    times  := HH:MM "-" HH:MM ("," HH:MM "-" HH:MM)*

Semantics follow OSM: a later rule replaces the hours of the days it names; days never named
are closed; a rule without days (a bare time list, ``24/7``) names every day. A span that ends
before it starts crosses midnight (``Fr 18:00-02:00`` is open Saturday until 02:00) when it
clearly is a night span (ends at 02:00 at the latest, or starts at 12:00 or later and ends at
06:00 at the latest); otherwise it is reported as a typing mistake. Public holidays (``PH``) are recorded and shown but never
evaluated: we do not compute holiday dates.

Rules that a later rule entirely replaces are rejected: in practice they are always a mistake
(``Mo 08:00-12:00; Mo 14:00-18:00`` loses the morning).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from functools import lru_cache
from typing import NamedTuple

__all__ = ["HoursError", "OpeningHours", "parse", "validate_hours"]

DAY_CODES = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
PH = 7  # index of public holidays in per-day tables
DAY_MINUTES = 1440
_DAY_INDEX = {code: i for i, code in enumerate(DAY_CODES)}
_FR_DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
_SCHEMA_DAYS = tuple(
    f"https://schema.org/{name}"
    for name in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
)
_SCHEMA_PH = "https://schema.org/PublicHolidays"
_ALL_DAYS = frozenset(range(8))  # a rule without days also covers public holidays (OSM)

_DAY_HINT = "utilisez Mo Tu We Th Fr Sa Su (Mo = lundi, Tu = mardi…)"
_EXAMPLE = "Mo-Fr 09:00-18:00"

# Words people write instead of our day codes, lowercased without accents -> day index.
_FRENCH_WORDS = {
    **{w: 0 for w in ("lundi", "lun", "lu")},
    **{w: 1 for w in ("mardi", "mar", "ma")},
    **{w: 2 for w in ("mercredi", "mer", "me")},
    **{w: 3 for w in ("jeudi", "jeu", "je")},
    **{w: 4 for w in ("vendredi", "ven", "ve")},
    **{w: 5 for w in ("samedi", "sam")},
    **{w: 6 for w in ("dimanche", "dim", "di")},
}
_ENGLISH_WORDS = {
    **{w: 0 for w in ("monday", "mon")},
    **{w: 1 for w in ("tuesday", "tue", "tues")},
    **{w: 2 for w in ("wednesday", "wed")},
    **{w: 3 for w in ("thursday", "thu", "thur", "thurs")},
    **{w: 4 for w in ("friday", "fri")},
    **{w: 5 for w in ("saturday", "sat")},
    **{w: 6 for w in ("sunday", "sun")},
}
_UNSUPPORTED_WORDS = frozenset(
    "jan feb apr may jun jul aug sep oct nov dec week sh sunrise sunset dawn dusk easter".split()
)
_FILLER_WORDS = frozenset("de a au du et le les la sauf h heures".split())
_DASHES = frozenset("–—−‐‑")
_OSM_ONLY_CHARS = {
    '"': "les commentaires entre guillemets",
    "[": "les numéros de semaine du mois",
    "|": "les règles de repli « || »",
    "+": "les heures de fin ouvertes « + »",
    "/": "les intervalles « / »",
}

_TOKEN_RE = re.compile(
    r"(?P<ws>\s+)|(?P<always>24/7)|(?P<time>\d[\w:.]*)|(?P<word>[^\W\d_]+)|(?P<punct>[;,:-])|(?P<other>.)",
    re.S,
)
_HHMM_RE = re.compile(r"(\d\d):(\d\d)")
# Loose time shapes we can turn into a suggestion: 9h, 9h30, 9:00, 09.30, 0930, 09:00:00.
_LOOSE_TIME_RES = (
    re.compile(r"(\d{1,2})(?:[hH:.](\d\d)?)?(?::00)?[hH]?"),
    re.compile(r"(\d\d)(\d\d)"),
)


class HoursError(ValueError):
    """A mistake in an opening-hours string: French `message` saying how to fix it, 1-based `column`."""

    def __init__(self, message: str, column: int):
        super().__init__(f"{message} (colonne {column})")
        self.message = message
        self.column = column


class _Token(NamedTuple):
    kind: str  # always, time, word, punct, other, eof
    text: str
    col: int  # 1-based
    end: int  # 0-based index just after the token


class _Rule(NamedTuple):
    days: frozenset[int]  # 0..6 weekdays, 7 = PH
    spans: tuple[tuple[int, int], ...]  # sorted (start, end) minutes, end > start; empty = off
    text: str
    days_text: str  # "" when the rule has no day selector
    col: int


def _fmt(minute: int) -> str:
    if minute > DAY_MINUTES:
        minute -= DAY_MINUTES
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _spans_osm(spans) -> str:
    return ",".join(f"{_fmt(s)}-{_fmt(e)}" for s, e in spans)


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _is_dayish(word: str) -> bool:
    """True for a word that is meant as a day, even misspelt (used to spot a missing `;`)."""
    folded = _fold(word)
    return (
        word in _DAY_INDEX
        or folded == "ph"
        or folded in ("mo", "tu", "we", "th", "fr", "sa", "su")
        or folded in _FRENCH_WORDS
        or folded in _ENGLISH_WORDS
    )


def _word_problem(word: str) -> str:
    """French explanation for a word that is not valid where a day or a keyword was expected."""
    folded = _fold(word).rstrip(".")
    if word in ("off", "closed"):
        return f"« {word} » doit suivre des jours, par exemple Su off"
    for code in DAY_CODES:
        if folded == code.lower():
            return f"jour « {word} » mal écrit : écrivez « {code} » (une majuscule puis une minuscule)"
    if folded == "ph":
        return f"« {word} » mal écrit : écrivez « PH » en majuscules (jours fériés)"
    if folded in _FRENCH_WORDS:
        i = _FRENCH_WORDS[folded]
        return f"jour inconnu « {word} » : {_DAY_HINT} ; ici, écrivez « {DAY_CODES[i]} » ({_FR_DAYS[i]})"
    if folded in _ENGLISH_WORDS:
        i = _ENGLISH_WORDS[folded]
        return (
            f"jour « {word} » mal écrit : les jours s'écrivent en deux lettres, Mo Tu We Th Fr Sa Su ; "
            f"ici, écrivez « {DAY_CODES[i]} »"
        )
    if folded in ("off", "closed"):
        return f"« {word} » mal écrit : écrivez « off » en minuscules"
    if folded.startswith("ferm"):
        return f"« {word} » : pour un jour fermé, écrivez « off », par exemple Su off"
    if folded in ("ferie", "feries", "jf"):
        return f"« {word} » : pour les jours fériés, écrivez « PH », par exemple PH off"
    if folded in ("tlj", "tous", "everyday", "daily"):
        return f"« {word} » : pour tous les jours, écrivez Mo-Su 09:00-18:00, ou seulement les heures : 09:00-18:00"
    if folded in _UNSUPPORTED_WORDS:
        return (
            f"« {word} » : les mois, semaines, vacances scolaires et heures solaires d'OpenStreetMap "
            f"ne sont pas pris en charge ici ; indiquez seulement des jours et des heures, par exemple {_EXAMPLE}"
        )
    if folded in ("open", "unknown"):
        return f"« {word} » n'est pas pris en charge : indiquez les heures, par exemple {_EXAMPLE}"
    if folded in _FILLER_WORDS:
        return (
            f"mot « {word} » en trop : écrivez seulement des jours et des heures, "
            f"par exemple {_EXAMPLE} (et non « du lundi au vendredi de 9h à 18h »)"
        )
    return (
        f"mot inconnu « {word} » : attendu un jour (Mo Tu We Th Fr Sa Su), PH, off, "
        f"une plage horaire comme 09:00-18:00, ou 24/7"
    )


def _suggest_time(text: str) -> str | None:
    for pattern in _LOOSE_TIME_RES:
        m = pattern.fullmatch(text)
        if m:
            hours, minutes = int(m.group(1)), int(m.group(2) or 0)
            if hours <= 24 and minutes <= 59 and not (hours == 24 and minutes):
                return f"{hours:02d}:{minutes:02d}"
    return None


def _tokenize(text: str) -> list[_Token]:
    tokens = []
    for m in _TOKEN_RE.finditer(text):
        kind = m.lastgroup
        if kind != "ws":
            tokens.append(_Token(kind, m.group(), m.start() + 1, m.end()))
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

    def parse(self) -> list[_Rule]:
        if not self.text.strip():
            raise HoursError(f"horaires vides : écrivez par exemple {_EXAMPLE}; Sa 09:00-12:00, ou retirez ce champ", 1)
        rules = []
        while True:
            if self.is_punct(";"):
                raise HoursError("« ; » en trop : aucune règle avant ce point-virgule, retirez-le", self.tok.col)
            rules.append(self.rule())
            if self.tok.kind == "eof":
                return rules
            if self.is_punct(";"):
                self.advance()
                if self.tok.kind == "eof":  # a trailing ";" is harmless
                    return rules
                continue
            raise self.after_rule_error(rules[-1])

    def rule(self) -> _Rule:
        start = self.tok
        days_text = ""
        if start.kind == "always":
            self.advance()
            days, spans = _ALL_DAYS, ((0, DAY_MINUTES),)
        elif start.kind == "time":
            days, spans = _ALL_DAYS, self.spans()
        elif start.kind == "word":
            days = self.days()
            days_text = self.source_since(start)
            tok = self.tok
            if tok.kind == "word" and tok.text in ("off", "closed"):
                self.advance()
                spans = ()
            elif tok.kind == "time":
                spans = self.spans()
            else:
                raise self.after_days_error(days_text)
        else:
            raise self.unexpected(start, "un jour (Mo Tu We Th Fr Sa Su), PH, une plage horaire comme 09:00-18:00, ou 24/7")
        return _Rule(days, spans, self.source_since(start), days_text, start.col)

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
                if nxt.kind == "always" or (nxt.kind == "word" and _is_dayish(nxt.text)):
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
        for (s1, e1, t1), (s2, e2, t2) in zip(by_start, by_start[1:]):
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
            fix = "pour toute la journée, écrivez 00:00-24:00" if start == 0 else "l'heure de fin doit être différente de l'heure de début"
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
            return HoursError(
                f"« : » en trop après les jours : écrivez par exemple {days_text} 09:00-18:00", tok.col
            )
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

    def after_rule_error(self, rule: _Rule) -> HoursError:
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
            return HoursError(
                "« , » ne sépare pas les règles : utilisez « ; », par exemple Su off; PH off", tok.col
            )
        if tok.kind == "time":
            return HoursError(
                f"« {tok.text} » inattendu après « {rule.text} » : pour une nouvelle règle, ajoutez « ; » avant",
                tok.col,
            )
        return self.unexpected(tok, "« ; » puis la règle suivante")


def _check_no_dead_rule(rules: list[_Rule]) -> None:
    """Reject a rule whose days are all redefined by later rules (linear in the number of days named)."""
    owner: list[int | None] = [None] * 8
    remaining = [len(rule.days) for rule in rules]
    for j, rule in enumerate(rules):
        for day in rule.days:
            i = owner[day]
            if i is not None and i != j:
                remaining[i] -= 1
                if remaining[i] == 0:
                    raise _dead_rule_error(rules[i], rule)
            owner[day] = j


def _dead_rule_error(dead: _Rule, winner: _Rule) -> HoursError:
    message = (
        f"la règle « {dead.text} » n'a aucun effet : la règle « {winner.text} », plus loin, "
        "redéfinit tous ses jours (la dernière règle l'emporte)"
    )
    if dead.spans and winner.spans:
        merged = sorted(dead.spans + winner.spans)
        if all(a[1] <= b[0] for a, b in zip(merged, merged[1:])):
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


def _runs(days) -> list[tuple[int, int]]:
    """Consecutive runs (first day, length) of weekdays, a run may wrap from Su to Mo; Monday-first order."""
    present = set(days)
    if len(present) == 7:
        return [(0, 7)]
    runs = []
    for day in sorted(present):
        if (day - 1) % 7 not in present:
            length = 1
            while (day + length) % 7 in present:
                length += 1
            runs.append((day, length))
    # a wrapping run (e.g. Sa-Mo) contains Monday: it comes first
    runs.sort(key=lambda run: run[0] - 7 if run[0] + run[1] > 7 else run[0])
    return runs


def _selector_osm(days) -> str:
    parts = []
    for first, length in _runs(days):
        last = (first + length - 1) % 7
        if length == 1:
            parts.append(DAY_CODES[first])
        elif length == 2:
            parts.append(f"{DAY_CODES[first]},{DAY_CODES[last]}")
        else:
            parts.append(f"{DAY_CODES[first]}-{DAY_CODES[last]}")
    return ",".join(parts)


def _selector_fr(days) -> str:
    runs = _runs(days)
    if runs == [(0, 7)]:
        return "tous les jours"
    parts = []
    for first, length in runs:
        if length >= 3:
            parts.append(f"du {_FR_DAYS[first]} au {_FR_DAYS[(first + length - 1) % 7]}")
        else:
            parts.extend(_FR_DAYS[(first + k) % 7] for k in range(length))
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " et " + parts[-1]


def _spans_fr(spans) -> str:
    if spans == ((0, DAY_MINUTES),):
        return "24 h/24"
    return ", ".join(f"{_fmt(s)} – {_fmt(e)}" for s, e in spans)


def _group_key(days) -> int:
    first, length = _runs(days)[0]
    return first - 7 if first + length > 7 else first


class OpeningHours:
    """Weekly opening hours after applying rule overrides; immutable."""

    __slots__ = ("_own", "_ph", "_explicit", "_weekly", "_by_day")

    def __init__(self, rules: list[_Rule]):
        own: list[tuple[tuple[int, int], ...] | None] = [None] * 8  # None = never named
        for rule in rules:
            for day in rule.days:
                own[day] = rule.spans
            if not rule.days_text:  # bare times / 24/7: holidays follow the usual hours again
                own[PH] = None
        self._own = tuple(tuple(own[d] or ()) for d in range(7))  # each day's spans, overnight end > 1440
        self._explicit = frozenset(d for d in range(7) if own[d] is not None)
        self._ph = own[PH]  # None: not said; (): PH off; spans: recorded, not evaluated
        pieces: list[list[tuple[int, int]]] = [[] for _ in range(7)]
        for day, spans in enumerate(self._own):
            for start, end in spans:
                pieces[day].append((start, min(end, DAY_MINUTES)))
                if end > DAY_MINUTES:
                    pieces[(day + 1) % 7].append((0, end - DAY_MINUTES))
        by_day = []
        for day_pieces in pieces:
            merged: list[list[int]] = []
            for start, end in sorted(day_pieces):
                if merged and start <= merged[-1][1]:
                    merged[-1][1] = max(merged[-1][1], end)
                else:
                    merged.append([start, end])
            by_day.append(tuple((s, e) for s, e in merged))
        self._by_day = tuple(by_day)
        self._weekly = [(day, s, e) for day, spans in enumerate(by_day) for s, e in spans]

    def weekly(self) -> list[tuple[int, int, int]]:
        """Open intervals (weekday 0=Monday, start minute, end minute ≤ 1440), overnight spans split at midnight."""
        return list(self._weekly)

    def is_open(self, dt: datetime) -> bool:
        """Whether open at this local wall-clock time (minute precision; public holidays are not known)."""
        minute = dt.hour * 60 + dt.minute
        return any(start <= minute < end for start, end in self._by_day[dt.weekday()])

    @property
    def public_holidays_closed(self) -> bool:
        return self._ph == ()

    def _groups(self) -> list[tuple[tuple[tuple[int, int], ...], list[int]]]:
        groups: dict[tuple[tuple[int, int], ...], list[int]] = {}
        for day, spans in enumerate(self._own):
            if spans:
                groups.setdefault(spans, []).append(day)
        return sorted(groups.items(), key=lambda item: _group_key(item[1]))

    def normalized(self) -> str:
        """Canonical text: open days grouped by identical hours, closed days left out (closed by default)."""
        if all(spans == ((0, DAY_MINUTES),) for spans in self._own):
            if self._ph is None or self._ph == ((0, DAY_MINUTES),):
                return "24/7"
            return f"24/7; PH {_spans_osm(self._ph) or 'off'}"
        parts = []
        ph_done = self._ph is None
        for spans, days in self._groups():
            selector = _selector_osm(days)
            if spans == self._ph:
                selector += ",PH"
                ph_done = True
            parts.append(f"{selector} {_spans_osm(spans)}")
        if not parts and self._explicit:
            parts.append(f"{_selector_osm(self._explicit)} off")
        if not ph_done:
            parts.append(f"PH {_spans_osm(self._ph) or 'off'}")
        return "; ".join(parts)

    def describe_fr(self) -> list[tuple[str, str]]:
        """French (days, hours) lines for a merchant page, e.g. ("du mardi au samedi", "09:30 – 19:00")."""
        groups = self._groups()
        lines = [(_selector_fr(days), _spans_fr(spans)) for spans, days in groups]
        closed = [day for day in range(7) if not self._own[day]]
        if lines and closed:
            lines.append((_selector_fr(closed), "fermé"))
        if self._ph is not None:
            lines.append(("jours fériés", _spans_fr(self._ph) if self._ph else "fermé"))
        return lines

    def schema_org(self) -> list[dict]:
        """schema.org OpeningHoursSpecification dicts; 24:00 is written 23:59, night spans close after midnight."""
        groups = sorted(self._groups(), key=lambda item: item[1][0])
        specs = []
        ph_placed = not self._ph
        for spans, days in groups:
            day_urls = [_SCHEMA_DAYS[d] for d in days]
            if spans == self._ph:
                day_urls.append(_SCHEMA_PH)
                ph_placed = True
            specs.extend(_schema_specs(day_urls, spans))
        if not ph_placed:
            specs.extend(_schema_specs([_SCHEMA_PH], self._ph))
        return specs

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, OpeningHours):
            return NotImplemented
        return (self._own, self._ph) == (other._own, other._ph)

    def __hash__(self) -> int:
        return hash((self._own, self._ph))

    def __repr__(self) -> str:
        return f"OpeningHours({self.normalized()!r})"


def _schema_specs(day_urls: list[str], spans) -> list[dict]:
    return [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": list(day_urls),
            "opens": _fmt(start),
            "closes": "23:59" if end == DAY_MINUTES else _fmt(end),
        }
        for start, end in spans
    ]


@lru_cache(maxsize=4096)
def _parse_cached(text: str) -> OpeningHours:
    rules = _Parser(text).parse()
    _check_no_dead_rule(rules)
    return OpeningHours(rules)


def parse(text: str) -> OpeningHours:
    """Parse an opening_hours string; raises HoursError (French message, 1-based column).

    Results are cached: many merchants share the same hours, and OpeningHours is immutable.
    """
    return _parse_cached(text)


def validate_hours(text: str) -> str:
    """Pydantic AfterValidator: the stripped text, or HoursError (a ValueError) ending with « (colonne N) »."""
    parse(text)
    return text.strip()
