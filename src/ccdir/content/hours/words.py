"""Day codes, the words people write instead of OSM syntax, and the French explanations of mistakes."""

from __future__ import annotations

import re
import unicodedata

DAY_CODES = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
PH = 7  # index of public holidays in per-day tables
DAY_MINUTES = 1440
DAY_INDEX = {code: i for i, code in enumerate(DAY_CODES)}
FR_DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")

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
    "[": "les numéros de semaine du mois",
    "|": "les règles de repli « || »",
    "/": "les intervalles « / »",
}

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
        word in DAY_INDEX
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
        return f"jour inconnu « {word} » : {_DAY_HINT} ; ici, écrivez « {DAY_CODES[i]} » ({FR_DAYS[i]})"
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
    if folded in ("sunrise", "sunset", "dawn", "dusk"):
        return f"« {word} » : lever/coucher du soleil non pris en charge : écrivez des heures, par exemple {_EXAMPLE}"
    if folded == "sh":
        return (
            f"« {word} » : vacances scolaires non prises en charge : écrivez les dates, "
            "par exemple Jul 04-Aug 31 Mo-Fr 10:00-18:00"
        )
    if folded == "easter":
        return f"« {word} » : la date de Pâques n'est pas prise en charge : écrivez la date, par exemple Apr 05 off"
    if folded in _UNSUPPORTED_WORDS:
        return (
            f"« {word} » : les mois, semaines, vacances scolaires et heures solaires d'OpenStreetMap "
            f"ne sont pas pris en charge ici ; indiquez seulement des jours et des heures, par exemple {_EXAMPLE}"
        )
    if folded == "open":
        return f"« {word} » se place seul (ouvert tout le temps) ou après des jours, par exemple Mo,We open"
    if folded == "unknown":
        return f"« {word} » se place après des jours ou des heures, par exemple Mo-Fr 09:00-18:00 unknown"
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
