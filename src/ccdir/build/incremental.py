"""Incremental build: when a few merchant files changed, render only the pages they affect.

Used when the build cache (`ccdir.build.cache`) matches: same code, catalogue, gazetteer, templates, settings
and geocoding cache, the output folder is the one the cache describes, and at most MAX_CHANGED files
changed. Otherwise the builder does a full build (reusing the validation of unchanged files).

Pages rewritten for a changed, added or removed merchant: its own page; and when its card changed (name,
categories, commune, position, order links…), the pages of its old and new categories, of its old and new
communes and of every commune whose centre is within the neighbourhood radius of its old or new position,
and the merchant pages whose « À proximité » block shows it, showed it, or changed; always the home
page, the indexes, 404, robots.txt and the sitemap; and each of these pages' English counterpart under /en/. Extra stages (registration, open data, statistics,
search index) run into a scratch folder, and only their files that differ are copied; a stage marked
`memo` computes only what concerns the changed merchants (`ccdir.content.stage.StageMemo`). Files that stages
publish beside each merchant's page (`fiche.json`) are rendered with that page.

Why this is safe: everything is rendered first, beside the site, so a content error or a crash while
rendering leaves the site untouched. The new generation is then made of hard links to the current site's
files, the changed files moved in by renames, and swapped in whole (`ccdir.build.generation`): whatever
moment the build is killed, `site/` is the old site or the new one. Until the cache is saved, the next
build sees an output folder that is not the one the cache describes and does a full build.
`tests/test_incremental.py` checks that the result is byte-identical to a full build.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ccdir.build.cache import (
    BuildCache,
    BuildState,
    PageRecord,
    Stat,
    StoredEntry,
    file_record,
    pack_problems,
    render_salt,
    site_id,
    unpack_problems,
    validation_salt,
)
from ccdir.build.generation import link_tree, new_generation, swap_in
from ccdir.build.output import BACKGROUND_FROM, Writer, remove, write_atomically
from ccdir.build.stages import Memos, run_stages, stage_merchant_files, stage_pages
from ccdir.content.categories import CategoryCatalog
from ccdir.content.config import Project
from ccdir.content.listing import Listing, make_listings
from ccdir.content.stage import BuildContext, Stage
from ccdir.content.validate import Report
from ccdir.core.problems import Problem
from ccdir.geo.geocode import Location
from ccdir.geo.nearby import GridIndex
from ccdir.site.i18n import LANGS, PREFIX, is_resident
from ccdir.site.marketpages import plan_points
from ccdir.site.render import Renderer, SiteIndex

MAX_CHANGED = 200  # beyond this, a full build on every core is about as fast, and simpler
ALWAYS = (
    "index.html",
    "recherche/index.html",
    "categories/index.html",
    "communes/index.html",
    "404.html",
    "robots.txt",
    "sitemap.xml",
)
Harvest = dict[str, tuple[Any, Any, Any]]


class StoredListing(Listing):
    """A `Listing` rebuilt from the cache: its merchant is unpickled only if a page needs it."""

    def __init__(self, entry: StoredEntry, record: PageRecord, catalog: CategoryCatalog):
        self.slug = entry.slug
        self.path = record.path
        self.place = record.place
        self.categories = [catalog[c] for c in record.categories]
        self.lat, self.lon, self.precision = record.lat, record.lon, record.precision
        self.points = list(record.points)
        location = Location(*record.location) if record.location is not None else None
        self.commune = location.commune if location is not None else None
        self.geohash = location.geohash if location is not None else None
        self.neighbours = []
        self.name_key = record.name_key
        self.entry = entry

    @property
    def merchant(self):  # type: ignore[override]
        return self.entry.merchant


def unchanged_site(
    state: BuildState, report: Report, stats: dict[str, Stat], known: dict[str, Any]
) -> tuple[int, int, list[Problem]] | None:
    """When no merchant file changed, was added or removed since the build `state` describes (and
    `can_update` holds): (pages, files, problems) of that build, without loading anything more: its site
    is up to date. None otherwise."""
    if len(known) != len(stats) or len(state.files) != len(stats) or state.totals == (0, 0):
        return None
    problems = report.problems + [p for slug in sorted(state.pages) for p in unpack_problems(state.pages[slug].located)]
    return (*state.totals, problems)


def can_update(
    project: Project, state: BuildState | None, stats: dict[str, Stat], known: dict[str, Any], stages: Sequence[Stage]
) -> bool:
    """True when the site of the last build can be updated in place rather than rebuilt."""
    if state is None or state.render_salt != render_salt(project, stages) or state.site_id != site_id(project.output):
        return False
    changed = len(stats) - len(known) + sum(1 for display in state.files if display not in stats)
    return changed <= MAX_CHANGED and all(e.slug in state.pages for e, _ in known.values())


def page_record(
    item: Listing, location: Location | None, located: list[Problem], harvested: tuple[Any, Any, Any] | None
) -> PageRecord:
    card, split, neighbours = harvested or (None, None, None)
    packed = (
        None
        if location is None
        else (location.lat, location.lon, location.precision, location.geohash, location.commune)
    )
    return PageRecord(
        item.path,
        tuple(c.id for c in item.categories),
        item.place,
        item.lat,
        item.lon,
        item.precision,
        packed,
        item.name_key,
        pack_problems(located),
        card,
        split,
        neighbours,
        tuple(item.points),
    )


def remember(
    cache: BuildCache,
    project: Project,
    state: BuildState,
    listings: list[Listing],
    locations: dict[str, Location],
    located: list[Problem],
    harvests: list[Harvest],
    other_files: int,
    stage_files: list[str],
    memos: Memos,
    totals: tuple[int, int],
) -> None:
    """Save what this full build knows for the next one; `state` is `validated(…)`, made while the pages
    were rendered."""
    harvest: Harvest = {}
    for part in harvests:
        for slug, (card, split, neighbours) in part.items():
            old = harvest.get(slug, (None, None, None))
            harvest[slug] = (card or old[0], split or old[1], neighbours or old[2])
    by_path = _by_path(located)
    for item in listings:
        state.pages[item.slug] = page_record(
            item, locations.get(item.slug), by_path.get(item.path, []), harvest.get(item.slug)
        )
    state.other_files = other_files
    state.stage_files = stage_files
    state.memos = memos
    state.totals = totals
    state.site_id = site_id(project.output)
    cache.save(state)


def validated(project: Project, report: Report, stats: dict[str, Stat], stages: Sequence[Stage]) -> BuildState:
    """The state of a full build before its pages: the merchant files' records (each merchant pickled:
    the builder makes it while the pages are rendered)."""
    return _state(project, report, stats, validation_salt(project), stages)


def _state(project: Project, report: Report, stats: dict[str, Stat], salt: str, stages: Sequence[Stage]) -> BuildState:
    state = BuildState(salt, render_salt(project, stages), str(project.output), (0, 0))
    own = _by_path(report.problems)
    for entry in report.entries:
        stat = stats.get(entry.path)
        if stat is not None:
            state.files[entry.path] = file_record(entry, own.get(entry.path, []), stat)
    return state


def _by_path(problems: list[Problem]) -> dict[str, list[Problem]]:
    grouped: dict[str, list[Problem]] = {}
    for p in problems:
        grouped.setdefault(p.path, []).append(p)
    return grouped


class Update:
    """One incremental build: plan the pages to rewrite, render them in memory, then apply."""

    def __init__(
        self,
        project: Project,
        catalog: CategoryCatalog,
        state: BuildState,
        report: Report,
        locations: dict[str, Location],
        located: list[Problem],
    ):
        self.project = project
        self.state = state
        self.report = report
        fresh = [e for e in report.entries if not isinstance(e, StoredEntry)]
        stored = [e for e in report.entries if isinstance(e, StoredEntry)]
        self.locations = {
            e.slug: Location(*packed) for e in stored if (packed := state.pages[e.slug].location) is not None
        }
        self.locations.update(locations)
        by_path = _by_path(located)
        self.located = {e.slug: unpack_problems(state.pages[e.slug].located) for e in stored}
        self.located.update({e.slug: by_path.get(e.path, []) for e in fresh})
        self.general = [p for p in located if p.path not in {e.path for e in fresh}]  # about the geocoding cache
        self.catalog = catalog
        self.listings = sorted(
            make_listings(fresh, locations, catalog, report.markets)
            + [StoredListing(e, state.pages[e.slug], catalog) for e in stored],
            key=lambda item: item.slug,
        )
        self.by_slug = {item.slug: item for item in self.listings}
        self.changed = {e.slug for e in fresh} | (set(state.pages) - set(self.by_slug))
        self.renderer = Renderer(project, catalog)
        for item in stored:
            record = state.pages[item.slug]
            if record.card is not None:
                self.renderer.cards[item.slug] = record.card
            if record.split is not None:
                self.renderer.split_cards[item.slug] = record.split
        self.site = SiteIndex(self.listings, project.settings.neighbour_km)

    @property
    def problems(self) -> list[Problem]:
        """As a full build reports them: validation, then geocoding (stored for unchanged merchants)."""
        return (
            self.report.problems + self.general + [p for item in self.listings for p in self.located.get(item.slug, [])]
        )

    def _card_changed(self, slug: str) -> bool:
        """Whether other pages show `slug` differently (its card, or where and in which lists it appears)."""
        old, new = self.state.pages.get(slug), self.by_slug.get(slug)
        if old is None or new is None:
            return True
        card = self.renderer.card(new)
        self.renderer.card(new, 0.0)
        return (old.card, old.split, old.categories, old.place, old.lat, old.lon, old.name_key) != (
            card,
            self.renderer.split_cards[slug],
            tuple(c.id for c in new.categories),
            new.place,
            new.lat,
            new.lon,
            new.name_key,
        )

    def plan(self) -> tuple[set[str], set[str]]:
        """(files to render, folders to delete), as paths relative to the site root."""
        site, render, delete = self.site, set(ALWAYS), set()
        categories: set[str] = set()
        places: set[str] = set()
        moved: list[tuple[float, float]] = []
        shown = set()
        for slug in self.changed:
            new = self.by_slug.get(slug)
            if new is None:
                delete.add(f"commercants/{slug}/")
            else:
                render.add(new.url + "index.html")
                render.update(new.url + name for name in self.renderer.merchant_files)
            if not self._card_changed(slug):
                continue
            shown.add(slug)
            old = self.state.pages.get(slug)
            seen = []
            if old is not None:
                seen.append((old.categories, old.place, old.lat, old.lon))
            if new is not None:
                seen.append((tuple(c.id for c in new.categories), new.place, new.lat, new.lon))
            for cats, place, lat, lon in seen:
                categories.update(cats)
                places.add(place.slug)
                if lat is not None and lon is not None:
                    moved.append((lat, lon))
        centres = GridIndex(
            ((p.lat, p.lon, p) for p in site.places if p.lat is not None and p.lon is not None), cell_deg=0.1
        )
        for lat, lon in moved:
            places.update(p.slug for _, p in centres.within(lat, lon, site.radius))
        for cat in categories:
            (
                render.add(f"categories/{cat}/index.html")
                if cat in site.by_category
                else delete.add(f"categories/{cat}/")
            )
        for commune in places:
            (
                render.add(f"communes/{commune}/index.html")
                if commune in site.by_place
                else delete.add(f"communes/{commune}/")
            )
        checked: set[str] = set()
        for lat, lon in moved:
            for _, item in site.grid.within(lat, lon, site.radius):
                if item.slug in checked:
                    continue
                checked.add(item.slug)
                now = tuple((d, other.slug) for d, other in site.neighbours(item))
                record = self.state.pages.get(item.slug)
                if record is None or record.neighbours != now or any(s in shown for _, s in now):
                    render.add(item.url + "index.html")
        return render, delete

    def run(
        self,
        cache: BuildCache,
        stats: dict[str, Stat],
        stages: Sequence[Stage],
        lap: Callable[[str], None] = lambda name: None,
    ) -> tuple[int, int]:
        """Render, then apply to the site; returns (pages, files) of the whole site. `lap(name)` is
        called after each step (timings)."""
        self.renderer.merchant_files = stage_merchant_files(stages)
        jobs = self.renderer.pages(self.site, stage_pages(stages))
        if not self.changed:  # every page and stage output is a function of the content: all up to date
            return sum(path.endswith(".html") for path in jobs), len(jobs) + self.state.other_files
        render, delete = self.plan()
        old = [p for slug in self.changed if slug in self.state.pages for p in self.state.pages[slug].points]
        plan_points(
            self.site,
            jobs,
            render,
            delete,
            old,
            [p for slug in self.changed if slug in self.by_slug for p in self.by_slug[slug].points],
        )
        for lang in LANGS[1:]:  # a resident page rewritten is rewritten in every language
            render |= {PREFIX[lang] + path for path in render if PREFIX[lang] + path in jobs}
            delete |= {PREFIX[lang] + folder for folder in delete if is_resident(folder)}
        rendered = sorted(render)
        output = self.project.output
        scratch = new_generation(output)  # what changed, rendered; then moved into the new generation
        generation: Path | None = None
        try:
            writer = Writer(scratch)
            for path in rendered:
                writer.write(path, jobs[path]())
            lap("render")
            context = BuildContext(self.project, self.catalog, self.listings, frozenset(self.changed))
            memos, _, unchanged = run_stages(stages, context, scratch, self.state.memos, lap)
            produced = sorted(_files(scratch))  # (the unchanged files are in the site already)
            stage_files = sorted((set(produced) | unchanged) - set(rendered))
            generation = new_generation(output)
            link_tree(output, generation)  # the current site's files, never modified: replaced or unlinked
            for rel in produced:
                if rel in render or not _same_bytes(scratch / rel, generation / rel):
                    _move(scratch / rel, generation / rel)
            for folder in sorted(delete):
                shutil.rmtree(generation / folder, ignore_errors=True)
            for rel in set(self.state.stage_files) - set(stage_files):
                (generation / rel).unlink(missing_ok=True)
            swap_in(generation, output, lambda old: remove(old, background=len(jobs) >= BACKGROUND_FROM))
            generation = None
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
            if generation is not None:
                shutil.rmtree(generation, ignore_errors=True)
        lap("apply")
        pages = sum(path.endswith(".html") for path in jobs)
        totals = (pages, len(jobs) + self.state.other_files - len(self.state.stage_files) + len(stage_files))
        self._save(cache, stats, stages, stage_files, memos, totals)
        lap("cache")
        return totals

    def _save(
        self,
        cache: BuildCache,
        stats: dict[str, Stat],
        stages: Sequence[Stage],
        stage_files: list[str],
        memos: Memos,
        totals: tuple[int, int],
    ) -> None:
        state = _state(self.project, self.report, stats, self.state.validation_salt, stages)
        harvest = self.renderer.harvest()
        for item in self.listings:
            record = self.state.pages.get(item.slug)
            got = harvest.get(item.slug)
            if item.slug in self.changed or record is None:
                record = page_record(item, self.locations.get(item.slug), self.located.get(item.slug, []), got)
            elif got is not None:
                card, split, neighbours = got
                record = record._replace(
                    card=card or record.card, split=split or record.split, neighbours=neighbours or record.neighbours
                )
            state.pages[item.slug] = record
        state.other_files = self.state.other_files - len(self.state.stage_files) + len(stage_files)
        state.stage_files = stage_files
        state.memos = memos
        state.totals = totals
        state.site_id = site_id(self.project.output)
        cache.save(state)


def _files(root: Path) -> list[str]:
    return [p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()]


def _same_bytes(a: Path, b: Path) -> bool:
    try:
        if a.stat().st_size != b.stat().st_size:
            return False
    except OSError:
        return False
    return a.read_bytes() == b.read_bytes()


def _move(source: Path, target: Path) -> None:
    """Put `source` at `target` by a rename (readers see the old file or the new one); by a copy when the
    output folder is on another disk than the cache."""
    target.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(source, 0o644)
    try:
        os.replace(source, target)
    except OSError:
        write_atomically(target, source.read_bytes())
