"""Pathway figures: the science against the fact sheet's table, the geometry, and every output."""

from __future__ import annotations

import io
import math

import pdfplumber
import pytest
import yaml
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from jakdeck.compose_pathway import compose_pathway
from jakdeck.pathway import build_pathway, knowledge
from jakdeck.scene import Box, Line, Rect, TextBlock, walk
from jakdeck.text import Typesetter
from jakdeck.theme import load_theme

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


def _presented_chain(fact) -> str | None:
    """The chain the fact sheet's loop rule keeps off the responding cell (IL15RA_on_presenting_..._or_omitted)."""
    rule = fact.get("draw_rule_aa_loop")
    return rule.split("_on_")[0] if rule else None


@pytest.mark.parametrize("fid", ["atopic-dermatitis", "alopecia-areata"])
def test_receptor_edges_equal_the_facts(fid):
    pw = _pathway(fid)
    spec = KB["figures"][fid]
    keys = spec.get("cytokines") or [c["cytokine"] for c in spec["cells"]]
    complexes = _complexes(pw)
    for key in keys:
        fact = FACTS["cytokines"][key]
        drawn = set(fact["chains"]) - {_presented_chain(fact)}
        matches = [cx for cx in complexes if _names(pw, cx.chains) == drawn
                   and fact["cytokine"] in {pw.nodes[c].name for c in cx.cytokines}]
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
        binds = {(pw.nodes[e.src].name, pw.nodes[e.dst].name) for e in pw.edges
                 if e.kind == "binds" and e.dst in cx.chains}
        assert {(fact["cytokine"], c) for c in drawn} <= binds
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
    produced = {(pw.label(e.src), pw.nodes[e.dst].name) for e in pw.edges_of("produces")}
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


@pytest.mark.parametrize("fid", FIGURES + ["every-receptor", "swapped-loop"])
@pytest.mark.parametrize("size", [18.0, 24.0])
def test_geometry_no_overlaps_inside_the_box_min_text_and_edges_around_nodes(fid, size):
    ts = Typesetter(load_theme().families)
    box = Box(10, 10, 2000, 2000) if fid in FIGURES else Box(10, 10, 8000, 3000)
    group = compose_pathway(_any_pathway(fid), ts, box, size, size)
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


def test_figure_pngs_are_palette_images_two_pixels_a_point_drawn_as_in_full_colour(default_build):
    from PIL import Image, ImageChops, ImageStat

    from jakdeck.compose_figures import compose_figures
    from jakdeck.render_png import PngRenderer
    figures = compose_figures(default_build.scenes["talk"])
    full = PngRenderer(figures, 144)
    for page in figures.pages:
        with Image.open(io.BytesIO(default_build.files[f"figures/{page.role}.png"])) as png:
            assert png.mode == "P"
            assert png.size == (math.ceil(page.width * 2), math.ceil(page.height * 2))
            assert 1000 <= max(png.size) <= 1600            # a size for a document or a web page
            with Image.open(io.BytesIO(full.render(page))) as rgb:
                diff = ImageStat.Stat(ImageChops.difference(png.convert("RGB"), rgb))
        assert max(diff.mean) < 2 and max(hi for _lo, hi in diff.extrema) < 40   # no colour lost to the palette


def test_unknown_figure_ingredients_are_located_errors(tmp_path):
    from jakdeck.content import load_document
    from jakdeck.errors import InputError
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


# ---- the fact sheet's drawing rules, checked on the laid-out scene -------------------------------

# every receptor of the knowledge base in one figure, and a loop with its cells swapped, so that a
# receptor added later (with or without a verified chain mapping) is covered by the rules below
EXTRA_SPECS = {
    "every-receptor": {"kind": "receptors", "cytokines": list(KB["cytokines"]), "drugs": ["baricitinib"]},
    "swapped-loop": {"kind": "loop", "drugs": ["ritlecitinib", "upadacitinib"], "cells": [
        {"label": "CD8+ NKG2D+ T\u00a0cell", "cytokine": "IL-15", "output": "IFN-γ ↑"},
        {"label": "Hair-follicle epithelium", "cytokine": "IFN-gamma", "output": "IL-15 ↑"}]},
}
RULE_FIGURES = ["atopic-dermatitis", "alopecia-areata"] + list(EXTRA_SPECS)   # the mechanism has no real receptor


def _any_pathway(fid):
    return build_pathway(fid, EXTRA_SPECS[fid]) if fid in EXTRA_SPECS else _pathway(fid)


def _laid_out(pw, size=18.0):
    ts = Typesetter(load_theme().families)
    return list(walk(compose_pathway(pw, ts, Box(0, 0, 8000, 3000), size, size).items))


def _shapes(items) -> dict[str, Box]:
    """Node id -> the box of its shape in the scene."""
    return {i.role.split("/node:")[1].removesuffix("/shape"): i.box for i in items
            if isinstance(i, Rect) and "/node:" in i.role and i.role.endswith("/shape")}


def _fact(cx):
    return FACTS["cytokines"][cx.key.split(":")[-1]]


def _text(block: TextBlock) -> str:
    return " ".join("".join(r.text for r in p.runs) for p in block.paragraphs)


def _overlap(a: Box, b: Box) -> float:
    """How far two boxes overlap horizontally (negative: the gap between them)."""
    return min(a.right, b.right) - max(a.x, b.x)


@pytest.mark.parametrize("fid", RULE_FIGURES)
def test_an_unassigned_jak_pair_straddles_both_chains(fid):
    """draw_rule pair_straddles_both_chains (jak_by_chain null): no JAK lies wholly under one chain."""
    pw = _any_pathway(fid)
    shapes = _shapes(_laid_out(pw))
    checked = 0
    for cx in _complexes(pw):
        fact = _fact(cx)
        if fact["jak_by_chain"] is not None and fact.get("draw_rule") != "pair_straddles_both_chains":
            continue
        assert {pw.nodes[j].name for j in cx.jaks} == set(fact["jaks"])
        for j in cx.jaks:
            for c in cx.chains:
                assert _overlap(shapes[j], shapes[c]) >= 1.0, (cx.key, pw.label(j), "not under", pw.label(c))
            checked += 1
    if fid in ("atopic-dermatitis", "every-receptor"):
        assert checked >= 2   # IL-31 (and IL-5) are drawn, so the rule was exercised


@pytest.mark.parametrize("fid", RULE_FIGURES)
def test_the_ligand_arrow_lands_on_its_binding_chain(fid):
    pw = _any_pathway(fid)
    items = _laid_out(pw)
    shapes = _shapes(items)
    checked = 0
    for cx in _complexes(pw):
        gene = _fact(cx).get("ligand_binding_chain")
        if not gene:
            continue
        binding = next(c for c in cx.chains if pw.nodes[c].name == gene)
        for cyto in cx.cytokines:
            path = [i for i in items if isinstance(i, Line) and f"/edge:{cyto}->receptor/" in i.role]
            heads = [i for i in path if i.head]
            assert len(heads) == 1, cyto
            tip = Box(heads[0].x2, heads[0].y2, 0, 0)
            tail = Box(path[0].x1, path[0].y1, 0, 0)
            assert shapes[cyto].contains(tail, tol=0.5), (fid, pw.label(cyto), "arrow does not leave the cytokine")
            assert shapes[binding].contains(tip, tol=0.5), (fid, pw.label(cyto), "misses", gene)
            others = [c for c in cx.chains if c != binding and shapes[c].contains(tip, tol=0.5)]
            assert not others, (fid, pw.label(cyto), "lands on", [pw.label(c) for c in others])
            checked += 1
    if fid != "atopic-dermatitis":
        assert checked  # IFN-γ is in the loops and in the every-receptor figure


@pytest.mark.parametrize("fid", [f for f in RULE_FIGURES if "loop" in f or f == "alopecia-areata"])
def test_the_presenting_chain_never_sits_on_the_responding_cell(fid):
    """draw_rule_aa_loop: IL-15Rα sits on the presenting follicle cell, or is left out and the signal says
    it is trans-presented; nothing of it lies in the responding T cell's region."""
    pw = _any_pathway(fid)
    items = _laid_out(pw)
    shapes = _shapes(items)
    outlines = {i.role.rsplit("/", 1)[-1].removesuffix(":outline"): i.box for i in items
                if isinstance(i, Rect) and i.role.endswith(":outline")}
    ruled = [(cell, cx) for cell in pw.cells for cx in cell.complexes if _presented_chain(_fact(cx))]
    assert ruled
    for cell, cx in ruled:
        gene = _presented_chain(_fact(cx))
        label = KB["chains"][gene]
        region = outlines[cell.id]
        mine = [i for i in items if (f"chain:{gene}" in i.role or (isinstance(i, TextBlock) and label in _text(i)))]
        inside = [i.role for i in mine if not isinstance(i, Line) and _overlap(i.box, region) > 0]
        assert not inside, (fid, cell.label, inside)
        presenter = [c for c in pw.cells if c is not cell][0]
        on_presenter = [i for i in mine if not isinstance(i, Line) and _overlap(i.box, outlines[presenter.id]) > 0]
        cyto = cx.cytokines[0]
        labels = [_text(i) for i in items if isinstance(i, TextBlock) and i.role.endswith(f"/node:{cyto}/label")]
        assert on_presenter or (labels and "trans-presented" in labels[0]), (fid, labels)
        assert _overlap(shapes[cyto], region) > 0   # the signal still reaches the responding cell


def test_the_built_svgs_follow_the_drawing_rules(default_build):
    """The delivered files, not only the scene: IL-31's JAKs straddle its chains; IL-15Rα is not on the T cell."""
    import re
    svg = default_build.files["figures/atopic-dermatitis.svg"].decode()
    boxes: dict[str, list[Box]] = {}
    for x, y, w, h, text in re.findall(r'<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"[^>]*/>\s*'
                                       r'<text[^>]*>(?:<tspan[^>]*>([^<]*)</tspan>)', svg):
        boxes.setdefault(text, []).append(Box(float(x), float(y), float(w), float(h)))
    fact = FACTS["cytokines"]["IL-31"]
    assert fact["jak_by_chain"] is None
    chains = [boxes[KB["chains"][g]][0] for g in fact["chains"]]
    left, right = min(c.x for c in chains), max(c.right for c in chains)
    for jak in fact["jaks"]:
        under = [b for b in boxes[jak] if b.x >= left - 0.5 and b.right <= right + 0.5 and b.y > chains[0].y]
        assert len(under) == 1, jak
        assert all(_overlap(under[0], c) >= 1.0 for c in chains), jak
    aa = default_build.files["figures/alopecia-areata.svg"].decode()
    assert KB["chains"]["IL2RB"] in aa and "trans-presented" in aa
    assert KB["chains"][_presented_chain(FACTS["cytokines"]["IL-15"])] not in aa


def test_the_knowledge_base_checks_its_drawing_rules():
    import copy

    from jakdeck.pathway import check_knowledge
    from jakdeck.yamlsrc import Source
    assert check_knowledge(Source("kb", KB)) == []
    bad = copy.deepcopy(KB)
    del bad["cytokines"]["IL-31"]["draw_rule"]                       # unassigned pair without its rule
    bad["cytokines"]["IFN-gamma"]["ligand_binding_chain"] = "OSMR"   # not one of its chains
    bad["cytokines"]["IL-15"]["jak_by_chain"]["IL15RA"] = "JAK1"     # a JAK on the presenting chain
    msgs = " | ".join(d.message for d in check_knowledge(Source("kb", bad)))
    assert "needs draw_rule: pair_straddles_both_chains" in msgs
    assert "ligand_binding_chain 'OSMR' is not one of the chains" in msgs
    assert "a presenting chain carries no JAK" in msgs


def test_the_knowledge_base_carries_the_fact_sheets_receptors_and_drawing_rules():
    for key, fact in FACTS["cytokines"].items():
        entry = KB["cytokines"][key]
        assert entry["cytokine"] == fact["cytokine"] and entry["chains"] == fact["chains"], key
        assert entry["jak_by_chain"] == fact["jak_by_chain"], key
        assert entry.get("draw_rule") == fact.get("draw_rule", "pair_straddles_both_chains" if fact[
            "jak_by_chain"] is None else None), key
        assert entry.get("ligand_binding_chain") == fact.get("ligand_binding_chain"), key
        assert entry.get("presenting_chain") == _presented_chain(fact), key
