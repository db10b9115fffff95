"""Markets as places: the reviewable list `content/markets/*.yaml` that producers refer to.

Each file is a YAML list of markets (`id`, `name`, `postcode`, `city`, `place`, `hours`, optional
`lat`/`lon` and `notes`). A merchant's point of sale says « market: vierzon-samedi » instead of
retyping the place and the days; `check_references` reports every id that the list does not have,
at the line of the merchant file that uses it. Problems are French, `file:line:col`, like merchants'.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, ValidationError, model_validator

from ccdir.content import reader
from ccdir.content.fieldtypes import Hours, Line, Name, Paragraph, Postcode, number
from ccdir.content.hours import parse
from ccdir.content.messages import french_message
from ccdir.content.model import Address, MarketId, Strict
from ccdir.content.textcheck import ccdir_error
from ccdir.core.problems import Problem, Severity
from ccdir.geo.gazetteer import check_address

FOLDER = "markets"
MARKET_ANCHOR = "market "  # Entry.anchors key prefix: « market vierzon-samedi » → where the file names it
POINT_ANCHOR = "point "  # Entry.anchors key of point n (1-based): « point 2 » → its address or market


_TIME = re.compile(r"(\d\d):(\d\d)")


def _spoken(match: re.Match[str]) -> str:
    hour, minute = int(match.group(1)), match.group(2)
    return f"{hour} h" + ("" if minute == "00" else f" {minute}")


def hours_phrase(text: str | None) -> str:
    """French summary of weekly hours with spoken times: « mercredi 8 h – 12 h 30 » (closed days left out)."""
    if not text:
        return ""
    return " ; ".join(
        f"{days} {_TIME.sub(_spoken, spans)}" for days, spans in parse(text).describe_fr() if spans != "fermé"
    )


class Market(Strict):
    """One market: a place in a commune, on given days (« Sa 08:00-12:30 »)."""

    id: MarketId
    name: Name
    postcode: Postcode
    city: Annotated[Line, Field(min_length=1, max_length=100)]
    place: Annotated[Line, Field(min_length=1, max_length=200)]
    hours: Hours
    lat: number(ge=-90, le=90) | None = None  # type: ignore[valid-type]
    lon: number(ge=-180, le=180) | None = None  # type: ignore[valid-type]
    notes: Annotated[Paragraph, Field(min_length=1, max_length=300)] | None = None

    @model_validator(mode="after")
    def _pair(self) -> Market:
        if (self.lat is None) != (self.lon is None):
            missing, present = ("lon", "lat") if self.lon is None else ("lat", "lon")
            raise ccdir_error(
                f"« lat » et « lon » vont ensemble : ajoutez « {missing} » ou retirez « {present} »", (present,)
            )
        return self

    @property
    def address(self) -> Address:
        """The market's place as an address (what the geocoder and the address checks take)."""
        return Address(street=self.place, postcode=self.postcode, city=self.city, lat=self.lat, lon=self.lon)

    @property
    def when(self) -> str:
        return hours_phrase(self.hours)


_INDEX = re.compile(r"« \[(\d+)\] »")  # how messages name a market of the list: « [0] »


@dataclass
class Markets:
    """Every valid market by id, where each is written, and the problems of the files."""

    by_id: dict[str, Market] = field(default_factory=dict)
    where: dict[str, tuple[str, int, int]] = field(default_factory=dict)  # id → (file, line, col)
    problems: list[Problem] = field(default_factory=list)
    broken: dict[str, str] = field(default_factory=dict)  # id → file, for the markets written with errors

    def __iter__(self):
        return iter(sorted(self.by_id.values(), key=lambda m: m.id))

    def __len__(self) -> int:
        return len(self.by_id)

    def get(self, market_id: str) -> Market | None:
        return self.by_id.get(market_id)

    def unknown_message(self, market_id: str) -> str:
        if market_id in self.broken:
            return f"le marché « {market_id} » est en erreur dans {self.broken[market_id]} : corrigez-le d'abord"
        close = difflib.get_close_matches(market_id, list(self.by_id), n=1, cutoff=0.7)
        hint = (
            f" — vouliez-vous dire « {close[0]} » ?"
            if close
            else (" ; ajoutez-le d'abord à la liste des marchés (content/markets/), voir docs/personnel/marches.md")
        )
        return f"marché « {market_id} » inconnu{hint}"


def market_files(content: Path) -> list[Path]:
    folder = content / FOLDER
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() in (".yaml", ".yml") and p.is_file())


def load_markets(content: Path, root: Path | None = None, gazetteer: Any = None) -> Markets:
    """Read and check every file of `content/markets/`; paths shown relative to `root`."""
    markets = Markets()
    for path in market_files(content):
        display = (
            path.relative_to(root).as_posix() if root is not None and path.is_relative_to(root) else path.as_posix()
        )
        try:
            doc = reader.read_file(path, display)
        except reader.ReadError as exc:
            markets.problems.append(Problem(display, exc.line, exc.col, exc.message))
            continue
        _read(doc, markets, gazetteer)
    markets.problems.sort()
    return markets


def _read(doc: reader.Document, markets: Markets, gazetteer: Any) -> None:
    if not isinstance(doc.data, list):
        markets.problems.append(
            Problem(
                doc.path,
                1,
                1,
                "une liste de marchés est attendue (des blocs commençant "
                "par « - id: … ») ; voir docs/personnel/marches.md",
            )
        )
        return
    for i, item in enumerate(doc.data):
        try:
            market = Market.model_validate(item)
        except ValidationError as exc:  # the other markets of the file stay usable
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                markets.broken.setdefault(item["id"].strip(), doc.path)
            for err in exc.errors(include_url=False):
                loc, message, at_key = french_message({**err, "loc": (i, *err["loc"])}, Market)
                message = _INDEX.sub(lambda m: f"le marché n° {int(m.group(1)) + 1}", message)
                markets.problems.append(Problem(doc.path, *doc.position(loc, key=at_key), message))
            continue
        line, col = doc.position((i, "id"))
        if market.id in markets.where:
            other = markets.where[market.id]
            markets.problems.append(
                Problem(
                    doc.path,
                    line,
                    col,
                    f"identifiant de marché « {market.id} » déjà "
                    f"utilisé ({other[0]}, ligne {other[1]}) : chaque marché a le sien",
                )
            )
            continue
        if gazetteer is not None:
            verdict = check_address(gazetteer, market.postcode, market.city)
            if verdict is not None:
                field_name = "postcode" if verdict.field == "postcode" else "city"
                markets.problems.append(
                    Problem(
                        doc.path,
                        *doc.position((i, field_name)),
                        verdict.message,
                        Severity.ERROR if verdict.is_error else Severity.WARNING,
                    )
                )
                if verdict.is_error:
                    markets.broken.setdefault(market.id, doc.path)
                    continue
        markets.by_id[market.id] = market
        markets.where[market.id] = (doc.path, line, col)


def point_anchors(doc: reader.Document, data: Any) -> dict[str, tuple[int, int]]:
    """Where a merchant file places each point of sale and names each market it refers to (kept in
    `Entry.anchors`, so that a cached entry can be checked against the list without reading it again)."""
    anchors: dict[str, tuple[int, int]] = {}
    points = data.get("points_of_sale") if isinstance(data, dict) else None
    for i, point in enumerate(points if isinstance(points, list) else []):
        if not isinstance(point, dict):
            continue
        where = "market" if "market" in point else "address"
        anchors[f"{POINT_ANCHOR}{i + 1}"] = doc.position(("points_of_sale", i, where), key=True)
        if isinstance(point.get("market"), str):
            anchors.setdefault(MARKET_ANCHOR + point["market"].strip(), doc.position(("points_of_sale", i, "market")))
    return anchors


def referenced(anchors: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
    """{market id: (line, col)} of the markets a merchant file refers to (see `market_anchors`)."""
    return {key[len(MARKET_ANCHOR) :]: pos for key, pos in anchors.items() if key.startswith(MARKET_ANCHOR)}


def check_references(entries: list[Any], markets: Markets) -> tuple[list[Any], list[Problem]]:
    """(entries whose every market exists, an error per unknown market at the line that names it)."""
    kept, problems = [], []
    for entry in entries:
        bad = [(mid, pos) for mid, pos in referenced(entry.anchors).items() if markets.get(mid) is None]
        for mid, (line, col) in bad:
            problems.append(Problem(entry.path, line, col, markets.unknown_message(mid)))
        if not bad:
            kept.append(entry)
    return kept, problems
