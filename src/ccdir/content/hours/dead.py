"""Rules that later rules entirely replace: refused, as they are in practice always a mistake.

`Mo 08:00-12:00; Mo 14:00-18:00` loses the morning (the last rule wins); a period written before the weekly
hours it changes has no effect. Takes `syntax.Rule`s (duck-typed: this module sits below the parser).
"""

from __future__ import annotations

from ccdir.content.hours.words import HoursError, _spans_osm


def check_no_dead_rule(rules: list) -> None:
    """Reject a rule whose days are all redefined by later rules (linear in the number of days named)."""
    owner: list[int | None] = [None] * 8
    remaining = [len(rule.days) + len(rule.nth) for rule in rules]
    conditional: list = []
    for j, rule in enumerate(rules):
        if rule.off or rule.additional or rule.fallback:  # adds or cuts hours: replaces nothing
            continue
        if rule.conditional:  # applies on some dates only: replaces nothing entirely
            conditional.append(rule)
            continue
        for earlier in conditional:
            if rule.spans and (
                rule.days
                & (
                    earlier.days
                    | {
                        (d + off) % 7
                        for (d, _), off in zip(earlier.nth, earlier.nth_offsets or (0,) * len(earlier.nth), strict=True)
                    }
                )
            ):
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


def _dead_rule_error(dead, winner) -> HoursError:
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
