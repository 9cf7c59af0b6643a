"""Pathway figures: the science against the fact sheet's table, the geometry, and every output."""

from __future__ import annotations

import io

import pdfplumber
import pytest
import yaml
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from jakdeck.compose_pathway import compose_pathway
from jakdeck.pathway import build_pathway, knowledge
from jakdeck.scene import Box, Line, Rect, TextBlock, walk
from jakdeck.style import load_theme
from jakdeck.text import Typesetter

from .conftest import FIXTURES

FACTS = yaml.safe_load((FIXTURES / "domain-facts.yaml").read_text(encoding="utf-8"))
KB = knowledge()
FIGURES = ["mechanism", "atopic-dermatitis", "alopecia-areata"]
FACT_KEY = {"IFN-gamma": "IFN-gamma"}  # knowledge-base keys are the fact sheet's keys


def _pathway(fid):
    return build_pathway(fid, KB["figures"][fid])


def _complexes(pw):
    return [cx for cell in pw.cells for cx in cell.complexes]


def _names(pw, ids):
    return {pw.nodes[i].name for i in ids}


@pytest.mark.parametrize("fid", ["atopic-dermatitis", "alopecia-areata"])
def test_receptor_edges_equal_the_facts(fid):
    pw = _pathway(fid)
    spec = KB["figures"][fid]
    keys = spec.get("cytokines") or [c["cytokine"] for c in spec["cells"]]
    complexes = _complexes(pw)
    for key in keys:
        fact = FACTS["cytokines"][key]
        matches = [cx for cx in complexes if _names(pw, cx.chains) == set(fact["chains"])
                   and fact["cytokine"] in {pw.label(c) for c in cx.cytokines}]
        assert len(matches) == 1, key
        cx = matches[0]
        jaks = _names(pw, cx.jaks)
        assert set(fact["jaks"]) <= jaks <= set(fact["jaks"]) | set(fact.get("jaks_allowed_extra", []))
        assert not jaks & set(fact["jaks_forbidden"])
        chain_jak = {pw.nodes[e.src].name: pw.nodes[e.dst].name for e in pw.edges
                     if e.kind == "associates" and e.src in cx.chains}
        if fact["jak_by_chain"] is None:
            assert chain_jak == {} and not cx.mapped  # unverified: the pair is drawn unassigned
        else:
            assert chain_jak == fact["jak_by_chain"]
        stat = pw.nodes[cx.stat].name
        assert stat in fact["stats_primary"]
        binds = {(pw.label(e.src), pw.nodes[e.dst].name) for e in pw.edges if e.kind == "binds" and e.dst in cx.chains}
        assert {(fact["cytokine"], c) for c in fact["chains"]} <= binds
        assert {e.src for e in pw.edges if e.kind == "phosphorylates" and e.dst == cx.stat} == set(cx.jaks)


@pytest.mark.parametrize("fid", FIGURES)
def test_jak3_only_ever_sits_on_the_common_gamma_chain(fid):
    pw = _pathway(fid)
    for cx in _complexes(pw):
        for j in cx.jaks:
            if pw.nodes[j].name == "JAK3":
                assert cx.mapped
                chain = cx.chains[cx.jak_on.index(j)]
                assert pw.nodes[chain].name == FACTS["families"]["jak3_only_partner_chain"]


@pytest.mark.parametrize("fid", FIGURES)
def test_every_drug_blocks_its_targets_and_nothing_else(fid):
    pw = _pathway(fid)
    jak_nodes = [n for n in pw.nodes.values() if n.kind == "jak"]
    for d in pw.drugs:
        name = pw.nodes[d].name
        targets = set(FACTS["drugs"][name]["targets"]) if name in FACTS["drugs"] else {"JAK"}
        blocked = {e.dst for e in pw.edges if e.kind == "inhibits" and e.src == d}
        assert blocked, d
        assert all(pw.nodes[b].name in targets or "JAK" in targets for b in blocked)
        assert blocked == {n.id for n in jak_nodes if n.name in targets or "JAK" in targets}


def test_topical_drugs_are_labelled_topical():
    pw = build_pathway("t", {"kind": "receptors", "cytokines": ["IL-4_type_II"],
                             "drugs": ["ruxolitinib-cream", "delgocitinib", "upadacitinib"]})
    labels = {pw.nodes[d].name: pw.label(d) for d in pw.drugs}
    for name, label in labels.items():
        assert ("topical" in label) == (FACTS["drugs"][name.replace("-", "_")]["route"] == "topical")


def test_ritlecitinib_only_blocks_the_gamma_c_panel():
    pw = _pathway("alopecia-areata")
    blocked = [e.dst for e in pw.edges if e.kind == "inhibits" and e.src == "drug:ritlecitinib"]
    assert [pw.nodes[b].name for b in blocked] == ["JAK3"]
    ifn = next(cx for cx in _complexes(pw) if "IFN-γ" in {pw.label(c) for c in cx.cytokines})
    assert not set(blocked) & set(ifn.jaks)


def test_the_alopecia_loop_runs_both_ways():
    pw = _pathway("alopecia-areata")
    produced = {(pw.label(e.src), pw.label(e.dst)) for e in pw.edges_of("produces")}
    follicle, tcell = pw.cells
    assert "CD8" in tcell.label and "follicle" in follicle.label.lower()
    assert (pw.label(follicle.output), "IL-15") in produced and (pw.label(tcell.output), "IFN-γ") in produced


def test_mechanism_steps_follow_the_canonical_order():
    ids = [i for step in KB["steps"] for i in step["ids"]]
    assert ids == FACTS["canonical_steps"]
    assert len(_pathway("mechanism").steps) == 8


def test_no_forbidden_cytokines_with_jaks():
    for spec in KB["figures"].values():
        for key in spec.get("cytokines", []):
            assert KB["cytokines"][key]["cytokine"] not in ("IL-17A", "TNF-α")


def _segment_hits_box(x1, y1, x2, y2, b: Box) -> bool:
    """True when the segment passes through the inside of *b* (Liang-Barsky clipping)."""
    t0, t1 = 0.0, 1.0
    dx, dy = x2 - x1, y2 - y1
    for p, q in ((-dx, x1 - b.x), (dx, b.right - x1), (-dy, y1 - b.y), (dy, b.bottom - y1)):
        if p == 0:
            if q < 0:
                return False
        else:
            t = q / p
            if p < 0:
                t0 = max(t0, t)
            else:
                t1 = min(t1, t)
    return t0 < t1 - 1e-6


@pytest.mark.parametrize("fid", FIGURES)
@pytest.mark.parametrize("size", [18.0, 24.0])
def test_geometry_no_overlaps_inside_the_box_min_text_and_edges_around_nodes(fid, size):
    ts = Typesetter(load_theme().families)
    group = compose_pathway(_pathway(fid), ts, Box(10, 10, 2000, 2000), size, size)
    items = list(walk(group.items))
    for item in items:
        box = item.box if not isinstance(item, Line) else Box(min(item.x1, item.x2), min(item.y1, item.y2),
                                                              abs(item.x2 - item.x1), abs(item.y2 - item.y1))
        assert group.box.contains(box, tol=0.5), item.role
    nodes = [i for i in items if isinstance(i, Rect) and "/node:" in i.role]
    for i, a in enumerate(nodes):
        for b in nodes[i + 1:]:
            assert not a.box.intersects(b.box, tol=0.5), (a.role, b.role)
    texts = [i for i in items if isinstance(i, TextBlock)]
    for i, a in enumerate(texts):
        assert min(p.size for p in a.paragraphs) >= size
        for b in texts[i + 1:]:
            assert not a.box.intersects(b.box, tol=0.5), (a.role, b.role)
    for line in (i for i in items if isinstance(i, Line)):
        for n in nodes:
            assert not _segment_hits_box(line.x1, line.y1, line.x2, line.y2, n.box.inset(1.0)), (line.role, n.role)


def _group_texts(shape) -> list[str]:
    out = []
    for s in shape.shapes:
        if s.shape_type == MSO_SHAPE_TYPE.GROUP:
            out += _group_texts(s)
        elif s.has_text_frame and s.text_frame.text:
            out.append(s.text_frame.text)
    return out


def _slide_group(prs, title):
    slide = next(s for s in prs.slides if s.shapes.title.text_frame.text == title)
    return next(s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.GROUP)


def test_talk_slides_hold_grouped_editable_figures(default_build):
    prs = Presentation(io.BytesIO(default_build.files["talk.pptx"]))
    ad = _slide_group(prs, "Atopic dermatitis")
    labels = set(_group_texts(ad))
    for want in ("IL-4", "IL-13", "IL-31", "IL-4Rα", "γc", "IL-13Rα1", "JAK1", "JAK2", "JAK3", "TYK2", "STAT6",
                 "STAT3"):
        assert want in labels, want
    aa = _slide_group(prs, "Alopecia areata")
    aa_labels = " ".join(_group_texts(aa))
    for want in ("IFN-γ", "IL-15", "JAK1", "JAK2", "JAK3", "STAT1", "STAT5", "CD8"):
        assert want in aa_labels, want
    assert "IL-4" in ad._element.xpath(".//p:cNvPr/@descr")[0]
    connectors = [s for s in ad.shapes if s.shape_type == MSO_SHAPE_TYPE.LINE]
    assert connectors and any(c._element.xpath(".//a:tailEnd[@type='arrow']") for c in connectors)
    _slide_group(prs, "JAK inhibitors")


def test_jak3_sits_directly_under_gamma_c_in_the_pptx(default_build):
    prs = Presentation(io.BytesIO(default_build.files["talk.pptx"]))
    for title in ("Atopic dermatitis", "Alopecia areata"):
        group = _slide_group(prs, title)
        texts = [s for s in group.shapes if s.has_text_frame and s.text_frame.text]
        for jak3 in (s for s in texts if s.text_frame.text == "JAK3"):
            above = [s for s in texts if abs(s.left - jak3.left) < 2 and abs(s.top + s.height - jak3.top) < 12700 * 12]
            assert [s.text_frame.text for s in above] == ["γc"], title


def test_poster_carries_the_labels_as_vector_text(default_build):
    with pdfplumber.open(io.BytesIO(default_build.files["poster.pdf"])) as pdf:
        page = pdf.pages[0]
        words = {w["text"] for w in page.extract_words()}
        assert not page.images  # figures are vector drawings, not pictures
    for want in ("IL-4Rα", "γc", "IL-13Rα1", "JAK1", "JAK2", "JAK3", "TYK2", "STAT6", "STAT3", "IFN-γ", "IL-15",
                 "STAT1", "STAT5"):
        assert want in words, want


def test_figure_files_svg_and_png(default_build):
    for fid in FIGURES:
        svg = default_build.files[f"figures/{fid}.svg"].decode()
        assert svg.startswith("<svg") and "JAK" in svg and "<desc>" in svg
        png = default_build.files[f"figures/{fid}.png"]
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert "γc" in default_build.files["figures/atopic-dermatitis.svg"].decode()


def test_unknown_figure_ingredients_are_located_errors(tmp_path):
    from jakdeck.errors import InputError
    from jakdeck.model import load_document
    bad = tmp_path / "c.yaml"
    bad.write_text("title: T\nauthors: [{name: A}]\nsafety: close monitoring\nsections:\n"
                   "  - {id: a, heading: A, source: S., key_points: [p], figure: f}\n"
                   "figures:\n  f: {kind: receptors, cytokines: [IL-99], drugs: [aspirin]}\n")
    with pytest.raises(InputError) as info:
        load_document(bad)
    msg = str(info.value)
    assert "c.yaml:7" in msg and "unknown cytokine receptor 'IL-99'" in msg and "unknown drug 'aspirin'" in msg


@pytest.mark.parametrize("fid", ["mechanism", "atopic-dermatitis"])
def test_dna_sits_in_the_nucleus(fid):
    ts = Typesetter(load_theme().families)
    group = compose_pathway(_pathway(fid), ts, Box(0, 0, 1200, 900), 18, 18)
    items = list(walk(group.items))
    nucleus = next(i for i in items if isinstance(i, Rect) and i.role.endswith("band:nucleus"))
    strands = [i for i in items if isinstance(i, Line) and "/dna:" in i.role]
    assert strands
    for ln in strands:
        assert nucleus.box.contains(Box(min(ln.x1, ln.x2), min(ln.y1, ln.y2), abs(ln.x2 - ln.x1),
                                        abs(ln.y2 - ln.y1)))


def test_the_readme_figure_example_is_valid():
    import re

    from jakdeck.pathway import validate_figure_spec
    from jakdeck.yamlsrc import parse_yaml
    readme = (FIXTURES.parent.parent / "README.md").read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```yaml\n(.*?)```", readme, re.S) if b.startswith("figures:"))
    src = parse_yaml(block, "README.md")
    for fid, spec in src.data["figures"].items():
        assert validate_figure_spec(src, ("figures", fid), spec) == []
        assert build_pathway(fid, spec).edges
