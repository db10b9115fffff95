"""NAF data (both generations), its mapping to our categories, and reading codes in every notation."""

from __future__ import annotations

import re

import openpyxl
import pytest
from conftest import REPO

from ccdir.content.naf import (
    GENERATIONS,
    MappingError,
    Nomenclature,
    check_mapping,
    generation_in_header,
    load_mapping,
    parse_generation,
)


@pytest.fixture(scope="module")
def naf() -> Nomenclature:
    return Nomenclature.load()


def test_both_generations_are_complete_with_official_labels(naf):
    assert naf.count("rev2") == 732 and naf.count("2025") == 747
    assert all(re.fullmatch(r"\d{2}\.\d{2}[A-FZ]", c.code) for c in naf.codes.values() if c.generation == "rev2")
    assert all(re.fullmatch(r"\d{2}\.\d{2}[GHJKLY]", c.code) for c in naf.codes.values() if c.generation == "2025")
    assert naf.codes["56.10A"].label == "Restauration traditionnelle"
    assert naf.codes["56.30Z"].label == "Débits de boissons"
    assert naf.codes["47.25Z"].label == "Commerce de détail de boissons en magasin spécialisé"
    assert naf.codes["56.11G"].label == "Restauration traditionnelle"
    assert naf.codes["56.30Y"].label == "Activités de débit de boissons"
    assert naf.codes["46.89Y"].label == "Autre commerce de gros spécialisé n.c.a."
    assert all(c.label and c.label == " ".join(c.label.split()) for c in naf.codes.values())


def test_the_shipped_mapping_names_existing_codes_and_categories(naf, catalog):
    mapping = load_mapping()
    assert check_mapping(mapping, naf, catalog) == []
    in_scope = {g: sum(1 for c in mapping.entries if naf.codes[c].generation == g) for g in GENERATIONS}
    assert in_scope["rev2"] > 80 and in_scope["2025"] > 80
    assert mapping.scope(naf.codes["56.30Z"]).categories == ("bar",)
    assert mapping.scope(naf.codes["56.30Y"]).categories == ("bar",)
    assert mapping.scope(naf.codes["10.71C"]).kind == "artisan"
    assert not mapping.scope(naf.codes["64.19Z"]).in_scope  # a bank
    assert not mapping.scope(naf.codes["65.12Z"]).in_scope  # an insurer
    assert mapping.scope(naf.codes["47.78C"]).in_scope and mapping.scope(naf.codes["47.78C"]).categories == ()


def test_mapping_checks_catch_unknown_codes_categories_and_generation_mixups(naf, catalog, tmp_path):
    bad = tmp_path / "naf.yaml"
    bad.write_text(
        'rev2:\n  "56.10A": {kind: restaurant, categories: [resto]}\n  "56.11G": {categories: [bar]}\n'
        '  "12.34Z": {categories: [bar]}\n"2025":\n  "56.30Y": {kind: bar, categories: [bar]}\n',
        encoding="utf-8",
    )
    problems = check_mapping(load_mapping(bad), naf, catalog)
    text = "\n".join(problems)
    assert "naf.yaml:2 : 56.10A : catégorie « resto » absente de content/categories.yaml" in text
    assert "naf.yaml:4 : code NAF 12.34Z inconnu" in text
    assert "56.11G est un code NAF 2025 : placez-le dans sa section" in text
    assert "« Restauration traditionnelle » a des catégories différentes selon la génération" in text
    assert "« Débits de boissons »" not in text  # rev. 2's label differs from 56.30Y's: nothing to compare
    bad.write_text('rev2:\n  "56.10A": {kind: chef, categories: [restaurant]}\n', encoding="utf-8")
    with pytest.raises(MappingError, match="kind « chef » inconnu"):
        load_mapping(bad)


@pytest.mark.parametrize(
    "text",
    [
        "56.10A",
        "5610A",
        "56.10 A",
        "5610a",
        "56 10 A",
        " 56.10A ",
        "5610A - Restauration traditionnelle",
        "56.10A – Restauration traditionnelle",
        "56.10A Restauration traditionnelle",
        "Restauration traditionnelle",
        "RESTAURATION TRADITIONNELLE",
        "restauration traditionelle",
    ],
)
def test_every_notation_of_a_rev2_code(naf, text):
    reading = naf.read(text)
    assert reading.error is None and reading.code.code == "56.10A"


@pytest.mark.parametrize(
    "text,code",
    [
        ("Debits de boissons", "56.30Z"),
        ("Débits de boissons", "56.30Z"),
        ("Commerce de detail de boissons en magasin specialise", "47.25Z"),
        ("5611g", "56.11G"),
        ("56.11G - Restauration traditionnelle", "56.11G"),
        ("4724Y", "47.24Y"),
        ("Activités de débit de boissons", "56.30Y"),
        ("47.24Z Comm. détail pain, pâtisserie", "47.24Z"),
    ],
)
def test_labels_without_accents_and_2025_codes(naf, text, code):
    reading = naf.read(text)
    assert reading.error is None and reading.code.code == code


def test_a_class_without_its_letter_needs_the_generation_when_both_define_it(naf):
    reading = naf.read("47.24")
    assert reading.code is None
    assert "code NAF « 47.24 » incomplet" in reading.error and "--naf rev2 ou --naf 2025" in reading.error
    assert "47.24Z Commerce de détail de pain" in reading.error and "47.24Y" in reading.error
    assert naf.read("47.24", "rev2").code.code == "47.24Z"
    assert naf.read("4724", "2025").code.code == "47.24Y"
    assert naf.read(56.3, "2025").code.code == "56.30Y"  # Excel turned « 56.30 » into a number
    assert naf.read("56.12").code.code == "56.12Y"  # the class only exists in NAF 2025
    # A label in both generations: the chosen generation's code.
    assert naf.read("Restauration traditionnelle", "2025").code.code == "56.11G"
    # A full code tells its generation, whatever was asked; the mismatch is said.
    reading = naf.read("56.10A", "2025")
    assert reading.code.code == "56.10A" and "est un code NAF rév. 2" in reading.warning


def test_bad_codes_and_conflicts_are_explained(naf):
    assert "la classe 56.10 a pour sous-classes 56.10A Restauration traditionnelle" in naf.read("56.10X").error
    assert "ni en NAF rév. 2 ni en NAF 2025" in naf.read("99.99Z").error
    assert naf.read("5610A - Débits de boissons").error == (
        "le code 56.10A (« Restauration traditionnelle ») et le libellé « Débits de boissons » (56.30Z) ne "
        "concordent pas : corrigez l'un ou l'autre"
    )
    assert "libellé NAF « Astronautique » inconnu" in naf.read("Astronautique").error


def test_generation_from_options_and_headers():
    assert [parse_generation(t) for t in ("rev2", "rév. 2", "2008", "NAF 2025", "25", "3")] == [
        "rev2",
        "rev2",
        "rev2",
        "2025",
        "2025",
        None,
    ]
    assert generation_in_header("Code NAF 2025") == "2025"
    assert generation_in_header("activite_principale_naf25") == "2025"
    assert generation_in_header("APE (NAF rév. 2)") == "rev2"
    assert generation_in_header("Code NAF") is None


def test_sources_are_documented():
    sources = (REPO / "src" / "ccdir" / "data" / "SOURCES.md").read_text(encoding="utf-8")
    assert "naf-rev2.csv" in sources and "naf-2025.csv" in sources and "Licence" in sources
    assert (REPO / "scripts" / "build_naf_data.py").is_file()


def test_with_insee_correspondence_a_code_in_scope_must_keep_a_successor_in_scope(naf, catalog, tmp_path):
    # INSEE's table is not shipped (see data/SOURCES.md); when it is, the check below applies.
    rows = {g: [(c.code, c.label) for c in naf.codes.values() if c.generation == g] for g in GENERATIONS}
    with_table = Nomenclature(rows, [("56.10A", "56.11G"), ("56.30Z", "56.30Y"), ("47.11D", "47.11J")])
    assert with_table.correspondence["56.10A"] == ["56.11G"] and with_table.correspondence["56.11G"] == ["56.10A"]
    assert check_mapping(load_mapping(), with_table, catalog) == []
    partial = tmp_path / "naf.yaml"
    partial.write_text('rev2:\n  "56.30Z": {kind: bar, categories: [bar]}\n', encoding="utf-8")
    assert check_mapping(load_mapping(partial), with_table, catalog) == [
        f"{partial.as_posix()} : 56.30Z est dans le champ mais aucun de ses codes NAF 2025 (56.30Y, table de "
        "correspondance de l'INSEE) ne l'est"
    ]


def test_the_rebuild_script_reads_its_sources_and_insee_correspondence_table(tmp_path):
    """scripts/build_naf_data.py on small inputs in the sources' formats (the real files are not in the repo)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_naf_data", REPO / "scripts" / "build_naf_data.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    ts = (
        'export const codesNAF2025: Record<string, string> = {\n  "56.11G": "Restauration traditionnelle",\n'
        '  "01.11Y":\n    "Culture de céréales, à l’exception du riz",\n  "46.89Y": "Autre commerce de gros '
        'spécialisé n.c.a.",\n};\n'
    )
    assert script.parse_ts(ts) == {
        "56.11G": "Restauration traditionnelle",
        "01.11Y": "Culture de céréales, à l’exception du riz",
        "46.89Y": "Autre commerce de gros spécialisé n.c.a.",
    }
    assert script.parse_insee_csv("code;libelle\n5610A;Restauration  traditionnelle\n") == {
        "56.10A": "Restauration traditionnelle"
    }
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Table de correspondance NAF rév. 2 – NAF 2025"])
    ws.append(
        [
            "NACEold-code\n(niveau classe)",
            "NAFold-code\n(code niveau sous-classe de la nomenclature actuelle)",
            "NAFnew-code\n(code niveau sous-classe de la nomenclature 2025, correspondance logique avec les "
            "NAFold-codes)",
        ]
    )
    ws.append(["56.10", "5610A", "5611G"])
    ws.append(["56.10", "56.10A", "56.11G"])  # same pair written with dots: kept once
    ws.append(["56.30", "5630Z", "5630Y"])
    wb.save(tmp_path / "table.xlsx")
    rev2 = {"56.10A": "", "56.30Z": ""}
    naf25 = {"56.11G": "", "56.30Y": ""}
    assert script.read_correspondence(tmp_path / "table.xlsx", rev2, naf25) == [
        ["56.10A", "56.11G"],
        ["56.30Z", "56.30Y"],
    ]
