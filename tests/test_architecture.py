"""Imports flow one way, over every module of the package.

Every module sits in a layer and imports (at the top or inside a function) only modules of lower
layers, so there are no cycles and nothing low knows anything high: the content model, styles and
the text engine never reach composers, renderers or the build; composers never reach renderers.
Renderers import only the scene and their small helpers – never the text engine or a composer.
A module missing from the table fails the test until it is placed.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

PKG = Path(__file__).resolve().parent.parent / "jakdeck"

LAYERS: list[set[str]] = [
    {"__init__", "errors", "units", "resources", "cache", "records", "forked", "memo"},   # foundation
    {"yamlparse", "fonts", "images", "scene", "qr"},                   # parsing and reading files; the scene's types
    {"yamlsrc"},                                                       # YAML with places, parsed once per text
    {"schema", "render_base", "pptx_xml", "pptx_master", "pathway"},  # validation; renderer contract; facts
    {"fallback"},                                                      # fonts for characters the theme lacks
    {"text", "registry",                                               # the text engine; renderers, by output
     "render_pptx", "render_pdf", "render_svg", "render_png", "render_json"},
    {"theme"},                                                         # themes
    {"style"},                                                         # layouts
    {"model"},                                                         # the content model
    {"content", "verify", "paginate"},
    {"config", "talk_layout", "importer"},                             # importer: an abstract's text to content
    {"poster_layout"},                                                 # builds on the talk layout's reader
    {"plan_talk", "compose_common", "compose_pathway", "compose_chart", "compose_figures", "compose_master"},
    {"flow"},                                                          # slide templates filled
    {"flow_regions"},                                                  # poster regions filled
    {"compose_talk", "compose_poster", "compose_handout"},
    {"build", "output", "project", "json_schema"},
    {"batch", "batch_warm"},                                           # a folder of abstracts, in workers
    {"batch_index"},
    {"commands", "batch_cli"},                                         # init, check, preview, watch, serve …
    {"cli"},
    {"__main__"},
]
RENDERERS = {"render_pptx", "render_pdf", "render_svg", "render_png", "render_json"}
RENDERER_MAY_IMPORT = {"__init__", "scene", "render_base", "pptx_xml", "pptx_master", "memo"}
# third-party packages and the only modules that may import them
THIRD_PARTY = {"pptx": {"render_pptx", "pptx_xml", "pptx_master"}, "lxml": {"pptx_xml", "pptx_master"},
               "fontTools": {"fonts"},
               "reportlab": {"render_pdf", "qr"}}
LAYER = {m: i for i, layer in enumerate(LAYERS) for m in layer}
# a module of the package, or a subpackage (``commands``), which sits in one layer as a whole
MODULES = sorted({p.stem for p in PKG.glob("*.py")} | {p.parent.name for p in PKG.glob("*/__init__.py")})


def _files(module: str) -> list[Path]:
    single = PKG / f"{module}.py"
    return [single] if single.exists() else sorted((PKG / module).rglob("*.py"))


def _imports(module: str) -> tuple[set[str], set[str]]:
    """(jakdeck modules, third-party dotted names) that *module* imports anywhere in its file(s); a
    subpackage's imports among its own modules are left out."""
    own, other = set(), set()
    for file in _files(module):
        top = 1 if file.parent == PKG else 2   # the relative level that reaches the package's own modules
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == top:
                if node.module:
                    own.add(node.module.split(".")[0])
                else:  # from . import x: a submodule, or a name of the package itself
                    own |= {a.name if (PKG / f"{a.name}.py").exists() else "__init__" for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                (own if node.module.startswith("jakdeck.") else other).add(
                    node.module.split(".")[1] if node.module.startswith("jakdeck.") else node.module)
            elif isinstance(node, ast.Import):
                other |= {a.name for a in node.names}
    own.discard(module)
    return own, other


def test_every_module_has_a_layer():
    missing = [m for m in MODULES if m not in LAYER]
    assert not missing, f"place these modules in a layer of tests/test_architecture.py: {missing}"


def test_imports_go_only_to_lower_layers():
    bad = []
    for module in MODULES:
        for dep in _imports(module)[0]:
            if dep not in LAYER or LAYER[dep] >= LAYER[module]:
                bad.append(f"{module} (layer {LAYER[module]}) imports {dep} (layer {LAYER.get(dep)})")
    assert not bad, bad


def test_renderers_read_only_the_scene():
    for module in RENDERERS:
        own = _imports(module)[0]
        assert own <= RENDERER_MAY_IMPORT, (module, own - RENDERER_MAY_IMPORT)
        assert "text" not in own and not any(m.startswith("compose") for m in own)


def test_low_layers_know_nothing_of_composers_renderers_or_the_build():
    high = RENDERERS | {"pptx_xml", "registry", "build", "cli", "output"}
    high |= {m for m in MODULES if m.startswith("compose")}
    for module in ("model", "style", "text", "schema", "yamlsrc", "fonts", "config", "scene", "content"):
        if module in MODULES:
            assert not (_imports(module)[0] & high), (module, _imports(module)[0] & high)


def test_backends_are_imported_only_by_their_modules():
    for module in MODULES:
        for name in _imports(module)[1]:
            top = name.split(".")[0]
            if top in THIRD_PARTY:
                assert module in THIRD_PARTY[top], f"{module} imports {name}"
    # the poster's QR code needs reportlab's encoder only, not every barcode module (qr loads its file)
    assert {n for n in _imports("qr")[1] if n.startswith("reportlab")} == {"reportlab.graphics.barcode.qrencoder"}


def test_the_checker_sees_what_it_checks():
    """The table above is checked against real imports: the build's lazy imports count too."""
    own, other = _imports("build")
    assert {"compose_talk", "compose_poster", "registry"} <= own
    assert "qr" in _imports("compose_poster")[0]
    assert "reportlab.graphics.barcode.qrencoder" in _imports("qr")[1]
    assert "pptx" in {n.split(".")[0] for n in _imports("render_pptx")[1]}


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
