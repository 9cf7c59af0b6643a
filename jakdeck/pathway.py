"""Pathway graphs for the JAK-STAT figures, built from the knowledge base in data.

A :class:`Pathway` is a small typed graph – cytokines, receptor chains, JAKs,
STATs, dimers, outputs and drugs, joined by typed edges – grouped into
receptor complexes and cells.  It knows nothing of geometry; the figure
composer lays it out, and tests check its edges against the facts.
"""

from __future__ import annotations

from dataclasses import field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import Diagnostic, InputError
from .records import record, replace
from .yamlsrc import Source, load_yaml

KB_PATH = Path(__file__).resolve().parent / "knowledge" / "jak-stat.yaml"


@record
class Node:
    """A molecule, output or drug in a figure; ``name`` is the gene symbol or the drug's id."""

    id: str
    kind: str          # cytokine | chain | jak | stat | dimer | output | drug
    label: str
    name: str = ""
    route: str = ""


@record
class Edge:
    """A typed relation: binds, associates, phosphorylates, dimerises, translocates, produces, inhibits."""

    src: str
    dst: str
    kind: str


@record
class Complex:
    """A receptor complex: its cytokines, chains (in order), JAKs, STAT, dimer and output."""

    key: str
    cytokines: tuple[str, ...]
    chains: tuple[str, ...]
    jaks: tuple[str, ...]
    mapped: bool                 # True: each JAK sits on a chain (see jak_on); False: the pair is drawn unassigned
    stat: str
    dimer: str
    output: str | None = None
    jak_on: tuple[str | None, ...] = ()   # for mapped complexes: the JAK on each chain, or None
    straddles: bool = False      # unassigned pair: every JAK is drawn across the boundary of the chains
    binding: tuple[str | None, ...] = ()  # per cytokine: the chain node its arrow lands on (None: the complex)


@record
class Cell:
    """A cell (or, for single-cell figures, the one cell) holding receptor complexes."""

    id: str
    label: str
    complexes: tuple[Complex, ...]
    output: str | None = None    # the cell's nuclear output (loop figures)


@record
class Pathway:
    """A figure's graph: nodes, edges, cells, drugs, numbered steps, and its alt text."""

    id: str
    kind: str                    # mechanism | receptors | loop
    nodes: dict[str, Node]
    edges: tuple[Edge, ...]
    cells: tuple[Cell, ...]
    drugs: tuple[str, ...]
    steps: tuple[str, ...] = ()
    alt: str = ""
    outputs: tuple[tuple[tuple[str, ...], str], ...] = field(default=())  # (complex keys, output node)

    def label(self, node_id: str) -> str:
        return self.nodes[node_id].label

    def edges_of(self, kind: str) -> list[Edge]:
        return [e for e in self.edges if e.kind == kind]


DRAW_RULES = ("pair_straddles_both_chains",)
TRANS_SUFFIX = " (trans-presented)"


@lru_cache(maxsize=1)
def knowledge() -> dict[str, Any]:
    """The knowledge base (chains, cytokines, drugs, steps, default figures), its drawing rules checked."""
    src = load_yaml(KB_PATH)
    problems = check_knowledge(src)
    if problems:
        raise InputError(problems)
    return src.data


def check_knowledge(src: Source) -> list[Diagnostic]:
    """Problems with the drawing rules of the knowledge base's receptor entries, located in its file."""
    diags: list[Diagnostic] = []
    for key, entry in (src.data.get("cytokines") or {}).items():
        diags += _check_entry(src, ("cytokines", key), entry)
    return diags


def _check_entry(src: Source, path: tuple, entry: dict) -> list[Diagnostic]:
    chains = list(entry.get("chains") or [])
    mapping = entry.get("jak_by_chain")
    rule = entry.get("draw_rule")
    diags = []
    if rule is not None and rule not in DRAW_RULES:
        diags.append(src.diag(path + ("draw_rule",), f"unknown draw_rule '{rule}'", "known: " + ", ".join(DRAW_RULES)))
    if mapping is None and rule != "pair_straddles_both_chains":
        diags.append(src.diag(path, "a receptor without a verified chain mapping (jak_by_chain: null) needs "
                                    "draw_rule: pair_straddles_both_chains"))
    if mapping is not None and rule is not None:
        diags.append(src.diag(path + ("draw_rule",), "draw_rule applies only when jak_by_chain is null"))
    if mapping is None and len(entry.get("jaks") or []) < 1:
        diags.append(src.diag(path, "an unassigned receptor needs its jaks listed"))
    for field_name in ("ligand_binding_chain", "presenting_chain"):
        gene = entry.get(field_name)
        if gene is not None and gene not in chains:
            diags.append(src.diag(path + (field_name,), f"{field_name} '{gene}' is not one of the chains "
                                                        f"{', '.join(chains)}"))
    presenting = entry.get("presenting_chain")
    if presenting is not None:
        if mapping and presenting in mapping:
            diags.append(src.diag(path + ("presenting_chain",), "a presenting chain carries no JAK"))
        if presenting == entry.get("ligand_binding_chain"):
            diags.append(src.diag(path + ("presenting_chain",), "the presenting chain is not drawn, so the ligand "
                                                                "cannot land on it"))
    return diags


def _drug_nodes(kb: dict, drug_ids: list[str]) -> dict[str, Node]:
    out = {}
    for d in drug_ids:
        info = kb["drugs"][d]
        label = info["label"] + (" (topical)" if info["route"] == "topical" else "")
        out[f"drug:{d}"] = Node(f"drug:{d}", "drug", label, d, info["route"])
    return out


def _complex(kb: dict, keys: list[str], nodes: dict[str, Node], edges: list[Edge], prefix: str) -> Complex:
    """One receptor complex for cytokine entries *keys* that share the same chains and JAKs."""
    entry = kb["cytokines"][keys[0]]
    cid = f"{prefix}{keys[0]}"
    cyto_ids, binding_genes = [], []
    for k in keys:
        name = kb["cytokines"][k]["cytokine"]
        nid = f"{cid}:cytokine:{name}"
        if nid not in nodes:
            # a cytokine handed over in trans by another cell's chain is labelled so
            label = name + (TRANS_SUFFIX if kb["cytokines"][k].get("presenting_chain") else "")
            nodes[nid] = Node(nid, "cytokine", label, name)
            cyto_ids.append(nid)
            binding_genes.append(kb["cytokines"][k].get("ligand_binding_chain"))
    chains = []
    # the presenting chain sits on the other cell: it is never drawn among the responding cell's chains
    drawn_genes = [g for g in entry["chains"] if g != entry.get("presenting_chain")]
    for gene in drawn_genes:
        nid = f"{cid}:chain:{gene}"
        nodes[nid] = Node(nid, "chain", kb["chains"][gene], gene)
        chains.append(nid)
        for c in cyto_ids:
            edges.append(Edge(c, nid, "binds"))
    mapping = entry.get("jak_by_chain")
    jaks = []
    jak_on: list[str | None] = []
    if mapping:
        for gene, chain_id in zip(drawn_genes, chains):
            jak = mapping.get(gene)
            jak_on.append(None)
            if jak:
                nid = f"{cid}:jak:{jak}@{gene}"
                nodes[nid] = Node(nid, "jak", jak, jak)
                jaks.append(nid)
                jak_on[-1] = nid
                edges.append(Edge(chain_id, nid, "associates"))
    else:
        for jak in entry["jaks"]:
            nid = f"{cid}:jak:{jak}"
            nodes[nid] = Node(nid, "jak", jak, jak)
            jaks.append(nid)
    stat_name = entry["stats"][0]
    stat = f"{cid}:stat:{stat_name}"
    nodes[stat] = Node(stat, "stat", stat_name, stat_name)
    dimer = f"{cid}:dimer"
    nodes[dimer] = Node(dimer, "dimer", f"{stat_name} dimer", stat_name)
    for j in jaks:
        edges.append(Edge(j, stat, "phosphorylates"))
    edges.append(Edge(stat, dimer, "dimerises"))
    binding = tuple(f"{cid}:chain:{g}" if g else None for g in binding_genes)
    return Complex(cid, tuple(cyto_ids), tuple(chains), tuple(jaks), bool(mapping), stat, dimer,
                   jak_on=tuple(jak_on), straddles=entry.get("draw_rule") == "pair_straddles_both_chains",
                   binding=binding)


def _block(nodes: dict[str, Node], edges: list[Edge], drugs: list[str], kb: dict) -> None:
    """Inhibition edges from each drug to every JAK node it targets, and to no other."""
    for d in drugs:
        targets = set(kb["drugs"][d]["targets"])
        for n in list(nodes.values()):
            if n.kind == "jak" and (n.name in targets or "JAK" in targets):
                edges.append(Edge(f"drug:{d}", n.id, "inhibits"))


def build_pathway(fig_id: str, spec: dict[str, Any]) -> Pathway:
    """Build the graph of figure *fig_id* from its spec (kind, cytokines or cells, drugs)."""
    kb = knowledge()
    nodes: dict[str, Node] = {}
    edges: list[Edge] = []
    drugs = list(spec.get("drugs") or [])
    kind = spec["kind"]
    steps: tuple[str, ...] = ()
    outputs: list[tuple[tuple[str, ...], str]] = []
    if kind == "mechanism":
        cid = "generic"
        cyto = f"{cid}:cytokine"
        nodes[cyto] = Node(cyto, "cytokine", "Cytokine")
        chains, jaks = [], []
        for i in (1, 2):
            ch = f"{cid}:chain:{i}"
            nodes[ch] = Node(ch, "chain", "Receptor")
            jk = f"{cid}:jak:{i}"
            nodes[jk] = Node(jk, "jak", "JAK", "JAK")
            edges += [Edge(cyto, ch, "binds"), Edge(ch, jk, "associates")]
            chains.append(ch)
            jaks.append(jk)
        stat, dimer, gene = f"{cid}:stat", f"{cid}:dimer", f"{cid}:gene"
        nodes[stat] = Node(stat, "stat", "STAT", "STAT")
        nodes[dimer] = Node(dimer, "dimer", "STAT dimer", "STAT")
        nodes[gene] = Node(gene, "output", "Gene transcription")
        edges += [Edge(jaks[0], jaks[1], "phosphorylates"), Edge(jaks[1], jaks[0], "phosphorylates")]
        edges += [Edge(j, stat, "phosphorylates") for j in jaks]
        edges += [Edge(stat, dimer, "dimerises"), Edge(dimer, gene, "translocates")]
        cells = (Cell("cell", "", (Complex(cid, (cyto,), tuple(chains), tuple(jaks), True, stat, dimer, gene,
                                           tuple(jaks)),)),)
        steps = tuple(s["text"] for s in kb["steps"])
    elif kind == "receptors":
        groups: list[list[str]] = []
        for key in spec["cytokines"]:
            entry = kb["cytokines"][key]
            for g in groups:
                other = kb["cytokines"][g[0]]
                if set(other["chains"]) == set(entry["chains"]) and other.get("jak_by_chain") == entry.get(
                        "jak_by_chain"):
                    g.append(key)
                    break
            else:
                groups.append([key])
        complexes = [_complex(kb, g, nodes, edges, "") for g in groups]
        outcome_text = spec.get("outcomes") or {}
        # neighbouring complexes with the same outcome share one output node
        done: list[Complex] = []
        run: list[Complex] = []
        for cx, g in zip(complexes, groups):
            text = outcome_text.get(g[0])
            if run and text and outcome_text.get(run[0].key) == text:
                run.append(cx)
            else:
                if run:
                    done += _attach_output(run, outcome_text.get(run[0].key), nodes, edges, outputs)
                run = [cx]
        done += _attach_output(run, outcome_text.get(run[0].key) if run else None, nodes, edges, outputs)
        cells = (Cell("cell", "", tuple(done)),)
    elif kind == "loop":
        cells_list = []
        cyto_by_cell = []
        for i, c in enumerate(spec["cells"]):
            cx = _complex(kb, [c["cytokine"]], nodes, edges, f"cell{i + 1}:")
            out = f"cell{i + 1}:output"
            nodes[out] = Node(out, "output", c["output"])
            # in the two-cell loop the STAT's nuclear effect is drawn directly as the cell's output
            edges[:] = [e for e in edges if e.dst != cx.dimer]
            del nodes[cx.dimer]
            cx = replace(cx, dimer="", output=out)
            edges.append(Edge(cx.stat, out, "translocates"))
            cells_list.append(Cell(f"cell{i + 1}", c["label"], (cx,), out))
            cyto_by_cell.append(cx.cytokines[0])
        for i, cell in enumerate(cells_list):  # each cell's output makes the other cell's cytokine
            target = cyto_by_cell[(i + 1) % len(cells_list)]
            edges.append(Edge(cell.output, target, "produces"))
        cells = tuple(cells_list)
    else:
        raise InputError(Diagnostic(f"figure '{fig_id}': unknown kind '{kind}'"))
    nodes.update(_drug_nodes(kb, drugs))
    _block(nodes, edges, drugs, kb)
    alt = spec.get("alt") or _alt_text(kind, nodes, cells, drugs, kb)
    return Pathway(fig_id, kind, nodes, tuple(edges), cells, tuple(f"drug:{d}" for d in drugs), steps, alt,
                   tuple(outputs))


def _attach_output(run: list[Complex], text: str | None, nodes: dict[str, Node], edges: list[Edge],
                   outputs: list) -> list[Complex]:
    if not text or not run:
        return run
    out = f"output:{run[0].key}"
    nodes[out] = Node(out, "output", text)
    for cx in run:
        edges.append(Edge(cx.dimer, out, "translocates"))
    outputs.append((tuple(cx.key for cx in run), out))
    return run


def _alt_text(kind: str, nodes: dict[str, Node], cells: tuple[Cell, ...], drugs: list[str], kb: dict) -> str:
    """One or two sentences naming the signals, their JAKs and STATs, and what each drug blocks."""
    if kind == "mechanism":
        named = [kb["drugs"][d]["label"] for d in drugs if d != "jak-inhibitor"]
        who = " and ".join(named) if named else "a JAK inhibitor"
        return (f"The JAK-STAT pathway in {len(kb['steps'])} numbered steps, from a cytokine binding its receptor "
                f"chains through JAK and STAT phosphorylation to gene transcription in the nucleus; {who} "
                f"{'block' if len(named) > 1 else 'blocks'} the JAK pair.")
    parts = []
    for cell in cells:
        for cx in cell.complexes:
            cytos = " and ".join(nodes[c].label for c in cx.cytokines)
            jaks = "/".join(nodes[j].label for j in cx.jaks)
            unassigned = " (chain assignment unverified)" if cx.straddles else ""
            parts.append(f"{cytos} via {jaks}{unassigned} to {nodes[cx.stat].label}")
    blocks = [f"{kb['drugs'][d]['label']} blocks {'/'.join(t for t in kb['drugs'][d]['targets'])}" for d in drugs]
    where = "between a hair-follicle cell and a CD8+ T cell" if kind == "loop" else "in the skin"
    text = f"JAK-STAT signalling {where}: " + "; ".join(parts) + "."
    if blocks:
        text += " " + "; ".join(blocks) + "."
    return text


FIGURE_KINDS = ("mechanism", "receptors", "loop")


def validate_figure_spec(src: Source, path: tuple, spec: Any) -> list[Diagnostic]:
    """Problems with a content file's figure spec (unknown kinds, cytokines or drugs)."""
    kb = knowledge()
    diags = []
    if not isinstance(spec, dict):
        return [src.diag(path, "a figure must be a mapping with kind, and cytokines or cells, and drugs")]
    kind = spec.get("kind")
    if kind not in FIGURE_KINDS:
        return [src.diag(path + ("kind",), f"figure kind must be one of {', '.join(FIGURE_KINDS)} (got {kind!r})")]
    allowed = {"kind", "cytokines", "cells", "drugs", "outcomes", "alt"}
    for key in spec:
        if key not in allowed:
            diags.append(src.diag(path + (key,), f"unknown key '{key}' in a figure",
                                  "allowed: " + ", ".join(sorted(allowed))))
    for i, d in enumerate(spec.get("drugs") or []):
        if d not in kb["drugs"]:
            diags.append(src.diag(path + ("drugs", i), f"unknown drug '{d}'",
                                  "known: " + ", ".join(kb["drugs"])))
    keys = list(spec.get("cytokines") or []) + [c.get("cytokine") for c in spec.get("cells") or []
                                                if isinstance(c, dict)]
    for k in keys:
        if k not in kb["cytokines"]:
            diags.append(src.diag(path, f"unknown cytokine receptor '{k}'", "known: " + ", ".join(kb["cytokines"])))
    if kind == "receptors" and not spec.get("cytokines"):
        diags.append(src.diag(path, "a receptors figure needs a list of cytokines"))
    if kind == "loop":
        cells = spec.get("cells")
        if not isinstance(cells, list) or len(cells) != 2 or not all(
                isinstance(c, dict) and {"label", "cytokine", "output"} <= set(c) for c in cells):
            diags.append(src.diag(path, "a loop figure needs two cells, each with label, cytokine and output"))
    return diags
