"""The import direction stays one way: model, style and text know nothing of scene consumers or renderers."""

from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent / "jakdeck"
LOWER = {"model", "schema", "yamlsrc", "units", "errors", "fonts", "style", "theme", "text", "config", "resources"}
RENDER = {"render_pptx", "render_pdf", "pptx_xml", "pptx_master"}


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
    allowed = {"scene", "text", "pptx_xml", "pptx_master", "__init__"}
    for module in RENDER - {"pptx_xml"}:
        assert _imports(module) <= allowed | {""}, (module, _imports(module))


def test_composers_do_not_import_renderers():
    for path in PKG.glob("compose*.py"):
        assert not (_imports(path.stem) & RENDER), path.stem
