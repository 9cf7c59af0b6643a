"""The importer: abstracts of every shape (tests/fixtures/abstracts: invented texts) → content → talk and poster."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pdfplumber
import pytest
import yaml
from pptx import Presentation

from jakdeck.build import build, default_content_path
from jakdeck.cli import main
from jakdeck.content import load_document
from jakdeck.importer import content_from_text, content_yaml, import_file
from jakdeck.importer.summarise import rules
from jakdeck.verify import scene_problems

from .conftest import ABSTRACT, FIXTURES

ABSTRACTS = FIXTURES / "abstracts"
BUILDABLE = ["one-paragraph.txt", "ten-paragraphs.md", "six-authors.txt", "no-affiliation.txt",
             "vitiligo-results.txt", "psoriasis-crlf-tabs.txt"]


def _flat(text: str) -> str:
    return " ".join(text.split())


def _pptx_texts(data: bytes) -> list[str]:
    prs = Presentation(io.BytesIO(data))
    out = []
    for slide in prs.slides:
        out.append(_flat(" ".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)))
    return out


def _pdf_text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return _flat(" ".join(page.extract_text() or "" for page in pdf.pages))


def _import_and_build(path: Path, tmp_path: Path):
    imported = import_file(path)
    content = tmp_path / (path.stem + ".yaml")
    content.write_text(content_yaml(imported), encoding="utf-8")
    return imported, content, build(content)


# -- the seed abstract: the author's text, exactly -------------------------------------------------

def test_seed_abstract_imports_to_the_authors_text_exactly():
    imported = import_file(ABSTRACT)
    doc = load_document(default_content_path())   # hand-checked content holding the author's paragraphs
    data = imported.data
    assert data["title"] == doc.title
    assert [a["name"] for a in data["authors"]] == [a.name for a in doc.authors]
    assert [a["name"] for a in data["affiliations"]] == [a.name for a in doc.affiliations]
    sources = [s["source"] for s in data["sections"] if "source" in s]
    assert sources == [s.source for s in doc.sections if s.source]
    assert len(sources) == 4
    raw_lines = [ln for ln in ABSTRACT.read_text(encoding="utf-8").splitlines() if len(ln) > 200]
    assert sources == raw_lines   # verbatim, as the file has them
    assert "close monitoring" in data["safety"]
    heads = [s["heading"] for s in data["sections"]]
    assert "Atopic dermatitis" in heads and "Alopecia areata" in heads


# -- every fixture: a readable content file, a talk and a poster with its title and authors ----------

@pytest.mark.parametrize("name", BUILDABLE)
def test_fixture_imports_to_readable_content_and_builds(name, tmp_path):
    imported, content, built = _import_and_build(ABSTRACTS / name, tmp_path)
    text = content.read_text(encoding="utf-8")
    assert text.count("\n#") >= 10                       # commented for a person to edit
    assert "key_points" in text and "source" in text
    assert yaml.safe_load(text) == imported.data        # the comments change nothing
    doc = load_document(content)
    for scene in built.scenes.values():
        assert scene_problems(scene) == []               # the layout invariants
    slides = _pptx_texts(built.files["talk.pptx"])
    poster = _pdf_text(built.files["poster.pdf"])
    assert _flat(doc.title) in slides[0]
    assert _flat(doc.title) in poster
    for author in doc.authors:
        assert author.name in slides[0], author.name
        assert author.name in poster, author.name
    assert all(doc.safety.text in s for s in slides)    # the footer on every slide
    assert len(doc.sections) >= len(imported.data["sections"]) >= 1


def test_building_the_text_equals_building_its_import(tmp_path):
    path = ABSTRACTS / "vitiligo-results.txt"
    _imported, _content, from_yaml = _import_and_build(path, tmp_path)
    direct = build(path)
    assert _pptx_texts(direct.files["talk.pptx"]) == _pptx_texts(from_yaml.files["talk.pptx"])
    assert _pdf_text(direct.files["poster.pdf"]) == _pdf_text(from_yaml.files["poster.pdf"])


def test_six_authors_map_to_four_affiliations():
    data = import_file(ABSTRACTS / "six-authors.txt").data
    assert len(data["authors"]) == 6 and len(data["affiliations"]) == 4   # the footnote line is not one
    by_name = {a["name"]: a["affiliations"] for a in data["authors"]}
    assert by_name["Lucas Moreau"] == [1, 2]
    assert by_name["Mehmet Yılmaz"] == [1, 4]
    assert data["affiliations"][2]["name"].startswith("Division of Allergy")


def test_hangul_and_accents_survive_the_import_and_the_build():
    path = ABSTRACTS / "hangul-accents.txt"
    data = import_file(path).data
    names = [a["name"] for a in data["authors"]]
    assert names == ["김민지", "José Álvarez-Núñez", "Zoë Lefèvre", "Seán O'Connor"]
    # the two trailing spaces (a Markdown line break) are dropped
    assert data["affiliations"][0]["name"] == "경북대학교 의과대학 피부과학교실, 대구, 대한민국"
    assert [a["affiliations"] for a in data["authors"]] == [[1], [2], [2], [1]]
    built = build(path)                          # Hangul is set in a fallback font (jakdeck/fallback.yaml)
    talk, poster = " ".join(_pptx_texts(built.files["talk.pptx"])), _pdf_text(built.files["poster.pdf"])
    for name in names + ["경북대학교 의과대학 피부과학교실"]:
        assert name in talk and name in poster, name


def test_crlf_tabs_and_a_bom_read_as_plain_text(tmp_path):
    raw = (ABSTRACTS / "psoriasis-crlf-tabs.txt").read_bytes()
    assert b"\r\n" in raw and b"\t" in raw              # the fixture is what it claims
    data = import_file(ABSTRACTS / "psoriasis-crlf-tabs.txt").data
    assert [a["name"] for a in data["authors"]] == ["Carmen Ruiz", "Olusegun Adeyemi", "Hye-jin Park"]
    assert all("\t" not in s["source"] and "\r" not in s["source"] for s in data["sections"] if "source" in s)
    bom = tmp_path / "bom.txt"
    bom.write_bytes(b"\xef\xbb\xbf" + raw)
    assert import_file(bom).data == data | {}           # the same content


def test_latin1_is_read_with_a_warning_never_mojibake(tmp_path):
    text = (ABSTRACTS / "no-affiliation.txt").read_text(encoding="utf-8")
    path = tmp_path / "latin1.txt"
    path.write_bytes(text.encode("cp1252"))
    imported = import_file(path)
    assert [a["name"] for a in imported.data["authors"]] == ["Ada Nwosu", "Björn Eriksson"]
    assert any("not UTF-8" in w.message and w.line == 3 for w in imported.warnings)


def test_docx_abstract_made_with_python_docx(tmp_path):
    import docx
    d = docx.Document()
    d.add_paragraph("Interleukin 13 and itch in adult atopic dermatitis", style="Title")
    byline = d.add_paragraph()
    people = (("Noor Hassan", "1", ", "), ("Élodie Marchand", "1,2", " and "), ("Kenji Watanabe", "2", ""))
    for name, mark, sep in people:
        byline.add_run(name)
        byline.add_run(mark).font.superscript = True
        byline.add_run(sep)
    for n, inst in ((1, "Department of Dermatology, Amsterdam Skin Centre, Amsterdam, the Netherlands"),
                    (2, "Laboratory of Itch Research, Osaka Medical Institute, Osaka, Japan")):
        p = d.add_paragraph()
        p.add_run(str(n)).font.superscript = True
        p.add_run(" " + inst)
    body = ["Interleukin 13 is a central type 2 cytokine of atopic dermatitis, and itch is the symptom that "
            "troubles patients most in daily life.",
            "We measured itch scores in 64 adults before and after 16 weeks of upadacitinib 15 mg daily; the "
            "mean score fell by 58% (p < 0.001), and laboratory safety monitoring found no new signals."]
    for b in body:
        d.add_paragraph(b)
    path = tmp_path / "abstract.docx"
    d.save(path)
    imported, _content, built = _import_and_build(path, tmp_path)
    data = imported.data
    assert data["title"] == "Interleukin 13 and itch in adult atopic dermatitis"
    assert [(a["name"], a["affiliations"]) for a in data["authors"]] == [
        ("Noor Hassan", [1]), ("Élodie Marchand", [1, 2]), ("Kenji Watanabe", [2])]
    assert [s["source"] for s in data["sections"] if "source" in s] == body
    slides = _pptx_texts(built.files["talk.pptx"])
    assert all(a["name"] in slides[0] for a in data["authors"])
    assert data["figures"][next(iter(data["figures"]))]["cytokines"] == ["IL-13"]


# -- sections drawn from paragraphs -----------------------------------------------------------------

def _all_imported():
    return [import_file(ABSTRACTS / n) for n in BUILDABLE + ["hangul-accents.txt"]] + [import_file(ABSTRACT)]


def test_key_points_are_whole_words_of_the_paragraph_short_distinct_and_never_dangling():
    r = rules()
    dangling = set(r["dangling"])
    for imported in _all_imported():
        for s in imported.data["sections"]:
            if "source" not in s:
                continue
            source_words = {w.strip(".") for w in re.findall(r"[\w.%±<>=-]+", s["source"].lower())}
            points = s.get("key_points", [])
            assert points and len(points) <= r["points_per_section"]
            assert len({p.lower() for p in points}) == len(points)
            for p in points:
                words = p.split()
                assert words[-1].lower().strip(",;:") not in dangling, p
                assert words[0].lower() not in ("and", "or", "but", "while", "whereas", "although"), p
                for w in re.findall(r"[\w.%±<>=-]+", p.lower()):
                    assert w.strip(".") in source_words, (w, p)   # no word cut or invented
                has_numbers = re.search(r"(?<![\w-])\d", p)
                assert len(words) <= (r["point_words_with_numbers"] + 8 if has_numbers else r["point_words"] + 4), p


def test_numbers_in_results_are_kept_intact():
    data = import_file(ABSTRACTS / "vitiligo-results.txt").data
    results = next(s for s in data["sections"] if s["heading"] == "Results")
    point = " ".join(results["key_points"])
    for number in ("31.4%", "8.6%", "p < 0.001"):
        assert number in point
    methods = next(s for s in data["sections"] if s["heading"] == "Methods")
    assert "(n = 140)" in " ".join(methods["key_points"])


def test_headings_name_what_the_paragraph_is_about_and_are_unique():
    for imported in _all_imported():
        heads = [s["heading"] for s in imported.data["sections"]]
        assert len({h.lower() for h in heads}) == len(heads)
        for h in heads:
            assert len(h.split()) <= rules()["heading_words"], h
            assert h.split()[-1].lower() not in rules()["dangling"], h
    heads = [s["heading"] for s in import_file(ABSTRACTS / "psoriasis-crlf-tabs.txt").data["sections"]]
    assert heads[0] == "Psoriasis" and heads[-1] == rules()["safety_heading"]


def test_notes_are_the_paragraph_verbatim_and_the_footer_is_never_empty():
    for imported in _all_imported():
        assert imported.data["safety"].strip()
    generic = import_file(ABSTRACTS / "no-affiliation.txt")
    assert generic.data["safety"] == rules()["generic_safety"]
    assert "not from the abstract" in generic.data["safety"]
    assert any("says nothing about safety" in w.message for w in generic.warnings)
    six = import_file(ABSTRACTS / "six-authors.txt").data
    assert "monitored" in six["safety"]


def test_one_paragraph_and_ten_paragraphs():
    one = import_file(ABSTRACTS / "one-paragraph.txt").data
    assert len([s for s in one["sections"] if "source" in s]) == 1
    ten = import_file(ABSTRACTS / "ten-paragraphs.md").data
    paras = [s for s in ten["sections"] if "source" in s]
    assert len(paras) == 10
    assert paras[0]["heading"] == "Background"                   # the Markdown heading
    assert not paras[0]["source"].startswith("<!--")


# -- figures from the biology ------------------------------------------------------------------------

def test_vitiligo_names_ifn_gamma_and_ruxolitinib_cream_and_gets_that_figure(tmp_path):
    imported, _content, built = _import_and_build(ABSTRACTS / "vitiligo-results.txt", tmp_path)
    assert imported.data["figures"] == {"vitiligo-receptors": {"kind": "receptors", "cytokines": ["IFN-gamma"],
                                                               "drugs": ["ruxolitinib-cream"]}}
    svg = built.files["figures/vitiligo-receptors.svg"].decode()
    for label in ("IFN-γ", "JAK1", "JAK2", "STAT1", "Ruxolitinib cream"):
        assert label in svg
    for absent in ("JAK3", "TYK2", "STAT6"):
        assert absent not in svg
    table = next(s for s in imported.data["sections"] if s["heading"] == rules()["drugs_heading"])
    assert [row[0] for row in table["blocks"][0]["table"]["rows"]] == ["Ruxolitinib cream"]   # only the named


def test_psoriasis_names_only_what_the_knowledge_base_does_not_draw(tmp_path):
    imported, _content, built = _import_and_build(ABSTRACTS / "psoriasis-crlf-tabs.txt", tmp_path)
    assert "figures" not in imported.data
    assert not [n for n in built.files if n.startswith("figures/")]
    messages = " ".join(w.message for w in imported.warnings)
    for name in ("IL-23", "IL-17", "tofacitinib", "deucravacitinib"):
        assert name in messages
    assert all(w.line for w in imported.warnings)          # located at the paragraph
    assert not any(s["heading"] == rules()["drugs_heading"] for s in imported.data["sections"])


def _abstract(paragraph: str) -> str:
    return f"A test title\n\nAnn Author\n\nDept of Tests, Test University, Testville\n\n{paragraph}\n"


@pytest.mark.parametrize("spelling", ["IFN-γ", "IFN-gamma", "IFNγ", "interferon gamma", "Interferon-γ", "IFN gamma"])
def test_ifn_gamma_by_any_spelling(spelling):
    data = content_from_text(_abstract(f"In this disease {spelling} from T cells drives the lesions of the "
                                       "skin in most of the patients seen."), "t.txt").data
    assert [f["cytokines"] for f in data["figures"].values()] == [["IFN-gamma"]]


@pytest.mark.parametrize("spelling", ["IL-4", "IL4", "interleukin-4", "Interleukin 4", "IL-4Rα"])
def test_il4_by_any_spelling(spelling):
    data = content_from_text(_abstract(f"Signalling by {spelling} in the skin drives type 2 inflammation "
                                       "in most of the patients seen."), "t.txt").data
    assert [f["cytokines"] for f in data["figures"].values()] == [["IL-4_type_I", "IL-4_type_II"]]


@pytest.mark.parametrize("text,name", [("IL-1 and IL-40 drive the lesions", "IL-1"),
                                       ("a BTK inhibitor was tried in the patients", "BTK"),
                                       ("interleukin-6 is raised in the serum", "interleukin-6"),
                                       ("oral tofacitinib was given to the patients", "tofacitinib")])
def test_what_the_knowledge_base_lacks_gets_no_figure_and_a_warning(text, name):
    imported = content_from_text(_abstract(f"In our clinic {text} for twelve weeks without change."), "t.txt")
    assert "figures" not in imported.data
    assert any(name in w.message and w.severity == "warning" and w.line == 7 for w in imported.warnings)


def test_tslp_and_il22_names_get_their_receptors_with_the_drugs_that_block_them():
    data = content_from_text(_abstract("Thymic stromal lymphopoietin and IL-22 drive the disease, and "
                                       "ritlecitinib and abrocitinib were tested in these patients."), "t.txt").data
    (spec,) = data["figures"].values()
    assert spec["cytokines"] == ["TSLP", "IL-22"]
    assert spec["drugs"] == ["abrocitinib"]       # ritlecitinib (JAK3, TEC) blocks neither receptor


def test_no_drug_or_cytokine_names_in_the_importers_python():
    from jakdeck.pathway import knowledge
    kb = knowledge()
    names = {d["label"].lower() for d in kb["drugs"].values()} | {k.lower() for k in kb["cytokines"]}
    names |= {c["cytokine"].lower() for c in kb["cytokines"].values()}
    code = " ".join(p.read_text(encoding="utf-8").lower() for p in
                    (Path(__file__).resolve().parent.parent / "jakdeck" / "importer").glob("*.py"))
    assert not [n for n in names if re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", code)]


def test_the_names_table_is_checked_against_the_knowledge_base():
    from jakdeck.importer.biology import _check
    from jakdeck.pathway import knowledge
    problems = _check({"cytokines": {"IL-99": {"ids": ["IL-99"], "names": ["IL-99"]}},
                       "drugs": {"nodrugitinib": ["x"]}}, knowledge(), "names.yaml")
    assert len(problems) == 2 and "IL-99" in problems[0].message


# -- the command line ---------------------------------------------------------------------------------

def test_cli_import_writes_content_that_build_builds(tmp_path, capsys):
    src = tmp_path / "abstract.txt"
    src.write_bytes((ABSTRACTS / "vitiligo-results.txt").read_bytes())
    assert main(["import", str(src)]) == 0
    out = tmp_path / "abstract.yaml"
    assert out.exists() and str(out) in capsys.readouterr().out
    assert main(["build", "--content", str(out), "--out", str(tmp_path / "o")]) == 0
    assert (tmp_path / "o" / "talk.pptx").exists() and (tmp_path / "o" / "poster.pdf").exists()
    assert main(["import", str(src), "-o", str(src)]) == 1
    assert "would replace the abstract" in capsys.readouterr().err


def test_cli_import_of_a_bad_file_is_a_located_error(tmp_path, capsys):
    bad = tmp_path / "empty.txt"
    bad.write_text("\n\n", encoding="utf-8")
    assert main(["import", str(bad), "-o", "-"]) == 1
    assert "empty.txt: error: the file is empty" in capsys.readouterr().err
    only_title = tmp_path / "title.txt"
    only_title.write_text("Just a title\n", encoding="utf-8")
    assert main(["build", "--content", str(only_title), "--out", str(tmp_path / "o")]) == 1
    assert "title.txt:2: error: no authors line" in capsys.readouterr().err
