"""The content model: the default abstract loads faithfully, and bad files are reported by file and line."""

from __future__ import annotations

import re

import pytest

from jakdeck.cli import main
from jakdeck.model import load_document

from .conftest import ABSTRACT, FIXTURES, ROOT

SECTIONS = ["jak-inhibitors", "atopic-dermatitis", "alopecia-areata", "safety"]


@pytest.fixture(scope="module")
def doc():
    return load_document(ROOT / "content" / "jak-inhibitors.yaml")


def _paragraphs() -> list[str]:
    return [" ".join(p.split()) for p in ABSTRACT.read_text(encoding="utf-8").split("\n\n") if p.strip()]


def test_title_author_affiliation_match_the_abstract(doc):
    paras = _paragraphs()
    assert doc.title == paras[0].lstrip("# ")
    assert doc.author_line == "Yong Hyun Jang"
    assert [a.name for a in doc.affiliations] == [
        "Department of Dermatology, School of Medicine, Kyungpook National University, Daegu, Korea"]
    assert doc.authors[0].affiliations == (1,)


def test_four_sections_hold_the_authors_paragraphs_verbatim(doc):
    authored = [s for s in doc.sections if s.source]
    assert [s.id for s in authored] == SECTIONS
    body = _paragraphs()[3:]
    assert [s.source for s in authored] == body
    for s in authored:
        assert s.points and s.notes and s.heading


def test_safety_statement_is_one_line_with_close_monitoring(doc):
    assert "close monitoring" in doc.safety.text
    assert "\n" not in doc.safety.text
    assert doc.safety.span[1] is not None  # it knows its line


def test_drug_table_follows_the_facts(doc):
    table = doc.section("drugs").of("table")[0]
    assert table.header[:5] == ("Drug", "Brand", "JAK targets", "Route", "Usual dose")
    drugs = {row[0].lower(): row for row in table.rows}
    assert drugs["upadacitinib"][2] == "JAK1"
    assert drugs["abrocitinib"][2] == "JAK1"
    assert drugs["baricitinib"][2] == "JAK1, JAK2"
    assert drugs["deuruxolitinib"][2] == "JAK1, JAK2"
    assert "JAK3" in drugs["ritlecitinib"][2] and "JAK1" not in drugs["ritlecitinib"][2]
    assert drugs["ruxolitinib cream"][3] == "Topical"
    assert drugs["delgocitinib"][3] == "Topical"
    # approved for AD in the EU, UK, Japan and Korea, not by the FDA (tests/test_facts.py checks every cell)
    ad = drugs["baricitinib"][5].split("AD: ", 1)[1]
    assert "Japan" in ad and "not US" in ad and "EU only" not in ad
    boxed = doc.section("monitoring").of("bullets")[0]
    assert boxed.heading.startswith("Boxed warning") and len(boxed.items) == 5


def _bad(kind: str):
    files = sorted(FIXTURES.glob("bad/*.yaml"))
    return [f for f in files if f"# kind: {kind}" in f.read_text(encoding="utf-8")]


def _expected(path) -> list[str]:
    return re.findall(r"^# expect: (.*)$", path.read_text(encoding="utf-8"), re.M)


@pytest.mark.parametrize("path", _bad("content"), ids=lambda p: p.stem)
def test_bad_content_is_reported_by_file_and_line(path, tmp_path, capsys):
    status = main(["build", "--content", str(path), "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert status == 1
    lines = err.strip().splitlines()
    for want in _expected(path):
        assert any(want in line for line in lines), f"{want!r} not in:\n{err}"
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("path", _bad("config"), ids=lambda p: p.stem)
def test_bad_config_is_reported_by_file_and_line(path, tmp_path, capsys):
    status = main(["build", "--config", str(path), "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert status == 1
    for want in _expected(path):
        assert any(want in line for line in err.splitlines()), f"{want!r} not in:\n{err}"
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []
