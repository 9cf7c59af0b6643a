"""The import direction stays one way: model, style and text know nothing of scene consumers or renderers."""

from __future__ import annotations

import ast
import re
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent / "jakdeck"
LOWER = {"model", "schema", "yamlsrc", "units", "errors", "fonts", "style", "text", "config", "resources", "content",
         "talk_layout"}
RENDER = {"render_pptx", "render_pdf", "pptx_xml"}


def _imports(module: str) -> set[str]:
    tree = ast.parse((PKG / f"{module}.py").read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
            out.add(node.module.split(".")[0])
    return out


def test_lower_layers_do_not_import_composers_or_renderers():
    for module in LOWER:
        bad = {m for m in _imports(module) if m.startswith("compose") or m in RENDER or m in {"build", "cli"}}
        assert not bad, f"{module} imports {bad}"


def test_renderers_read_only_the_scene():
    allowed = {"scene", "text", "pptx_xml", "__init__"}
    for module in RENDER - {"pptx_xml"}:
        assert _imports(module) <= allowed | {""}, (module, _imports(module))


def test_composers_do_not_import_renderers():
    for path in PKG.glob("compose*.py"):
        assert not (_imports(path.stem) & RENDER), path.stem


DOMAIN = re.compile(r"baricitinib|upadacitinib|abrocitinib|ritlecitinib|deuruxolitinib|ruxolitinib|delgocitinib|"
                    r"tofacitinib|atopic|alopecia|dermatitis|eczema|vitiligo|psoriasis|rheumatoid|\bIL-\d|\bIFN|"
                    r"\bTNF|\bJAK\d|\bTYK2|\bSTAT\d|interleukin|interferon|Rinvoq|Olumiant|Cibinqo|Litfulo",
                    re.IGNORECASE)
KNOWLEDGE_BASE = {"pathway.py"}   # the loader of jakdeck/knowledge/, the one module that may name them


def test_no_module_but_the_knowledge_base_loader_names_a_drug_disease_or_cytokine():
    found = []
    for path in sorted(PKG.rglob("*.py")):
        if path.name in KNOWLEDGE_BASE:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            m = DOMAIN.search(line)
            if m:
                found.append(f"{path.relative_to(PKG)}:{n}: {m.group(0)}")
    assert found == []


def test_the_domain_check_finds_a_drug_name():
    assert DOMAIN.search("rows = ['Baricitinib', 'JAK1']") and DOMAIN.search("IL-13 signals")
    assert not DOMAIN.search("a table block with a header row")
