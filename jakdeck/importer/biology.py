"""What biology an abstract names, matched against the knowledge base, and the figures that follow.

The names come from ``knowledge/names.yaml`` (data); every id there is checked
against the pathway knowledge base on load.  Only what the knowledge base
knows is drawn: a cytokine, kinase or kinase-inhibitor drug written in the usual
nomenclature (a cytokine number, "XYZ inhibitor", an INN stem) that it does not
know gets no figure and a warning naming it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ..errors import Diagnostic, InputError
from ..pathway import knowledge
from ..yamlsrc import load_yaml

NAMES_PATH = Path(__file__).resolve().parent.parent / "knowledge" / "names.yaml"
MAX_COMPLEXES = 4            # receptor complexes in one figure; more make a second figure

# generic nomenclature (data: knowledge/nomenclature.yaml): how a cytokine, a kinase target or a
# kinase-inhibitor drug is usually written, for names the knowledge base does not know
_NOMENCLATURE = yaml.safe_load((NAMES_PATH.parent / "nomenclature.yaml").read_text(encoding="utf-8"))
_CYTOKINE_LIKE = re.compile(_NOMENCLATURE["cytokine_like"])
_KINASE_LIKE = re.compile(_NOMENCLATURE["kinase_like"])
_JAK_INHIBITOR_LIKE = re.compile(_NOMENCLATURE["jak_inhibitor_like"])
_NOT_KINASE = re.compile(_NOMENCLATURE["not_kinases"])


@dataclass(frozen=True)
class Mention:
    kind: str        # cytokine | drug | disease | not_drawn | family
    key: str         # the names.yaml key (cytokine label, drug id, disease heading)
    start: int
    end: int
    text: str = ""   # as written


def _pattern(name: str) -> re.Pattern:
    parts = [re.escape(p) for p in re.split(r"[-\s]+", name) if p]
    body = r"[-\s]?".join(parts)
    flags = re.IGNORECASE if any(c.islower() for c in name) else 0
    return re.compile(rf"(?<![\w-]){body}(?![0-9])(?![A-QS-Za-z])", flags)


def _check(names: dict, kb: dict, file: str) -> list[Diagnostic]:
    problems = []
    for label, entry in (names.get("cytokines") or {}).items():
        for rid in entry.get("ids") or []:
            if rid not in kb["cytokines"]:
                problems.append(Diagnostic(f"cytokine '{label}' maps to '{rid}', which jak-stat.yaml does not have",
                                           file))
    for did in names.get("drugs") or {}:
        if did not in kb["drugs"]:
            problems.append(Diagnostic(f"drug '{did}' is not in jak-stat.yaml", file))
    return problems


@lru_cache(maxsize=1)
def vocabulary() -> tuple[tuple[str, str, re.Pattern], ...]:
    """Every (kind, key, pattern) of names.yaml, longest name first, its ids checked against the KB."""
    src = load_yaml(NAMES_PATH)
    data: dict[str, Any] = src.data
    problems = _check(data, knowledge(), src.file)
    if problems:
        raise InputError(problems)
    entries: list[tuple[str, str, str]] = []
    for label, entry in data["cytokines"].items():
        entries += [("cytokine", label, n) for n in entry["names"]]
    for kind in ("drugs", "not_drawn", "diseases"):
        for key, names in data[kind].items():
            entries += [(kind.rstrip("s") if kind != "not_drawn" else kind, key, n) for n in names]
    entries += [("family", "family", n) for n in data["family"]]
    entries.sort(key=lambda e: -len(e[2]))
    return tuple((kind, key, _pattern(name)) for kind, key, name in entries)


def cytokine_ids(label: str) -> tuple[str, ...]:
    """The receptor complexes the knowledge base draws for the cytokine *label*."""
    data = load_yaml(NAMES_PATH).data
    return tuple(data["cytokines"][label]["ids"])


def mentions(text: str) -> list[Mention]:
    """What *text* names, in order of appearance; overlapping matches go to the longest name."""
    taken: list[tuple[int, int]] = []
    found = []
    for kind, key, pat in vocabulary():
        for m in pat.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            found.append(Mention(kind, key, m.start(), m.end(), m.group(0)))
    return sorted(found, key=lambda m: m.start)


def unknown_names(text: str, known: list[Mention]) -> list[tuple[str, str]]:
    """(what, name) for cytokines, kinase targets and kinase-inhibitor drugs written in *text* that the KB lacks."""
    kb = knowledge()
    kinases = set(kb["jaks"]) | {"JAK", "STAT"} | set(kb["stats"]) | {t for d in kb["drugs"].values()
                                                                      for t in d["targets"]}
    covered = [(m.start, m.end) for m in known]

    def free(m: re.Match) -> bool:
        return not any(m.start() < e and s < m.end() for s, e in covered)

    out: list[tuple[str, str]] = []
    for m in _CYTOKINE_LIKE.finditer(text):
        if free(m):
            out.append(("cytokine", m.group(0)))
    for m in _KINASE_LIKE.finditer(text):
        name = m.group(1)
        if free(m) and name not in kinases and not _NOT_KINASE.match(name) and not _CYTOKINE_LIKE.fullmatch(name):
            out.append(("kinase", name))
    for m in _JAK_INHIBITOR_LIKE.finditer(text):
        if free(m):
            out.append(("drug", m.group(0)))
    return list(dict.fromkeys(out))


def figure_specs(section_id: str, paragraph_mentions: list[Mention], all_drugs: list[str],
                 drawn: set[str] | None = None) -> list[tuple[str, dict]]:
    """Receptor figures for the cytokines a paragraph names (less those *drawn* already, which it
    updates), with the blocks of the named drugs that hit them."""
    kb = knowledge()
    drawn = set() if drawn is None else drawn
    complexes: list[str] = []
    for m in paragraph_mentions:
        if m.kind == "cytokine":
            complexes += [c for c in cytokine_ids(m.key) if c not in complexes and c not in drawn]
    drawn.update(complexes)
    if not complexes:
        return []
    here = [m.key for m in paragraph_mentions if m.kind == "drug"]
    drugs = list(dict.fromkeys(here or all_drugs))
    out = []
    chunks = [complexes[i:i + MAX_COMPLEXES] for i in range(0, len(complexes), MAX_COMPLEXES)]
    for n, chunk in enumerate(chunks):
        jaks = set()
        for c in chunk:
            entry = kb["cytokines"][c]
            jaks |= set((entry.get("jak_by_chain") or {}).values()) | set(entry.get("jaks") or [])
        hits = [d for d in drugs if set(kb["drugs"][d]["targets"]) & jaks]
        fid = f"{section_id}-receptors" + (f"-{n + 1}" if len(chunks) > 1 else "")
        spec: dict[str, Any] = {"kind": "receptors", "cytokines": chunk}
        if hits:
            spec["drugs"] = hits
        out.append((fid, spec))
    return out


def drug_label(drug_id: str) -> str:
    """The drug's name as the knowledge base writes it."""
    return knowledge()["drugs"][drug_id]["label"]


def drug_rows(drug_ids: list[str]) -> list[list[str]]:
    """Drug table rows (name, JAK targets, route) from the knowledge base, for the drugs named."""
    kb = knowledge()["drugs"]
    return [[kb[d]["label"], ", ".join(kb[d]["targets"]), kb[d]["route"].capitalize()] for d in drug_ids]
