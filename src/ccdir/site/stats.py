"""Statistics for the region and the chambers: `ccdir stats` and the `/statistiques/` page.

Merchants per département, per category, per kind, per order method, how many deliver, and growth over
time. Growth counts merchants by month of a date:
- on the page and by default: the `updated` date of each file (the day the file was created or last
  reviewed), so the build stays a function of the content alone;
- with `ccdir stats --git`: the date of the commit that added each file (`git log --diff-filter=A`), which
  is when the merchant joined; files not yet committed fall back to `updated`.
Merchants with no date are counted apart (« sans date »).

Progress toward the region's goal (share of local shops listed) needs what the directory cannot know,
the number of local shops per département: an optional `content/goals.yaml` gives it, with the target.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Annotated, Any, Iterable, Mapping

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ccdir.content.categories import CategoryCatalog
from ccdir.content.config import Project
from ccdir.content.labels import KIND_PLURALS, ORDER_SHORT
from ccdir.content.listing import Listing, dept_of
from ccdir.content.stage import BuildContext, MerchantFile, StageMemo
from ccdir.geo.gazetteer import Commune, Gazetteer, load_gazetteer
from ccdir.site import sitepages
from ccdir.content.model import Merchant
from ccdir.content.textcheck import ccdir_error
from ccdir.core.problems import ContentError, Problem
from ccdir.site.dates import long_date

GOALS_FILE = "goals.yaml"
DEPT_CODE = re.compile(r"^(\d{2}|2[AB]|97\d)$")


class Goals(BaseModel):
    """`content/goals.yaml`: the share of local shops the directory should list, and how many there are."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    target: Annotated[float, Field(gt=0, le=100)]  # percent of local shops
    deadline: dt.date | None = None
    source: Annotated[str, Field(max_length=300)] | None = None
    shops: Annotated[dict[str, Annotated[int, Field(ge=1)]], Field(min_length=1)]

    @field_validator("shops")
    @classmethod
    def _codes(cls, shops: dict[str, int]) -> dict[str, int]:
        for code in shops:
            if not DEPT_CODE.match(code):
                raise ccdir_error(f"« {code} » n'est pas un code de département : écrivez le code entre "
                                  "guillemets, par exemple \"45\" pour le Loiret ou \"2A\"", (code,))
        return shops


def load_goals(project: Project) -> Goals | None:
    """The goals file, or None when the project has none; ContentError (French, positioned) when wrong."""
    from ccdir.content import reader
    from ccdir.content.messages import pydantic_problems

    path = project.content / GOALS_FILE
    if not path.exists():
        return None
    display = path.relative_to(project.root).as_posix()
    try:
        doc = reader.read_file(path, display)
    except reader.ReadError as exc:
        raise ContentError([Problem(display, exc.line, exc.col, exc.message)]) from None
    try:
        return Goals.model_validate(doc.data if doc.data is not None else {})
    except ValidationError as exc:
        raise ContentError(pydantic_problems(doc, exc, Goals)) from None



@dataclass
class Row:
    key: str
    label: str
    count: int
    share: float  # of all merchants, 0..1


@dataclass
class Month:
    month: str  # "2020-11"
    added: int
    total: int  # cumulative


@dataclass
class Progress:
    """Merchants listed against the local shops of a département (or of all the départements followed)."""

    key: str
    label: str
    listed: int
    shops: int
    share: float  # listed / shops, 0..1 (may exceed 1 if the shop count is outdated)


@dataclass
class Stats:
    total: int = 0
    delivery: int = 0
    by_departement: list[Row] = field(default_factory=list)
    by_category: list[Row] = field(default_factory=list)
    by_kind: list[Row] = field(default_factory=list)
    by_order: list[Row] = field(default_factory=list)
    growth: list[Month] = field(default_factory=list)
    undated: int = 0
    dates: str = "updated"  # or "git"
    target: float | None = None  # percent, from content/goals.yaml
    deadline: str | None = None
    source: str | None = None
    progress: list[Progress] = field(default_factory=list)  # per département followed, then "total"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def compute(merchants: Iterable[tuple[str, Merchant]], catalog: CategoryCatalog, gazetteer: Gazetteer | None = None,
            dates: dict[str, dt.date] | None = None, goals: Goals | None = None) -> Stats:
    """Statistics of `(slug, merchant)` pairs; `dates` (slug → date the merchant joined) overrides `updated`."""
    def commune(m: Merchant) -> Commune | None:
        return gazetteer.find(m.address.city, m.address.postcode) if gazetteer is not None else None

    return aggregate((facts(slug, m, commune(m), dates) for slug, m in merchants), catalog, gazetteer, goals,
                     "git" if dates is not None else "updated")


Facts = tuple[str, "str | None", tuple[str, ...], str, tuple[str, ...], bool, "str | None"]


def facts(slug: str, m: Merchant, commune: Commune | None = None, dates: dict[str, dt.date] | None = None
          ) -> Facts:
    """What the statistics count of one merchant: (département code, its name if known, categories, kind,
    order methods, delivery, month « AAAA-MM » it joined or None). `commune`: the gazetteer's commune of its
    address; `dates` (slug → date the merchant joined) overrides `updated`."""
    code = commune.dept if commune is not None else dept_of(m.address.postcode)
    when = (dates or {}).get(slug) or m.updated
    return (code, commune.dept_name if commune is not None else None, tuple(m.categories), m.kind,
            tuple(m.click_and_collect.order), m.click_and_collect.delivery,
            None if when is None else f"{when.year:04d}-{when.month:02d}")


def aggregate(merchants: Iterable[Facts], catalog: CategoryCatalog, gazetteer: Any = None, goals: Goals | None = None,
              dates: str = "updated") -> Stats:
    """Statistics of the `facts` of every merchant."""
    depts: Counter[str] = Counter()
    dept_names: dict[str, str] = {}
    cats: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    orders: Counter[str] = Counter()
    months: Counter[str] = Counter()
    stats = Stats(dates=dates)
    for code, dept_name, categories, kind, order, delivery, month in merchants:
        stats.total += 1
        depts[code] += 1
        if dept_name is not None:
            dept_names.setdefault(code, dept_name)
        cats.update(categories)
        kinds[kind] += 1
        orders.update(order)
        stats.delivery += delivery
        if month is None:
            stats.undated += 1
        else:
            months[month] += 1

    def rows(counter: Counter[str], label) -> list[Row]:
        ranked = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
        return [Row(k, label(k), n, n / stats.total) for k, n in ranked]

    stats.by_departement = rows(depts, lambda c: f"{dept_names.get(c, c)} ({c})")
    stats.by_category = rows(cats, lambda c: catalog[c].label if c in catalog else c)
    stats.by_kind = rows(kinds, lambda k: KIND_PLURALS.get(k, k))
    stats.by_order = rows(orders, lambda k: ORDER_SHORT.get(k, k))
    stats.growth = _growth(months)
    if goals is not None:
        names = {code: name for code, (name, _) in getattr(gazetteer, "departements", {}).items()}
        names.update(dept_names)
        stats.target, stats.source = goals.target, goals.source
        stats.deadline = goals.deadline.isoformat() if goals.deadline else None
        for code, shops in sorted(goals.shops.items()):
            stats.progress.append(Progress(code, f"{names.get(code, code)} ({code})", depts[code], shops,
                                           depts[code] / shops))
        listed, shops = sum(depts[c] for c in goals.shops), sum(goals.shops.values())
        stats.progress.append(Progress("total", "Ensemble", listed, shops, listed / shops))
    return stats


def _growth(months: Counter[str]) -> list[Month]:
    """Every month from the first to the last, with the merchants added and the running total."""
    if not months:
        return []
    first, last = min(months), max(months)
    year, month = int(first[:4]), int(first[5:])
    out, total = [], 0
    while True:
        key = f"{year:04d}-{month:02d}"
        total += months.get(key, 0)
        out.append(Month(key, months.get(key, 0), total))
        if key == last:
            return out
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def git_dates(project: Project) -> dict[str, dt.date] | None:
    """slug → date of the commit that added its file; None when the content is not in a git repository."""
    folder = project.merchants_dir
    try:
        top = subprocess.run(["git", "-C", str(folder), "rev-parse", "--show-toplevel"], capture_output=True,
                             text=True, check=True).stdout.strip()
        log = subprocess.run(["git", "-C", top, "log", "--diff-filter=A", "--format=%x00%ad", "--date=short",
                              "--name-only", "--", str(folder.resolve())], capture_output=True, text=True,
                             check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    dates: dict[str, dt.date] = {}
    for block in log.split("\x00")[1:]:
        lines = [line for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        day = dt.date.fromisoformat(lines[0].strip())
        for name in lines[1:]:
            path = Path(name)
            if path.suffix in (".yaml", ".yml"):
                slug = path.stem
                if slug not in dates or day < dates[slug]:
                    dates[slug] = day  # log is newest first; a file re-added keeps its first date
    return dates


def percent(share: float) -> str:
    value = round(share * 100)
    return f"{value}\u202f%" if value or not share else "<\u202f1\u202f%"


def format_text(stats: Stats) -> str:
    """The French table printed by `ccdir stats`."""
    lines = [f"Commerces : {stats.total}",
             f"Livraison possible : {stats.delivery} ({percent(stats.delivery / stats.total if stats.total else 0)})"]
    if stats.progress:
        total = stats.progress[-1]
        goal = f"objectif {stats.target:g}\u202f%" + (f" au {long_date(stats.deadline)}" if stats.deadline else "")
        lines += ["", f"Part des commerces de proximité inscrits : {percent(total.share)} ({goal})"]
        width = max(len(p.label) for p in stats.progress)
        for p in stats.progress:
            lines.append(f"  {p.label:<{width}}  {p.listed:>6} / {p.shops:<6}  {percent(p.share):>6}")

    def table(title: str, rows: list[Row]) -> None:
        lines.append("")
        lines.append(title)
        width = max((len(r.label) for r in rows), default=0)
        for r in rows:
            lines.append(f"  {r.label:<{width}}  {r.count:>6}  {percent(r.share):>6}")

    table("Par département", stats.by_departement)
    table("Par type", stats.by_kind)
    table("Par catégorie", stats.by_category)
    table("Par moyen de commande", stats.by_order)
    lines.append("")
    source = "date d'ajout dans git" if stats.dates == "git" else "date de mise à jour des fiches"
    lines.append(f"Évolution par mois ({source}) : ajoutés, total")
    for m in stats.growth:
        lines.append(f"  {m.month}  {m.added:>6}  {m.total:>6}")
    if stats.undated:
        lines.append(f"  sans date  {stats.undated:>6}")
    return "\n".join(lines) + "\n"


def project_stats(project: Project, use_git: bool = False) -> tuple[Stats, Any]:
    """`ccdir stats`: statistics of the valid merchant files, and the validation report (invalid files are left
    out)."""
    from ccdir.content.loading import check

    gazetteer = load_gazetteer()
    catalog, report = check(project, gazetteer=gazetteer)
    dates = git_dates(project) if use_git else None
    return compute(((e.slug, e.merchant) for e in report.entries), catalog, gazetteer, dates,
                   load_goals(project)), report


class StatisticsStage:
    """Build stage (`ccdir.build.stages.STAGES`): the `/statistiques/` page."""

    name = "statistics"
    pages = ("statistiques/",)  # listed in the sitemap
    merchant_files: Mapping[str, MerchantFile] = {}
    memo = True

    def run(self, context: BuildContext, folder: Path, memo: StageMemo) -> int:
        """`memo`: the facts of unchanged merchants, from the last build."""
        project, catalog = context.project, context.catalog

        def of(item: Listing) -> Facts:
            return memo.get(item.slug, lambda: facts(item.slug, item.merchant, item.commune))

        gazetteer = load_gazetteer()  # names of the départements followed in goals.yaml
        stats = aggregate((of(it) for it in context.listings), catalog, gazetteer, load_goals(project))
        page = sitepages.renderer(project, catalog).page("statistiques.html", stats=stats, percent=percent,
                                                         peak=max((m.added for m in stats.growth), default=0))
        return sitepages.publish(project, catalog, folder, {"statistiques/": page})
