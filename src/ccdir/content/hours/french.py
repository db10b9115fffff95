"""Opening hours as French merchants write them → OSM syntax.

« du lundi au vendredi 8h30-12h et 14h-18h30 » → `Mo-Fr 08:30-12:00,14:00-18:30`. Understood: day names
and abbreviations (« lun », « mar. »), OSM day codes (Mo, Tu…), ranges (« du lundi au vendredi »,
« lundi-vendredi », « lun à ven »), lists (« lundi, mercredi et vendredi »), « tous les jours », « 7j/7 »,
« en semaine », « le week-end », « jours fériés », exclusions (« sauf le lundi », « sauf jours fériés »),
closed days (« fermé le lundi », « lundi : fermé »), times (« 9h », « 9h30 », « 9 h 30 », « 09:30 », « 9.30 »,
a bare hour inside a range « 9-12h », « midi », « minuit »), ranges of times (« de 9h à 12h », « 9h-12h »,
« 8h30/12h ») joined by « et », « , » or « / », « 24h/24 », and a lunch closure (« fermé le midi » = 12h-14h,
« fermé de 12h30 à 14h »). Anything else is refused with a French message and the column of the word.

The result always goes through the OSM parser and comes back in its canonical form, so what is stored
is exactly what the rest of the site understands.
"""

from __future__ import annotations

import re

from ccdir.content.hours.french_dates import period, starts_period
from ccdir.content.hours.french_osm import Clause as _Clause
from ccdir.content.hours.french_osm import to_osm as _to_osm
from ccdir.content.hours.french_words import (
    _AND,
    _CLOSED,
    _DAYS,
    _EXCEPT,
    _FILLERS,
    _OSM_CODES,
    _PH,
    _RANGE,
    _Tok,
    _tokenize,
    looks_french,
)
from ccdir.content.hours.syntax import parse_rules
from ccdir.content.hours.week import OpeningHours
from ccdir.content.hours.words import DAY_MINUTES, HoursError

__all__ = ["from_french", "looks_french"]


def from_french(text: str) -> str:
    """The OSM value for French hours; raises HoursError (French message, column in `text`)."""
    parser = _French(text)
    clauses, ph_off, lunch = parser.parse()
    osm = _to_osm(clauses, ph_off, lunch)
    try:
        return OpeningHours(parse_rules(osm)).normalized()
    except HoursError as exc:
        raise HoursError(f"horaires compris comme « {osm} », mais {exc.message}", 1) from None


class _French:
    def __init__(self, text: str):
        self.text = text
        self.toks = _tokenize(text)
        self.i = 0

    @property
    def tok(self) -> _Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    @property
    def cur(self) -> _Tok:
        """The current token where the caller has checked that there is one."""
        tok = self.tok
        assert tok is not None
        return tok

    def at(self, kind: str, words=None) -> bool:
        tok = self.tok
        return tok is not None and tok.kind == kind and (words is None or tok.text in words)

    def word_at(self, offset: int = 0) -> str:
        j = self.i + offset
        return self.toks[j].text if j < len(self.toks) and self.toks[j].kind == "word" else ""

    def skip_fillers(self) -> None:
        while True:
            if self.at("word", _FILLERS):
                self.i += 1
            elif self.at("word", ("matin", "soir", "matins", "soirs")) and self._time_follows(1):
                self.i += 1  # « samedi matin 8h-12h »: the hours say it
            elif self.at("word", ("apres",)) and self.word_at(2) == "midi" and self._time_follows(3):
                self.i += 3  # après-midi
            elif self.at("word", ("nonstop", "continu", "continue")):
                self.i += 1  # « non-stop », « en continu », « journée continue »: the hours say it
            elif self.at("word", ("non",)) and self.word_at(2 if self._dash_at(1) else 1) == "stop":
                self.i += 3 if self._dash_at(1) else 2
            elif self.at("word", ("sans",)) and self.word_at(1) in ("rendez", "rdv"):
                self.i += 2  # « sans rendez-vous »: walk in, nothing to say in the hours
                if self._dash_at(0) and self.word_at(1) == "vous":
                    self.i += 2
            elif (self.at("word", ("sans",)) and self.word_at(1) == "interruption") or (
                self.at("word", ("journee",)) and self.word_at(1) in ("continue", "continu")
            ):
                self.i += 2
            else:
                return

    def _dash_at(self, offset: int) -> bool:
        j = self.i + offset
        return j < len(self.toks) and self.toks[j].kind == "dash"

    def _time_follows(self, offset: int) -> bool:
        save = self.i
        self.i += offset
        while self.at("word", _FILLERS):
            self.i += 1
        found = self.starts_time()
        self.i = save
        return found

    def error(self, message: str) -> HoursError:
        tok = self.tok
        return HoursError(message, tok.col if tok else len(self.text.rstrip()) + 1)

    # -- clauses ---------------------------------------------------------------------------------

    def parse(self):
        clauses: list[_Clause] = []
        ph_off = False
        lunch: list[tuple[int, int]] = []
        while self.tok is not None:
            save = self.i
            self.skip_fillers()
            if self.tok is None:
                break
            if self.i != save or self.at("sep") or self.at("dash") or self.at("word", _AND):
                self.i += 0 if self.i != save else 1
                continue
            if self.at("word", _CLOSED):
                closed_tok = self.tok
                self.i += 1
                self.skip_fillers()
                if starts_period(self):
                    clauses.append(_Clause(None, off=True, dates=period(self)))
                elif self.at("word", ("midi",)) or self.at("word", ("entre",)) or self.starts_time():
                    lunch.extend(self.lunch())
                elif self.starts_days():
                    days = self.days()
                    if _PH in days:
                        ph_off = True
                    if days - {_PH}:
                        clauses.append(_Clause(days - {_PH}, off=True))
                else:
                    raise HoursError(
                        f"« {closed_tok.raw} » : dites quels jours ou quelle période, par exemple « fermé le "
                        "lundi » ou « fermé du 1er au 15 août »",
                        closed_tok.col,
                    )
                continue
            if self.at("word", _EXCEPT):
                self.i += 1
                self.skip_fillers()
                if not clauses or not self.starts_days():
                    raise self.error("« sauf » : dites quels jours, par exemple « tous les jours sauf le lundi »")
                days = self.days()
                if _PH in days:
                    ph_off = True
                for clause in clauses:
                    if clause.days is None:
                        clause.days = set(range(7))
                    clause.days -= days - {_PH}
                continue
            if self.at("word", ("conges", "vacances")) and self._period_follows():
                self.i += 1
                self.skip_fillers()
                clauses.append(_Clause(None, off=True, dates=period(self)))
                continue
            if starts_period(self):
                dates = period(self)
                self.skip_fillers()
                if self.at("sep", (":",)):
                    self.i += 1
                    self.skip_fillers()
                if self.at("word", _CLOSED):
                    self.i += 1
                    clauses.append(_Clause(None, off=True, dates=dates))
                    continue
                period_days: set[int] | None = self.days() if self.starts_days() else None
                self.skip_fillers()
                if self.at("sep", (":",)):
                    self.i += 1
                    self.skip_fillers()
                if not self.starts_time():
                    raise self.unknown("des heures pour cette période, par exemple « en août 9h-12h »")
                clauses.append(_Clause(period_days, self.spans(), dates=dates))
                continue
            if self.starts_days():
                days = self.days()
                self.skip_fillers()
                if self.at("sep", (":",)):
                    self.i += 1
                if self.at("word", _CLOSED):
                    self.i += 1
                    if days - {_PH}:
                        clauses.append(_Clause(days - {_PH}, off=True))
                    ph_off = ph_off or _PH in days
                    continue
                self.skip_fillers()
                if self.at("sep", (",",)) and self._time_follows(1):
                    self.i += 1  # « du lundi au samedi, de 9h à 19h »
                    self.skip_fillers()
                if not self.starts_time():
                    raise HoursError(
                        "jours sans horaires : ajoutez les heures, par exemple « du lundi au vendredi 9h-18h », "
                        "ou « fermé » si ces jours sont fermés",
                        self.toks[self.i - 1].col,
                    )
                clauses.append(_Clause(days, self.spans()))
                continue
            if self.starts_time():
                spans = self.spans()
                self.skip_fillers()
                time_days: set[int] | None = self.days() if self.starts_days() else None
                clauses.append(_Clause(time_days, spans))
                continue
            raise self.unknown("un jour (lundi, mardi…) ou des heures (9h-12h)")
        if not clauses and not ph_off:
            raise HoursError(
                "aucun horaire compris : écrivez par exemple « du lundi au vendredi 9h-12h et 14h-18h »", 1
            )
        return clauses, ph_off, lunch

    def _period_follows(self) -> bool:
        save = self.i
        self.i += 1
        found = starts_period(self)
        self.i = save
        return found

    def unknown(self, expected: str) -> HoursError:
        tok = self.tok
        if tok is None:
            return self.error(f"le texte s'arrête trop tôt : attendu {expected}")
        if tok.kind == "word" and tok.text in ("matin", "soir", "apres", "midi", "nuit"):
            return self.error(f"« {tok.raw} » : précisez les heures, par exemple 9h-12h (matin) ou 19h-22h (soir)")
        if tok.kind == "word" and (
            tok.text in ("rendez", "rdv", "appel", "demande")
            or tok.text == "sur"
            and self.word_at(1) in ("rendez", "rdv", "demande", "appel")
        ):
            return self.error(
                f"« {tok.raw} » : les rendez-vous ne s'indiquent pas dans les horaires ; "
                "écrivez les heures d'ouverture, et « sur rendez-vous » dans la description"
            )
        return self.error(f"« {tok.raw} » non compris : attendu {expected}")

    # -- days ------------------------------------------------------------------------------------

    def starts_days(self) -> bool:
        tok = self.tok
        if tok is None:
            return False
        if tok.kind == "alldays":
            return True
        if tok.kind != "word":
            return False
        word = tok.text
        return (
            word in _DAYS
            or tok.raw in _OSM_CODES
            or tok.raw == "PH"
            or word in ("jf", "feries", "ferie", "semaine")
            or (word in ("tous", "toute") and self.word_at(1) in ("les", "la"))
            or (word == "jours" and self.word_at(1) in ("feries", "ferie"))
            or word == "weekend"
            or (word == "we" and tok.raw != "We")
            or (word == "week" and self.i + 2 < len(self.toks) and self.toks[self.i + 2].text == "end")
        )

    def one_day(self) -> set[int]:
        tok = self.cur
        self.i += 1
        if tok.kind == "alldays":
            return set(range(7))
        word = tok.text
        if tok.raw in _OSM_CODES:
            return {_OSM_CODES[tok.raw]}
        if tok.raw == "PH" or word in ("jf", "feries", "ferie"):
            return {_PH}
        if word in _DAYS:
            return {_DAYS[word]}
        if word in ("tous", "toute"):
            self.i += 1  # les / la
            if self.word_at() in ("jours", "semaine"):
                self.i += 1
            return set(range(7))
        if word == "jours":
            self.i += 1
            return {_PH}
        if word == "semaine":
            return set(range(5))
        if word == "week":  # week-end
            if self.at("dash"):
                self.i += 1
            if self.at("word", ("end", "ends")):
                self.i += 1
            return {5, 6}
        return {5, 6}  # weekend, we

    def days(self) -> set[int]:
        days: set[int] = set()
        while True:
            self.skip_fillers()
            first_tok = self.cur
            first = self.one_day()
            if (self.at("word", _RANGE) or self.at("dash")) and len(first) == 1 and _PH not in first:
                save = self.i
                self.i += 1
                self.skip_fillers()
                if (
                    self.tok is not None
                    and self.tok.kind == "word"
                    and (self.tok.text in _DAYS or self.tok.raw in _OSM_CODES)
                ):
                    last = self.one_day()
                    (a,), (b,) = first, last
                    first = {(a + k) % 7 for k in range((b - a) % 7 + 1)}
                else:
                    self.i = save
                    if self.at("word", _RANGE):
                        raise HoursError(
                            f"« {first_tok.raw} {self.cur.raw} » : dites jusqu'à quel jour, "
                            "par exemple « du lundi au vendredi »",
                            self.cur.col,
                        )
            days |= first
            save = self.i
            if (
                self.tok is not None
                and self.tok.kind == "word"
                and (self.tok.text in _DAYS or self.tok.raw in _OSM_CODES)
            ):
                continue  # « lundi mercredi vendredi »
            if self.at("sep", (",", "&")) or self.at("word", _AND):
                self.i += 1
                self.skip_fillers()
                if self.starts_days():
                    continue
                self.i = save
            if self.at("word", _EXCEPT):
                self.i += 1
                self.skip_fillers()
                if self.starts_days():
                    return days - self.days()
                self.i = save
            return days

    # -- times -----------------------------------------------------------------------------------

    def starts_time(self) -> bool:
        return (
            self.at("time")
            or self.at("allday")
            or self.at("word", ("midi", "minuit"))
            or (
                self.at("num")
                and self.i + 1 < len(self.toks)
                and (self.toks[self.i + 1].kind in ("dash", "time") or self.toks[self.i + 1].text in _RANGE)
            )
        )

    def time(self, is_end: bool) -> int:
        tok = self.tok
        if tok is None:
            raise self.error("le texte s'arrête trop tôt : attendu une heure, par exemple 18h")
        if tok.kind == "word" and tok.text in ("midi", "minuit"):
            self.i += 1
            return 12 * 60 if tok.text == "midi" else (DAY_MINUTES if is_end else 0)
        if tok.kind not in ("time", "num"):
            raise self.unknown("une heure, par exemple 18h")
        digits = re.findall(r"\d+", tok.text)
        hours, minutes = int(digits[0]), int(digits[1]) if len(digits) > 1 else 0
        if hours > 24 or minutes > 59 or (hours == 24 and minutes):
            raise self.error(f"heure « {tok.raw} » impossible : les heures vont de 0h à 24h, les minutes de 00 à 59")
        self.i += 1
        return hours * 60 + minutes

    def span(self) -> tuple[int, int]:
        self.skip_fillers()
        if self.at("allday"):
            self.i += 1
            return 0, DAY_MINUTES
        start_tok = self.cur
        start = self.time(is_end=False)
        if self.at("dash") or self.at("sep", ("/",)) or self.at("word", _RANGE):
            self.i += 1
            if self.at("word", ("a", "au")):
                self.i += 1
            end = self.time(is_end=True)
        elif start_tok.text == "midi":
            raise HoursError("« midi » : précisez les heures, par exemple 12h-14h", start_tok.col)
        else:
            raise self.error(
                f"« {start_tok.raw} » : donnez l'heure de début et de fin, par exemple {start_tok.raw}-18h"
            )
        if end == 0 and start:
            end = DAY_MINUTES
        if end == start:
            raise HoursError(f"plage « {start_tok.raw} » vide : l'heure de fin doit être différente", start_tok.col)
        if end < start:
            if end > 2 * 60 and not (start >= 12 * 60 and end <= 6 * 60):
                raise HoursError(
                    f"la plage qui commence à « {start_tok.raw} » finit avant de commencer : vérifiez "
                    "les heures (une nuit finit à 2h au plus tard, ou commence à midi ou plus tard et "
                    "finit à 6h au plus tard)",
                    start_tok.col,
                )
            end += DAY_MINUTES
        return start, end

    def spans(self) -> list[tuple[int, int]]:
        found = [self.span()]
        while True:
            save = self.i
            if self.at("sep", (",", "/", "&")) or self.at("word", _AND) or self.at("dash"):
                self.i += 1
                self.skip_fillers()
                if self.starts_time():
                    col = self.cur.col
                    span = self.span()
                    if any(s < span[1] and span[0] < e for s, e in found):
                        raise HoursError(
                            f"les plages horaires se chevauchent : « {self.text[col - 1 : self.toks[self.i - 1].col - 1 + len(self.toks[self.i - 1].raw)]} » "
                            "recouvre une plage déjà écrite ; corrigez les heures",
                            col,
                        )
                    found.append(span)
                    continue
            self.i = save
            return found

    def lunch(self) -> list[tuple[int, int]]:
        """« fermé le midi » (12h-14h), « fermé entre midi et deux », « fermé de 12h30 à 14h »."""
        if self.at("word", ("entre",)):
            self.i += 1
            start = self.time(is_end=False)
            if not self.at("word", ("et",)):
                raise self.unknown("« et », par exemple « fermé entre 12h et 14h »")
            self.i += 1
            if self.at("word", ("deux",)):
                self.i += 1
                return [(start, 14 * 60)]
            return [(start, self.time(is_end=True))]
        if self.at("word", ("midi",)) and not (
            self.i + 1 < len(self.toks)
            and (self.toks[self.i + 1].kind == "dash" or self.toks[self.i + 1].text in _RANGE)
        ):
            self.i += 1
            return [(12 * 60, 14 * 60)]
        return [self.span()]
