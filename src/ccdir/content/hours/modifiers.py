"""What follows a rule's times: the state « unknown », a comment in double quotes, an open end « + ».

As opening_hours.js reads them: a comment without an explicit state (`open`, `off`, `closed`) makes the
rule's times « unknown » (`Mo-Fr 10:00-18:00 "sur rendez-vous"`: maybe open, call first), while
`Mo-Fr 10:00-18:00 open "sur rendez-vous"` stays open. An open end (`Fr 22:00+`, `10:00-12:00+`) is
« unknown » from that time until a guessed closing: 8 hours later from 22:00 on, 10 hours later from 17:00
on, else midnight. « Unknown » is neither open nor closed: « ouvert maintenant » does not list the shop.
"""

from __future__ import annotations

from ccdir.content.hours.words import DAY_MINUTES, HoursError

_STATES = ("open", "off", "closed")
_CLOSING = {'"': '"', "«": "»", "“": "”", "„": "“”"}  # French « … » and typographic quotes are comments too
_EXAMPLE = 'Mo-Fr 10:00-18:00 "sur rendez-vous"'


def open_end(minute: int) -> int:
    """The guessed closing of an open end starting at `minute` (opening_hours.js's guess)."""
    if minute >= 22 * 60:
        return minute + 8 * 60
    if minute >= 17 * 60:
        return minute + 10 * 60
    return DAY_MINUTES


def _state_follows(tok) -> bool:
    """Whether `tok` starts a modifier that can follow days alone (« Mo unknown », « Mo "fermé ?" »)."""
    return tok.kind == "comment" or (tok.kind == "word" and tok.text == "unknown")


def apply_modifier(p, rule):
    """The rule with what follows its times read from parser `p`: unknown spans, comment, full text."""
    offsets = tuple(getattr(p, "nth_offsets", ()))
    rule = rule._replace(maybe=tuple(p.maybe), nth_offsets=offsets if rule.nth and any(offsets) else ())
    previous = p.tokens[p.i - 1] if p.i else None
    explicit = previous is not None and previous.kind == "word" and previous.text in _STATES
    tok = p.tok
    if tok.kind == "word" and tok.text == "unknown":
        if explicit and previous is not None:
            raise HoursError(f"« unknown » après « {previous.text} » : gardez un seul des deux états", tok.col)
        p.advance()
        rule = rule._replace(maybe=rule.spans)
        explicit = True
        tok = p.tok
    if tok.kind == "comment":
        if len(tok.text) < 2 or tok.text[-1] not in _CLOSING[tok.text[0]]:
            raise HoursError(
                f"guillemet « {tok.text[0]} » non fermé : fermez le commentaire, par exemple {_EXAMPLE}", tok.col
            )
        comment = tok.text[1:-1].strip()
        if not comment:
            raise HoursError(
                f"commentaire vide : écrivez un texte entre les guillemets, par exemple {_EXAMPLE}", tok.col
            )
        p.advance()
        rule = rule._replace(comment=comment)
        if not explicit:
            rule = rule._replace(maybe=rule.spans)
    if rule.off:  # « 17:00+ off »: closed from 17:00 on, until the guessed end
        rule = rule._replace(maybe=())
    return rule._replace(text=p.text[rule.col - 1 : p.tokens[p.i - 1].end].strip())
