"""Geocoding: file coordinates, cache, geopy's real BANFrance client against a fake BAN on 127.0.0.1,
and every way the network can fail (each one falls back to the commune with a warning)."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pygeohash
import pytest
from ban_server import FakeBAN, Reply, collection, feature

from ccdir.core.problems import Severity
from ccdir.geo.gazetteer import Gazetteer
from ccdir.geo.geocode import Geocoder, Location, address_key


@dataclass
class Address:
    street: str | None
    postcode: str
    city: str
    lat: float | None = None
    lon: float | None = None


ORLEANS = Address("12 Rue Jeanne d'Arc", "45000", "Orléans")
Q_ORLEANS = "12 Rue Jeanne d'Arc 45000 Orléans"
HIT_ORLEANS = feature(
    47.902046,
    1.907339,
    "12 Rue Jeanne d'Arc 45000 Orléans",
    citycode="45234",
    postcode="45000",
    city="Orléans",
    street="Rue Jeanne d'Arc",
    housenumber="12",
    score=0.97,
)


@pytest.fixture(scope="module")
def gz() -> Gazetteer:
    return Gazetteer.load()


@pytest.fixture
def ban():
    with FakeBAN() as server:
        yield server


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def online(gz, ban, tmp_path, sleeps):
    """An online geocoder talking to the fake BAN; waits are recorded instead of slept."""

    def make(**kw):
        options = dict(
            offline=False, base_url=ban.url, timeout=2.0, min_delay=0.0, retries=2, backoff=0.5, sleep=sleeps.append
        )
        options.update(kw)
        return Geocoder(gz, tmp_path / "geocache.json", **options)

    return make


def one(geocoder, address, slug="boulangerie", path="content/merchants/boulangerie.yaml"):
    locations, problems = geocoder.locate_all([(slug, path, address)])
    return locations.get(slug), problems


def fell_back(loc, problems, gz, *words):
    """The merchant is at its commune's position, with one warning containing `words`."""
    assert loc is not None and loc.precision == "commune"
    assert (loc.lat, loc.lon) == (loc.commune.lat, loc.commune.lon)
    assert len(problems) == 1 and problems[0].severity is Severity.WARNING
    assert problems[0].path == "content/merchants/boulangerie.yaml"
    assert problems[0].message.startswith(f"position approximative (centre {loc.commune.of_name})")
    for word in words:
        assert word in problems[0].message, problems[0].message
    return problems[0].message


# --- the happy path -----------------------------------------------------------------------------------


def test_online_address_found_by_ban_is_cached(online, ban, tmp_path):
    ban.on(Q_ORLEANS, Reply(body=collection(HIT_ORLEANS, query=Q_ORLEANS)))
    geocoder = online()
    loc, problems = one(geocoder, ORLEANS)
    assert problems == []
    assert (loc.lat, loc.lon, loc.precision) == (47.902046, 1.907339, "address")
    assert loc.commune.insee == "45234"
    assert ban.queries() == [Q_ORLEANS]
    assert ban.requests[0]["path"] == "/search" and ban.requests[0]["params"]["limit"] == "5"
    assert ban.requests[0]["user_agent"].startswith("ccdir")
    assert geocoder.save_cache() is True
    cache = json.loads((tmp_path / "geocache.json").read_text(encoding="utf-8"))
    entry = cache[address_key(ORLEANS.street, "45000", "Orléans")]
    assert entry["lat"] == 47.902046 and entry["precision"] == "address" and entry["citycode"] == "45234"


def test_warm_cache_needs_no_network_and_is_not_rewritten(online, gz, ban, tmp_path):
    ban.on(Q_ORLEANS, Reply(body=collection(HIT_ORLEANS)))
    first = online()
    one(first, ORLEANS)
    first.save_cache()
    before = (tmp_path / "geocache.json").read_bytes()
    # Offline, a differently typed but equivalent address hits the same cache entry.
    offline = Geocoder(gz, tmp_path / "geocache.json", offline=True)
    loc, problems = one(offline, Address("12 rue Jeanne-d’Arc", "45000", "orleans"))
    assert problems == [] and loc.precision == "address" and loc.lat == 47.902046
    assert offline.save_cache() is False
    assert (tmp_path / "geocache.json").read_bytes() == before
    assert len(ban.requests) == 1


def test_cache_file_is_sorted_readable_and_pruned(online, ban, tmp_path, gz):
    ban.on(Q_ORLEANS, Reply(body=collection(HIT_ORLEANS)))
    ban.on(
        "1 Place du Martroi 45000 Orléans",
        Reply(
            body=collection(
                feature(
                    47.9030,
                    1.9045,
                    "1 Place du Martroi 45000 Orléans",
                    citycode="45234",
                    postcode="45000",
                    city="Orléans",
                )
            )
        ),
    )
    geocoder = online()
    geocoder.locate_all([("b", "b.yaml", ORLEANS), ("a", "a.yaml", Address("1 Place du Martroi", "45000", "Orléans"))])
    geocoder.save_cache()
    text = (tmp_path / "geocache.json").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert text.endswith("}\n") and lines[0] == "{" and len(lines) == 4  # one entry per line
    assert lines[1].lstrip().startswith('"1 place du martroi|45000|orleans"')
    # The Martroi merchant is gone: its entry is pruned by the next run.
    again = Geocoder(gz, tmp_path / "geocache.json", offline=True)
    again.locate_all([("b", "b.yaml", ORLEANS)])
    assert again.save_cache() is True
    assert list(json.loads((tmp_path / "geocache.json").read_text(encoding="utf-8"))) == [
        address_key(ORLEANS.street, "45000", "Orléans")
    ]


def test_same_address_twice_is_asked_once(online, ban):
    ban.on(Q_ORLEANS, Reply(body=collection(HIT_ORLEANS)))
    locations, problems = online().locate_all([("a", "a.yaml", ORLEANS), ("b", "b.yaml", ORLEANS)])
    assert problems == [] and set(locations) == {"a", "b"}
    assert len(ban.requests) == 1


@pytest.mark.parametrize("ban_type, precision", [("street", "street"), ("locality", "street")])
def test_street_and_locality_answers(online, ban, ban_type, precision):
    ban.on(
        Q_ORLEANS,
        Reply(
            body=collection(
                feature(
                    47.9021,
                    1.9070,
                    "Rue Jeanne d'Arc 45000 Orléans",
                    type=ban_type,
                    citycode="45234",
                    postcode="45000",
                    city="Orléans",
                )
            )
        ),
    )
    loc, problems = one(online(), ORLEANS)
    assert problems == [] and loc.precision == precision


def test_configurable_base_url_with_a_path(gz, tmp_path, sleeps):
    with FakeBAN(prefix="/geocodage") as ban:
        ban.on(Q_ORLEANS, Reply(body=collection(HIT_ORLEANS)))
        geocoder = Geocoder(gz, tmp_path / "c.json", offline=False, base_url=ban.url, min_delay=0, sleep=sleeps.append)
        loc, problems = one(geocoder, ORLEANS)
    assert loc.precision == "address"
    assert ban.requests[0]["path"] == "/geocodage/search"


def test_paris_arrondissement_citycode_is_the_commune(online, ban):
    address = Address("10 Rue de la Convention", "75015", "Paris")
    ban.on(
        "10 Rue de la Convention 75015 Paris",
        Reply(
            body=collection(
                feature(
                    48.8467,
                    2.2834,
                    "10 Rue de la Convention 75015 Paris",
                    citycode="75115",
                    postcode="75015",
                    city="Paris 15e Arrondissement",
                )
            )
        ),
    )
    loc, problems = one(online(), address)
    assert problems == [] and loc.precision == "address" and loc.commune.insee == "75056"


def test_polite_delay_between_requests(online, ban, sleeps):
    ban.on(Q_ORLEANS, Reply(body=collection(HIT_ORLEANS)))
    geocoder = online(min_delay=5.0)
    geocoder.locate_all([("a", "a.yaml", ORLEANS), ("b", "b.yaml", Address("3 Rue de Bourgogne", "45000", "Orléans"))])
    assert len(ban.requests) == 2
    assert len(sleeps) == 1 and 4.0 < sleeps[0] <= 5.0  # the second request waited for the first


# --- precedence ------------------------------------------------------------------------------------------


def test_coordinates_in_the_file_win(online, ban):
    loc, problems = one(online(), Address("12 Rue Jeanne d'Arc", "45000", "Orléans", lat=47.9, lon=1.91))
    assert problems == [] and loc.precision == "manual" and (loc.lat, loc.lon) == (47.9, 1.91)
    assert ban.requests == []


def test_swapped_coordinates_in_the_file_are_kept_with_a_warning(online):
    loc, problems = one(online(), Address("12 Rue Jeanne d'Arc", "45000", "Orléans", lat=1.91, lon=47.9))
    assert loc.precision == "manual"
    assert problems[0].severity is Severity.WARNING and "inversées" in problems[0].message


def test_offline_without_cache_falls_back_to_the_commune(gz, ban, tmp_path):
    geocoder = Geocoder(gz, tmp_path / "geocache.json", offline=True, base_url=ban.url)
    loc, problems = one(geocoder, ORLEANS)
    fell_back(loc, problems, gz, "hors ligne", "ccdir geocode", "« lat » et « lon »")
    assert ban.requests == []
    assert geocoder.save_cache() is False and not (tmp_path / "geocache.json").exists()


def test_no_street_falls_back_to_the_commune(online, ban, gz):
    loc, problems = one(online(), Address(None, "41250", "Chambord"))
    fell_back(loc, problems, gz, "pas de rue")
    assert loc.commune.dept == "41"  # the postcode chose the Loir-et-Cher Chambord
    assert ban.requests == []


def test_unknown_commune_is_an_error_without_location(online):
    locations, problems = online().locate_all([("x", "x.yaml", Address("1 rue", "45200", "Orléans"))])
    assert locations == {}
    assert problems[0].severity is Severity.ERROR and "introuvable" in problems[0].message


def test_line_of_the_address_is_reported(gz, tmp_path):
    _, problems = Geocoder(gz, tmp_path / "c.json").locate_all([("b", "b.yaml", ORLEANS, (7, 3))])
    assert (problems[0].line, problems[0].col) == (7, 3)


def test_refresh_asks_again_even_when_cached(online, ban, gz, tmp_path):
    ban.on(Q_ORLEANS, Reply(body=collection(HIT_ORLEANS)))
    first = online()
    one(first, ORLEANS)
    first.save_cache()
    moved = dict(HIT_ORLEANS, geometry={"type": "Point", "coordinates": [1.9080, 47.9025]})
    ban.on(Q_ORLEANS, Reply(body=collection(moved)))
    loc, _ = one(online(refresh=True), ORLEANS)
    assert (loc.lat, loc.lon) == (47.9025, 1.908) and len(ban.requests) == 2


# --- failure modes: fall back, warn, never crash --------------------------------------------------------


def test_http_500_is_retried_then_falls_back(online, ban, gz, sleeps):
    ban.on(Q_ORLEANS, Reply(status=500, body={"code": 500, "message": "boom"}))
    loc, problems = one(online(retries=2), ORLEANS)
    fell_back(loc, problems, gz, "HTTP 500", "ccdir geocode")
    assert len(ban.requests) == 3
    assert sleeps == [0.5, 1.0]  # exponential backoff


def test_http_400_is_not_retried(online, ban, gz):
    ban.on(Q_ORLEANS, Reply(status=400, body={"code": 400, "message": "q must contain between 3 and 200 chars"}))
    loc, problems = one(online(retries=3), ORLEANS)
    fell_back(loc, problems, gz, "HTTP 400")
    assert len(ban.requests) == 1


def test_http_503_then_success(online, ban):
    ban.on(Q_ORLEANS, Reply(status=503, body="Service Unavailable"), Reply(body=collection(HIT_ORLEANS)))
    loc, problems = one(online(), ORLEANS)
    assert problems == [] and loc.precision == "address" and len(ban.requests) == 2


def test_http_429_honours_retry_after(online, ban, sleeps):
    ban.on(
        Q_ORLEANS,
        Reply(status=429, body={"message": "too many"}, headers={"Retry-After": "7"}),
        Reply(body=collection(HIT_ORLEANS)),
    )
    loc, problems = one(online(), ORLEANS)
    assert problems == [] and loc.precision == "address"
    assert sleeps == [7]


def test_timeout_falls_back(online, ban, gz):
    ban.on(Q_ORLEANS, Reply(body=collection(HIT_ORLEANS), delay=1.5))
    loc, problems = one(online(timeout=0.2, retries=0), ORLEANS)
    fell_back(loc, problems, gz, "délai dépassé")


def test_unreachable_service_falls_back(gz, tmp_path, sleeps):
    ban = FakeBAN().start()
    url = ban.url
    ban.stop()  # nothing listens on that port any more
    geocoder = Geocoder(
        gz, tmp_path / "c.json", offline=False, base_url=url, retries=1, min_delay=0, sleep=sleeps.append
    )
    loc, problems = one(geocoder, ORLEANS)
    fell_back(loc, problems, gz, "injoignable")


@pytest.mark.parametrize(
    "body",
    [
        "<html>not json</html>",
        {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"type": "housenumber"}}]},
        {"type": "FeatureCollection", "features": [{"geometry": {"coordinates": ["x", "y"]}, "properties": {}}]},
        {
            "type": "FeatureCollection",
            "features": [
                {"geometry": {"coordinates": [1.9, 95.0]}, "properties": {"citycode": "45234", "type": "housenumber"}}
            ],
        },
        {"type": "FeatureCollection", "features": "nope"},
    ],
)
def test_malformed_answers_fall_back(online, ban, gz, body):
    ban.on(Q_ORLEANS, Reply(body=body))
    loc, problems = one(online(), ORLEANS)
    fell_back(loc, problems, gz, "illisible")


def test_not_found_falls_back(online, ban, gz):
    loc, problems = one(online(), ORLEANS)  # the fake answers an empty FeatureCollection
    fell_back(loc, problems, gz, "introuvable dans la Base Adresse Nationale")


def test_result_in_another_commune_is_rejected(online, ban, gz):
    ban.on(
        Q_ORLEANS,
        Reply(
            body=collection(
                feature(
                    47.8655,
                    1.8977,
                    "12 Rue Jeanne d'Arc 45160 Olivet",
                    citycode="45232",
                    postcode="45160",
                    city="Olivet",
                )
            )
        ),
    )
    loc, problems = one(online(), ORLEANS)
    assert fell_back(loc, problems, gz, "Olivet", "vérifiez l'adresse")
    assert loc.commune.name == "Orléans"


def test_result_far_from_the_commune_is_rejected(online, ban, gz):
    ban.on(
        Q_ORLEANS,
        Reply(
            body=collection(
                feature(
                    48.85, 2.35, "12 Rue Jeanne d'Arc 45000 Orléans", citycode="45234", postcode="45000", city="Orléans"
                )
            )
        ),
    )
    loc, problems = one(online(), ORLEANS)
    fell_back(loc, problems, gz, "km d'Orléans")


def test_low_score_is_rejected(online, ban, gz):
    ban.on(Q_ORLEANS, Reply(body=collection(dict(HIT_ORLEANS, properties=dict(HIT_ORLEANS["properties"], score=0.21)))))
    loc, problems = one(online(), ORLEANS)
    fell_back(loc, problems, gz, "incertaine", "0.21")


def test_municipality_only_is_a_fallback(online, ban, gz):
    ban.on(
        Q_ORLEANS,
        Reply(
            body=collection(
                feature(
                    47.9029, 1.9093, "Orléans", type="municipality", citycode="45234", postcode="45000", city="Orléans"
                )
            )
        ),
    )
    loc, problems = one(online(), ORLEANS)
    fell_back(loc, problems, gz, "ne reconnaît que la commune")


def test_a_good_second_result_is_used(online, ban):
    wrong = feature(
        47.8655,
        1.8977,
        "12 Rue Jeanne d'Arc 45160 Olivet",
        citycode="45232",
        postcode="45160",
        city="Olivet",
        score=0.99,
    )
    ban.on(Q_ORLEANS, Reply(body=collection(wrong, HIT_ORLEANS)))
    loc, problems = one(online(), ORLEANS)
    assert problems == [] and loc.lat == 47.902046


def test_service_down_stops_asking_after_a_few_failures(online, ban, gz):
    ban.default = Reply(status=500, body={"message": "down"})
    geocoder = online(retries=1, max_failures=3)
    items = [(f"m{i}", f"m{i}.yaml", Address(f"{i} Rue de Bourgogne", "45000", "Orléans")) for i in range(6)]
    locations, problems = geocoder.locate_all(items)
    assert len(locations) == 6 and all(loc.precision == "commune" for loc in locations.values())
    assert len(problems) == 6 and all(p.severity is Severity.WARNING for p in problems)
    assert len(ban.requests) == 3 * 2  # three addresses, each tried twice, then no more requests
    assert "indisponible" in problems[-1].message


def test_refresh_keeps_the_cached_position_when_the_network_fails(online, ban, gz, tmp_path):
    ban.on(Q_ORLEANS, Reply(body=collection(HIT_ORLEANS)))
    first = online()
    one(first, ORLEANS)
    first.save_cache()
    ban.on(Q_ORLEANS, Reply(status=502, body="bad gateway"))
    loc, _ = one(online(refresh=True, retries=0), ORLEANS)
    assert loc.precision == "address" and loc.lat == 47.902046


def test_corrupt_cache_is_reported_and_rebuilt(online, ban, tmp_path):
    (tmp_path / "geocache.json").write_text('{"a": <<<<<<< HEAD\n', encoding="utf-8")
    ban.on(Q_ORLEANS, Reply(body=collection(HIT_ORLEANS)))
    geocoder = online()
    loc, problems = one(geocoder, ORLEANS)
    assert loc.precision == "address"
    assert problems[0].path.endswith("geocache.json") and problems[0].severity is Severity.WARNING
    assert geocoder.save_cache() is True
    json.loads((tmp_path / "geocache.json").read_text(encoding="utf-8"))


def test_implausible_cache_entry_is_ignored(gz, tmp_path):
    key = address_key(ORLEANS.street, "45000", "Orléans")
    (tmp_path / "geocache.json").write_text(
        json.dumps({key: {"lat": 43.3, "lon": 5.4, "precision": "address"}}), encoding="utf-8"
    )
    loc, problems = one(Geocoder(gz, tmp_path / "geocache.json", offline=True), ORLEANS)
    fell_back(loc, problems, gz, "hors ligne")


# --- the location itself ----------------------------------------------------------------------------------


def test_geohash_has_precision_9_and_decodes_to_the_location(online):
    loc, _ = one(online(), Address("12 Rue Jeanne d'Arc", "45000", "Orléans", lat=47.902046, lon=1.907339))
    assert isinstance(loc, Location) and len(loc.geohash) == 9 and loc.geohash.startswith("u09")
    center = pygeohash.decode(loc.geohash)
    assert abs(center.latitude - loc.lat) < 1e-4 and abs(center.longitude - loc.lon) < 1e-4


def test_summary_counts_precisions(online, ban):
    ban.on(Q_ORLEANS, Reply(body=collection(HIT_ORLEANS)))
    geocoder = online()
    geocoder.locate_all([("a", "a.yaml", ORLEANS), ("b", "b.yaml", Address(None, "45000", "Orléans"))])
    summary = geocoder.summary()
    assert summary.startswith("2 commerce(s) placé(s) : 1 à l'adresse, 1 au centre de la commune")
    assert "1 requête(s)" in summary
