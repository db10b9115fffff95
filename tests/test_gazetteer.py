"""The shipped gazetteer: homonyms, articles, spellings, postcodes, « Où ? » search and address checks."""

from __future__ import annotations

import importlib.util
import struct
from pathlib import Path

import pytest

from ccdir.core.textnorm import commune_key, fold, slugify
from ccdir.geo.gazetteer import DATA_FILE, Gazetteer, check_address

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def gz() -> Gazetteer:
    return Gazetteer.load()


# --- text folding ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, folded",
    [
        ("Saint-Jean-de-Braye", "saint jean de braye"),
        ("  L’Île-Bouchard ", "l ile bouchard"),
        ("ŒUILLY", "oeuilly"),
        ("rue d'Orléans, 12 bis", "rue d orleans 12 bis"),
        ("Châteauroux", "chateauroux"),
        ("e\u0301cole", "ecole"),  # combining accent typed separately
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


def test_slugify_and_commune_key():
    assert slugify("La Châtre") == "la-chatre"
    assert commune_key("St Jean de Braye") == commune_key("Saint-Jean-de-Braye")
    assert commune_key("Ste-Maure-de-Touraine") == "sainte maure de touraine"
    assert commune_key("Mans (Le)") == "le mans"
    assert commune_key("Châteauneuf s/ Loire") == "chateauneuf sur loire"
    assert commune_key("Stenay") == "stenay"  # only the whole word « St » is expanded


# --- the data -------------------------------------------------------------------------------------


def test_data_file_is_compact_and_complete(gz):
    assert DATA_FILE.stat().st_size < 2_000_000
    assert len(gz) > 34_000
    assert {"971", "972", "973", "974", "976", "2A", "2B"} <= {c.dept for c in gz}
    assert len({c.insee for c in gz}) == len(gz)
    assert all(c.postcodes and all(len(pc) == 5 and pc.isdigit() for pc in c.postcodes) for c in gz)
    metro = [c for c in gz if len(c.dept) == 2]
    assert all(41 < c.lat < 51.2 and -5.3 < c.lon < 9.7 for c in metro)


def test_commune_fields(gz):
    orleans = gz.by_insee("45234")
    assert orleans.name == "Orléans"
    assert orleans.postcodes == ("45000", "45100")
    assert (orleans.dept, orleans.dept_name, orleans.region, orleans.region_name) == (
        "45",
        "Loiret",
        "24",
        "Centre-Val de Loire",
    )
    assert orleans.population > 100_000
    assert abs(orleans.lat - 47.90) < 0.05 and abs(orleans.lon - 1.90) < 0.05
    assert orleans.slug == "orleans-45"
    assert gz.by_insee("2a004").slug == "ajaccio-2a"
    assert gz.by_insee("99999") is None


def test_load_is_cached_per_process():
    assert Gazetteer.load() is Gazetteer.load()


# --- homonyms -------------------------------------------------------------------------------------


def test_olivet_postcode_decides(gz):
    assert gz.find("Olivet", "45160").dept == "45"
    assert gz.find("Olivet", "53410").dept == "53"


def test_without_postcode_region_then_population_decides(gz):
    assert gz.find("Olivet").dept == "45"  # the most populous
    assert gz.find("Olivet", region="52").dept == "53"  # Pays de la Loire: the one in Mayenne


def test_saint_aignan_six_departements(gz):
    homonyms = gz.named("Saint-Aignan")
    assert len({c.dept for c in homonyms}) >= 6
    assert gz.find("Saint-Aignan", "41110").dept == "41"
    assert gz.find("saint aignan", "56480").dept == "56"
    assert gz.find("St-Aignan", region="24").dept == "41"


def test_chambord_loir_et_cher_and_eure(gz):
    assert gz.find("Chambord", "41250").dept == "41"
    assert gz.find("Chambord", "27250").dept == "27"
    assert gz.find("Chambord", region="28").dept == "27"  # Normandie
    assert gz.find("Chambord", region="24").dept == "41"


def test_postcode_that_does_not_serve_the_commune_finds_nothing(gz):
    assert gz.find("Olivet", "45000") is None


# --- articles, hyphens, accents ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "city, postcode, name",
    [
        ("Le Mans", "72000", "Le Mans"),
        ("Mans (Le)", "72100", "Le Mans"),
        ("mans", "72000", "Le Mans"),
        ("LA CHATRE", "36400", "La Châtre"),
        ("Le Blanc", "36300", "Le Blanc"),
        ("st jean de braye", "45800", "Saint-Jean-de-Braye"),
        ("Chateauroux", "36000", "Châteauroux"),
        ("L Ile Bouchard", "37220", "L'Île-Bouchard"),
        ("Joue les Tours", "37300", "Joué-lès-Tours"),
    ],
)
def test_tolerant_names(gz, city, postcode, name):
    assert gz.find(city, postcode).name == name


def test_le_blanc_is_not_saint_jean_le_blanc(gz):
    assert gz.find("Le Blanc").dept == "36"
    assert gz.find("Saint-Jean-le-Blanc").dept == "45"


# --- postcodes ------------------------------------------------------------------------------------


def test_commune_with_several_postcodes(gz):
    assert gz.find("Orléans", "45000") == gz.find("Orléans", "45100") == gz.by_insee("45234")
    assert {pc for pc in gz.by_insee("37261").postcodes} == {"37000", "37100", "37200"}


def test_postcode_with_several_communes(gz):
    names = [c.name for c in gz.by_postcode("45200")]
    assert {"Amilly", "Montargis"} <= set(names)
    assert names == sorted(names, key=lambda n: -gz.find(n, "45200").population)
    assert gz.by_postcode("99999") == []


def test_paris_lyon_marseille_arrondissement_postcodes_map_to_the_commune(gz):
    assert gz.find("Paris", "75015").insee == "75056"
    assert gz.find("Lyon", "69003").insee == "69123"
    assert gz.find("Marseille", "13008").insee == "13055"
    assert gz.find("Paris 15e", "75015").insee == "75056"
    assert all(c.insee == "75056" for c in gz.by_postcode("75116"))


# --- « Où ? » ---------------------------------------------------------------------------------------


def test_search_exact_name_first_then_region_then_population(gz):
    assert [c.name for c in gz.search("tours", 3, region="24")] == ["Tours", "Joué-lès-Tours", "Chambray-lès-Tours"]
    found = [c.name for c in gz.search("tours", 5)]  # no région: names starting with the text first
    assert found[0] == "Tours" and all(name.startswith("Tours") for name in found)
    assert gz.search("orleans")[0].name == "Orléans"


def test_search_any_word_and_saint(gz):
    assert gz.search("jean de braye")[0].name == "Saint-Jean-de-Braye"
    assert gz.search("st jean de b")[0].name == "Saint-Jean-de-Braye"
    assert gz.search("chatre")[0].name == "La Châtre"


def test_search_by_postcode_prefix(gz):
    found = gz.search("45", 5)
    assert found[0].name == "Orléans" and all(c.dept == "45" for c in found)
    assert [c.name for c in gz.search("45800")] == ["Saint-Jean-de-Braye", "Combleux"]


def test_search_prefers_the_configured_region(gz):
    assert [c.dept for c in gz.search("olivet", region="52")] == ["53", "45"]
    assert [c.dept for c in gz.search("olivet")] == ["45", "53"]
    assert gz.search("") == [] and gz.search("zzzzqx") == []


def test_french_contractions_for_messages_and_pages(gz):
    assert gz.by_insee("45234").of_name == "d'Orléans"
    assert gz.by_insee("72181").of_name == "du Mans" and gz.by_insee("72181").in_name == "au Mans"
    assert gz.by_insee("37261").of_name == "de Tours" and gz.by_insee("37261").in_name == "à Tours"
    assert gz.find("La Châtre", "36400").of_name == "de La Châtre"


def test_nearest(gz):
    (km, commune), *_ = gz.nearest(47.9029, 1.9093, 3)
    assert commune.name == "Orléans" and km < 2


# --- address check ----------------------------------------------------------------------------------


def test_official_spelling_passes(gz):
    assert check_address(gz, "45000", "Orléans") is None
    assert check_address(gz, "53410", "Olivet") is None
    assert check_address(gz, "72000", "Le Mans") is None  # outside the home région: still valid


def test_wrong_case_is_a_warning_with_the_official_spelling(gz):
    verdict = check_address(gz, "37000", "tours")
    assert not verdict.is_error and verdict.field == "city"
    assert verdict.message == "la commune « tours » s'écrit « Tours »"
    assert verdict.suggestion == "Tours" and verdict.commune.insee == "37261"


def test_abbreviated_saint_is_a_warning(gz):
    verdict = check_address(gz, "45800", "St Jean de Braye")
    assert not verdict.is_error
    assert "« Saint-Jean-de-Braye »" in verdict.message


def test_missing_article_is_a_warning(gz):
    verdict = check_address(gz, "72000", "Mans")
    assert not verdict.is_error and verdict.suggestion == "Le Mans"


def test_former_commune_is_a_warning_naming_the_current_one(gz):
    verdict = check_address(gz, "41700", "Contres")
    assert not verdict.is_error
    assert verdict.commune.name == "Le Controis-en-Sologne"
    assert "Le Controis-en-Sologne" in verdict.message


def test_wrong_pairing_is_an_error_listing_the_communes_of_the_postcode(gz):
    verdict = check_address(gz, "45200", "Orléans")
    assert verdict.is_error and verdict.field == "postcode"
    assert verdict.message.startswith("le code postal 45200 ne correspond pas à « Orléans » : communes de 45200 : ")
    assert "Amilly" in verdict.message and "Montargis" in verdict.message
    assert "45000, 45100" in verdict.message  # where Orléans really is


def test_typo_suggests_the_close_commune(gz):
    verdict = check_address(gz, "45200", "Montargsi")
    assert verdict.is_error and verdict.suggestion == "Montargis"
    assert "vouliez-vous dire « Montargis »" in verdict.message


def test_unknown_postcode(gz):
    verdict = check_address(gz, "99999", "Orléans")
    assert verdict.is_error and verdict.field == "postcode"
    assert verdict.message.startswith("code postal 99999 inconnu")
    assert verdict.suggestion is None or verdict.suggestion in ("45000", "45100")


def test_cedex_is_refused(gz):
    verdict = check_address(gz, "45000", "Orléans Cedex 1")
    assert verdict.is_error and "CEDEX" in verdict.message


def test_homonym_in_the_wrong_departement_is_an_error(gz):
    verdict = check_address(gz, "45160", "Saint-Aignan")
    assert verdict.is_error
    assert "Loir-et-Cher" in verdict.message  # says where the homonyms are


# --- the build script -------------------------------------------------------------------------------


def _script():
    spec = importlib.util.spec_from_file_location("build_gazetteer", REPO / "scripts" / "build_gazetteer.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_build_script_reads_wkb_and_rejects_misplaced_town_halls():
    b = _script()
    square = [(1.0, 47.0), (2.0, 47.0), (2.0, 48.0), (1.0, 48.0), (1.0, 47.0)]
    ring = struct.pack("<I", len(square)) + b"".join(struct.pack("<dd", x, y) for x, y in square)
    polygon = struct.pack("<BII", 1, 3, 1) + ring
    multi = struct.pack("<BII", 1, 6, 1) + polygon
    assert b.wkb_point(struct.pack("<BIdd", 1, 1, 1.5, 47.5).hex()) == (47.5, 1.5)
    polygons = b.wkb_polygons(multi.hex())
    lat, lon = b.centroid(polygons)
    assert abs(lat - 47.5) < 1e-9 and abs(lon - 1.5) < 1e-9
    assert b.inside((47.5, 1.5), polygons) and not b.inside((47.5, 3.0), polygons)
    row = {"mairie_localisation": struct.pack("<BIdd", 1, 1, 47.5, 47.5).hex(), "geometry": multi.hex()}
    point, radius, how = b.position(row)  # latitude copied into the longitude: the centroid is used
    assert how == "misplaced_town_hall" and point == (lat, lon) and radius > 50
