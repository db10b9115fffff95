"""Opening hours as evaluated: OSM rule semantics, French descriptions, normalised text, schema.org."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache

from ccdir.content.hours.dates import date_matches, dates_json, describe_dates, nth_matches
from ccdir.content.hours.holidays import day_kind, is_holiday
from ccdir.content.hours.modifiers import open_end
from ccdir.content.hours.syntax import parse_rules
from ccdir.content.hours.words import DAY_CODES, DAY_MINUTES, PH, _fmt, _spans_osm
from ccdir.content.hours.words import FR_DAYS as _FR_DAYS
from ccdir.content.hours.years import describe_years, years_match

_SCHEMA_DAYS = tuple(
    f"https://schema.org/{name}"
    for name in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
)
_SCHEMA_PH = "https://schema.org/PublicHolidays"


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
    """Opening hours as opening_hours.js evaluates them; immutable.

    Evaluation follows the reference library: rules are read in order; a rule with days that opens
    (not `off`) and matches the date wipes what earlier rules said about that date, including the night
    that an earlier rule carried past midnight (`Fr 22:00-04:00; Sa 21:00-04:00` is closed on Saturday
    at 01:00); a night span of a rule that matched the day before carries into the date unless a later
    rule wiped it; an `off` rule closes the whole date. A date that is a public holiday is matched by
    `PH` as well as by its weekday. So a day's hours depend on its weekday and on whether it and the
    day before are public holidays: four kinds of day (`holidays.day_kind`), 28 timelines.
    """

    __slots__ = ("_rules", "_own", "_ph", "_explicit", "_noted", "_timelines", "_holiday_dependent", "_dated")

    def __init__(self, rules):
        self._rules = tuple(rules)
        self._dated = any(rule.conditional for rule in rules)
        own: list[tuple[tuple[int, int], ...] | None] = [None] * 8  # None = never named
        noted = [False] * 8  # a day whose hours are « unknown » (comment, open end): not « fermé »
        for rule in rules:
            if rule.conditional or rule.fallback:
                continue
            for day in rule.days:
                if day == PH and not rule.days_text:
                    continue  # a bare rule that adds or cuts: holidays keep following their weekday
                known = _subtract(rule.spans, rule.maybe)  # unknown times are described apart (`_notes_fr`)
                if rule.off:
                    own[day] = _subtract(own[day] or (), rule.spans)
                elif rule.additional:
                    own[day] = _merge((own[day] or ()) + known)
                else:
                    own[day] = known
                    noted[day] = bool(rule.maybe)
            if not rule.days_text and not (rule.off or rule.additional):  # bare times / 24/7: holidays as usual
                own[PH] = None
        self._explicit = frozenset(d for d in range(7) if own[d] is not None)
        self._noted = frozenset(d for d in range(7) if noted[d])
        self._holiday_dependent = any(PH in rule.days and rule.days_text for rule in rules)
        self._timelines = tuple(
            tuple(_timeline(self._rules, (day, kind & 1, None), ((day - 1) % 7, kind & 2, None)) for day in range(7))
            for kind in range(4)
        )
        # What each day says, as written, a night cut at midnight when the next day's rule wipes it.
        self._own = tuple(self._effective(own[d] or (), [self._timelines[0][(d + 1) % 7]]) for d in range(7))
        self._ph = None if own[PH] is None else self._effective(own[PH], self._timelines[2])

    @staticmethod
    def _effective(spans, next_days):
        out = []
        for start, end in spans:
            if end > DAY_MINUTES and not all(_covers(t, end - DAY_MINUTES) for t in next_days):
                end = DAY_MINUTES
            out.append((start, end))
        return tuple(out)

    def weekly(self) -> list[tuple[int, int, int]]:
        """Open intervals on ordinary days (weekday 0=Monday, start minute, end minute ≤ 1440)."""
        return [(day, s, e) for day, spans in enumerate(self._timelines[0]) for s, e in spans]

    def timelines(self) -> tuple[tuple[tuple[tuple[int, int], ...], ...], ...]:
        """[kind][weekday] → open (start, end) minutes within the day; kinds as in `holidays.day_kind`."""
        return self._timelines

    @property
    def holiday_dependent(self) -> bool:
        """Whether public holidays change anything (a rule names PH)."""
        return self._holiday_dependent

    @property
    def date_dependent(self) -> bool:
        """Whether some rule applies on some dates only (months, weeks, n-th weekday of the month)."""
        return self._dated

    def day_spans(self, day: date) -> tuple[tuple[int, int], ...]:
        """Open (start, end) minutes on this date in France, public holidays included."""
        if not self._dated:
            return self._timelines[day_kind(day) if self._holiday_dependent else 0][day.weekday()]
        before = day - timedelta(days=1)
        return _timeline(
            self._rules, (day.weekday(), is_holiday(day), day), (before.weekday(), is_holiday(before), before)
        )

    def is_open(self, dt: datetime) -> bool:
        """Whether open at this local wall-clock time in France (minute precision, public holidays included)."""
        minute = dt.hour * 60 + dt.minute
        return any(start <= minute < end for start, end in self.day_spans(dt.date()))

    def state(self, dt: datetime) -> bool | None:
        """True open, False closed, None unknown (« unknown », a comment without `open`, an open end « + »)."""
        minute = dt.hour * 60 + dt.minute
        known, maybe = self._paint_day(dt.date())
        if any(start <= minute < end for start, end in known):
            return True
        return None if any(start <= minute < end for start, end in maybe) else False

    def _paint_day(self, day: date):
        before = day - timedelta(days=1)
        if not self._dated:
            kind = day_kind(day) if self._holiday_dependent else 0
            return _paint(self._rules, (day.weekday(), kind & 1, None), (before.weekday(), kind & 2, None))
        return _paint(
            self._rules, (day.weekday(), is_holiday(day), day), (before.weekday(), is_holiday(before), before)
        )

    def rules_json(self) -> list:
        """The rules for the browser's evaluator (search/hours.js): [[days mask, reset, dates, nth, spans, off]…].

        days mask: bit n = weekday n (0 = Monday), bit 7 = PH, -1 = every day; reset: 1 when the rule wipes
        earlier rules on the dates it matches; dates: `dates.dates_json`; nth: [[weekday, rank…]…];
        spans: [start, end, …] in minutes, an end past 1440 runs into the next day, [] = closed all day;
        off: 1 when the spans are closed times (« 12:00-14:00 off »); maybe: those of the spans whose state is
        unknown (« unknown », a comment, an open end « + »): neither open nor closed, they cut open spans; years:
        [[first, last or 0 (no end), step]…], the rule applies in these years only; fallback: 1 after « || »
        (applies only where the rules before leave the shop closed, neither open nor unknown); nth offsets:
        [days…] after each nth entry (« Sa[-1] +3 days »), [] when none.
        """
        out = []
        for rule in self._rules:
            mask = -1 if not rule.days_text else sum(1 << d for d in rule.days)
            out.append(
                [
                    mask,
                    1 if _resets(rule) else 0,
                    dates_json(rule.dates),
                    [[day, *sorted(ranks)] for day, ranks in rule.nth],
                    [m for span in rule.spans for m in span],
                    1 if rule.off else 0,
                    [m for span in rule.maybe for m in span],
                    [list(y) for y in rule.years],
                    1 if rule.fallback else 0,
                    list(rule.nth_offsets),
                ]
            )
        return out

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
        """Canonical text: open days grouped by identical hours, closed days left out (closed by default).

        When regrouping would change the answers (rare: nights past midnight whose order matters), the
        rules are kept as written, spaced canonically.
        """
        if not self._dated and not self._annotated():
            text = self._regrouped()
            if OpeningHours(parse_rules(text)) == self:
                return text
        return "".join(
            (" || " if rule.fallback else ", " if rule.additional else "; ") + rule.text for rule in self._rules
        )[2:]

    def _regrouped(self) -> str:
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
        closed = [day for day in range(7) if not self._own[day] and day not in self._noted]
        if lines and closed:
            lines.append((_selector_fr(closed), "fermé"))
        if self._ph is not None:
            lines.append(("jours fériés", _spans_fr(self._ph) if self._ph else "fermé"))
        for rule in self._rules:
            if rule.conditional:
                lines.append((_conditional_fr(rule), _spans_fr(rule.spans) if rule.spans else "fermé"))
            elif rule.maybe or rule.comment:
                lines.append(_note_fr(rule))
        return lines

    def schema_org(self) -> list[dict]:
        """schema.org OpeningHoursSpecification dicts; 24:00 is written 23:59, night spans close after midnight.

        None for hours that depend on the date (months, weeks): the weekly part alone would mislead.
        """
        if self._dated:
            return []
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
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def _annotated(self) -> bool:
        """Some rule has a comment, « unknown » times or is a fallback: regrouping would lose it."""
        return any(r.maybe or r.comment or r.fallback for r in self._rules)

    def _key(self):
        if self._annotated():
            return self._timelines, tuple(r.text for r in self._rules)
        if not self._dated:
            return self._timelines
        return self._timelines, tuple(
            (r.days, r.spans, bool(r.days_text), r.dates, r.nth, r.years, r.maybe) for r in self._rules
        )

    def __repr__(self) -> str:
        return f"OpeningHours({self.normalized()!r})"


def _note_fr(rule) -> tuple[str, str]:
    """A rule with a comment or « unknown » times: ("du lundi au vendredi", "09:00 – 18:00 : sur rendez-vous")."""
    days = rule.days - {PH}
    selector = "sinon" if rule.fallback else _selector_fr(days) if rule.days_text and days else "tous les jours"
    if PH in rule.days and rule.days_text:
        selector = f"{selector}, jours fériés" if days else "jours fériés"
    parts = []  # the known times are on the weekly lines already
    for start, end in rule.maybe:
        if (start, end) == (0, DAY_MINUTES):
            parts.append("horaires à confirmer")
        elif "+" in rule.text and end == open_end(start):
            parts.append(f"à partir de {_fmt(start)}, fermeture non fixée")
        else:
            parts.append(f"{_fmt(start)} – {_fmt(end)} à confirmer")
    text = ", ".join(parts)
    if rule.comment:
        text = f"{text} : {rule.comment}" if text else rule.comment
    return selector, text


def _conditional_fr(rule) -> str:
    """« de juillet à août, du lundi au samedi », « 1er samedi du mois »."""
    parts = [describe_years(rule.years)] if rule.years else []
    if rule.dates:
        parts.append(describe_dates(rule.dates))
    days = rule.days - {PH}
    if rule.days_text and days:
        parts.append(_selector_fr(days))
    for (day, ranks), offset in zip(rule.nth, rule.nth_offsets or (0,) * len(rule.nth), strict=True):
        order = " et ".join(
            "dernier" if r == -1 else f"{-r}e avant-dernier" if r < 0 else "1er" if r == 1 else f"{r}e"
            for r in sorted(ranks, key=lambda r: (r < 0, abs(r)))
        )
        shift = (
            ""
            if not offset
            else f"{abs(offset)} jour{'s' if abs(offset) > 1 else ''} {'après' if offset > 0 else 'avant'} le "
        )
        parts.append(f"{shift}{order} {_FR_DAYS[day]} du mois")
    if PH in rule.days:
        parts.append("jours fériés")
    return ", ".join(parts)


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


def _matches(rule, ctx) -> bool:
    weekday, holiday, day = ctx
    if rule.dates and not (day and date_matches(rule.dates, day)):
        return False
    if rule.years and not (day and years_match(rule.years, day.year)):
        return False
    if not rule.days_text or weekday in rule.days or (holiday and PH in rule.days):
        return True
    if not day:
        return False
    offsets = rule.nth_offsets or (0,) * len(rule.nth)
    for (w, ranks), offset in zip(rule.nth, offsets, strict=True):
        shifted = day - timedelta(days=offset)  # « Sa[-1] +3 days »: 3 days after the last Saturday
        if shifted.weekday() == w and nth_matches(ranks, shifted):
            return True
    return False


def _resets(rule) -> bool:
    return bool(rule.spans) and not (rule.off or rule.additional) and bool(rule.days_text or rule.dates or rule.years)


def _timeline(rules, today, yesterday) -> tuple[tuple[int, int], ...]:
    """Open spans of a day (`_paint`)."""
    return _paint(rules, today, yesterday)[0]


@lru_cache(maxsize=65536)
def _paint(rules, today, yesterday) -> tuple[tuple[tuple[int, int], ...], tuple[tuple[int, int], ...]]:
    """(open spans, unknown spans) of a day, by opening_hours.js's rule semantics (see OpeningHours).

    `today`, `yesterday`: (weekday, is a public holiday, date or None when no rule depends on the date).
    A later span wins over an earlier one of the other state where they overlap.
    """
    active: tuple[tuple[int, int], ...] = ()
    maybe: tuple[tuple[int, int], ...] = ()
    for rule in rules:
        for ctx, shift in ((today, 0), (yesterday, DAY_MINUTES)):
            if not _matches(rule, ctx):
                continue
            part = _clip(rule.spans, shift)
            if rule.fallback:  # only where the rules before leave the shop closed
                if rule.off or not rule.spans:
                    continue
                part = _subtract(part, active + maybe)
                unknown = _subtract(_clip(rule.maybe, shift), active + maybe)
                active, maybe = _merge(active + _subtract(part, unknown)), _merge(maybe + unknown)
                continue
            if not shift and not rule.spans:
                active = maybe = ()  # off: closed all day, later rules may open again
            elif rule.off:
                active, maybe = _subtract(active, part), _subtract(maybe, part)
            else:
                if not shift and _resets(rule):
                    active = maybe = ()
                unknown = _clip(rule.maybe, shift)
                known = _subtract(part, unknown)
                active = _merge(_subtract(active, unknown) + known)
                maybe = _merge(_subtract(maybe, known) + unknown)
    return active, maybe


def _clip(spans, shift: int) -> tuple[tuple[int, int], ...]:
    """The part of `spans` (minutes from the rule's day) that falls within the day starting at `shift`."""
    out = []
    for s, e in spans:
        s, e = max(s - shift, 0), min(e - shift, DAY_MINUTES)
        if s < e:
            out.append((s, e))
    return tuple(out)


def _merge(spans) -> tuple[tuple[int, int], ...]:
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple((s, e) for s, e in merged)


def _subtract(spans, cuts) -> tuple[tuple[int, int], ...]:
    out = list(spans)
    for cut_start, cut_end in cuts:
        out = [piece for s, e in out for piece in ((s, min(e, cut_start)), (max(s, cut_end), e)) if piece[0] < piece[1]]
    return _merge(out)


def _covers(spans, end: int) -> bool:
    return any(s == 0 and e >= end for s, e in spans)
