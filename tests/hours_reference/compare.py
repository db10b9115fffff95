"""Hold an opening-hours engine against opening_hours.js's answers (reference.json, made by generate.mjs).

An engine is a function `accept(value)` returning None when it refuses the value, else `is_open(datetime)`
(naive local wall-clock time in France) answering True, False, or None for « unknown ». Instants checked: every 30 minutes of each window, plus every
boundary of the reference's intervals and the minute before it. Left out: the hour that a DST change
skips or repeats (its wall-clock times do not exist or are ambiguous), and the first hour of the day after
summer time starts, where opening_hours.js carries Saturday's night into Monday (it shifts a night by 24
hours of elapsed time, and that Sunday has 23: `Sa 08:00-02:00` reads as open on Monday at 00:30).
"""

from __future__ import annotations

import json
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

REFERENCE = Path(__file__).with_name("reference.json")
DST_DAYS = (date(2026, 3, 29), date(2026, 10, 25))
AFTER_SPRING_DST = date(2026, 3, 30)


def load() -> dict:
    return json.loads(REFERENCE.read_text(encoding="utf-8"))


@dataclass
class Result:
    total: int = 0
    reference_accepted: int = 0
    accepted: int = 0
    accepted_by_source: dict = field(default_factory=dict)
    total_by_source: dict = field(default_factory=dict)
    refused_by_reference_but_accepted: list = field(default_factory=list)
    wrong: list = field(default_factory=list)  # (value, instant, ours, reference)
    checked_instants: int = 0


def _state(intervals, minute):
    starts = [iv[0] for iv in intervals]
    i = bisect_right(starts, minute) - 1
    if i >= 0 and minute < intervals[i][1]:
        return "unknown" if len(intervals[i]) > 2 else "open"
    return "closed"


def _instants(windows, answer):
    for (first, last), intervals in zip(windows, answer, strict=True):
        start = datetime.fromisoformat(first)
        length = (date.fromisoformat(last) - start.date()).days * 1440
        minutes = set(range(0, length, 30))
        for iv in intervals:
            minutes.update(m for m in (iv[0], iv[0] - 1, iv[1], iv[1] - 1) if 0 <= m < length)
        for minute in sorted(minutes):
            instant = start + timedelta(minutes=minute)
            if (instant.date() in DST_DAYS and instant.hour == 2) or (
                instant.date() == AFTER_SPRING_DST and instant.hour == 0
            ):
                continue
            yield instant, _state(intervals, minute)


def compare(accept, reference: dict | None = None) -> Result:
    reference = reference or load()
    result = Result()
    for row in reference["values"]:
        source = row["source"]
        result.total += 1
        result.total_by_source[source] = result.total_by_source.get(source, 0) + 1
        is_open = accept(row["value"])
        if row["accepted"]:
            result.reference_accepted += 1
        if is_open is None:
            continue
        result.accepted += 1
        result.accepted_by_source[source] = result.accepted_by_source.get(source, 0) + 1
        if not row["accepted"]:
            result.refused_by_reference_but_accepted.append(row["value"])
            continue
        for instant, expected in _instants(reference["windows"], reference["answers"][row["answer"]]):
            result.checked_instants += 1
            answer = is_open(instant)
            ours = "unknown" if answer is None else "open" if answer else "closed"
            if ours != expected:
                result.wrong.append((row["value"], instant.isoformat(timespec="minutes"), ours, expected))
    return result


def summary(result: Result) -> str:
    wrong_values = sorted({w[0] for w in result.wrong})
    by_source = ", ".join(
        f"{s}: {result.accepted_by_source.get(s, 0)}/{n}" for s, n in sorted(result.total_by_source.items())
    )
    return (
        f"accepted {result.accepted}/{result.total} ({100 * result.accepted / result.total:.1f} %; {by_source}); "
        f"{len(result.refused_by_reference_but_accepted)} accepted that opening_hours.js refuses; "
        f"{len(result.wrong)} wrong answers on {len(wrong_values)} values ({result.checked_instants} instants checked)"
    )
