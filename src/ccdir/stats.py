"""Statistics for the region and the chambers: `ccdir stats` and the `/statistiques/` page.

Merchants per département, per category, per kind, per order method, how many deliver, and growth over
time. Growth counts merchants by month of a date:
- on the page and by default: the `updated` date of each file (the day the file was created or last
  reviewed), so the build stays a function of the content alone;
- with `ccdir stats --git`: the date of the commit that added each file (`git log --diff-filter=A`), which
  is when the merchant joined; files not yet committed fall back to `updated`.
Merchants with no date are counted apart (« sans date »).
"""

from __future__ import annotations

import datetime as dt
import subprocess
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable

from ccdir.categories import CategoryCatalog
from ccdir.config import Project
from ccdir.model import Merchant

KIND_LABELS = {"commerce": "Commerces", "artisan": "Artisans", "producteur": "Producteurs",
               "restaurant": "Restaurants", "bar": "Bars"}
ORDER_LABELS = {"phone": "Téléphone", "email": "E-mail", "website": "Site web", "sms": "SMS",
                "on_site": "Sur place", "marketplace": "Place de marché"}


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

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def compute(merchants: Iterable[tuple[str, Merchant]], catalog: CategoryCatalog, gazetteer: Any = None,
            dates: dict[str, dt.date] | None = None) -> Stats:
    """Statistics of `(slug, merchant)` pairs; `dates` (slug → date the merchant joined) overrides `updated`."""
    from ccdir.render import dept_of

    depts: Counter[str] = Counter()
    dept_names: dict[str, str] = {}
    cats: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    orders: Counter[str] = Counter()
    months: Counter[str] = Counter()
    stats = Stats(dates="git" if dates is not None else "updated")
    for slug, m in merchants:
        stats.total += 1
        commune = gazetteer.find(m.address.city, m.address.postcode) if gazetteer is not None else None
        code = commune.dept if commune is not None else dept_of(m.address.postcode)
        depts[code] += 1
        if commune is not None:
            dept_names.setdefault(code, commune.dept_name)
        cats.update(m.categories)
        kinds[m.kind] += 1
        orders.update(m.click_and_collect.order)
        stats.delivery += m.click_and_collect.delivery
        when = (dates or {}).get(slug) or m.updated
        if when is None:
            stats.undated += 1
        else:
            months[f"{when.year:04d}-{when.month:02d}"] += 1

    def rows(counter: Counter[str], label) -> list[Row]:
        ranked = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))
        return [Row(k, label(k), n, n / stats.total) for k, n in ranked]

    stats.by_departement = rows(depts, lambda c: f"{dept_names.get(c, c)} ({c})")
    stats.by_category = rows(cats, lambda c: catalog[c].label if c in catalog else c)
    stats.by_kind = rows(kinds, lambda k: KIND_LABELS.get(k, k))
    stats.by_order = rows(orders, lambda k: ORDER_LABELS.get(k, k))
    stats.growth = _growth(months)
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
    source = "date d'ajout dans git" if stats.dates == "git" else "date de mise à jour (updated)"
    lines.append(f"Évolution par mois ({source}) : ajoutés, total")
    for m in stats.growth:
        lines.append(f"  {m.month}  {m.added:>6}  {m.total:>6}")
    if stats.undated:
        lines.append(f"  sans date  {stats.undated:>6}")
    return "\n".join(lines) + "\n"


def project_stats(project: Project, use_git: bool = False) -> tuple[Stats, Any]:
    """`ccdir stats`: statistics of the valid merchant files, and the validation report (invalid files are left
    out)."""
    from ccdir.builder import check, load_gazetteer

    gazetteer = load_gazetteer()
    catalog, report = check(project, gazetteer=gazetteer)
    dates = git_dates(project) if use_git else None
    return compute(((e.slug, e.merchant) for e in report.entries), catalog, gazetteer, dates), report


def stage(project: Project, staging: Path, listings: list[Any], locations: dict[str, Any],
          catalog: CategoryCatalog) -> int:
    """Build stage: the `/statistiques/` page."""
    from ccdir import sitepages
    from ccdir.builder import load_gazetteer

    stats = compute(((it.slug, it.merchant) for it in listings), catalog, load_gazetteer())
    page = sitepages.renderer(project, catalog).page("statistiques.html", stats=stats, percent=percent,
                                                     peak=max((m.added for m in stats.growth), default=0))
    return sitepages.publish(project, catalog, staging, {"statistiques/": page})
