"""Property tests of the flow engine: random documents always become sound slides.

For any content of sections made of random bullets, text and table blocks (with a figure now and then),
at 16:9 and 4:3: every item lies inside its page, no text frames overlap, no text is set below its
minimum (all three checked by :func:`jakdeck.verify.scene_problems`), the sections keep their order,
and every bullet and table row appears exactly once, in order.
"""

from __future__ import annotations

from functools import cache

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jakdeck.compose_talk import compose_talk
from jakdeck.config import config_from_source
from jakdeck.content import document_from_source
from jakdeck.errors import FitError
from jakdeck.scene import Table, TextBlock
from jakdeck.style import load_theme
from jakdeck.talk_layout import load_talk_layout
from jakdeck.text import Typesetter
from jakdeck.verify import scene_problems
from jakdeck.yamlsrc import parse_yaml

THEME = load_theme()
WORDS = st.sampled_from(["JAK1", "inhibitors", "a", "of", "dermatitis", "IFN-γ", "STAT6", "close", "monitoring",
                         "Kyungpook", "alopecia", "areata", "(EU)", "signals", "from", "receptors", "2022;386:316"])
SENTENCE = st.lists(WORDS, min_size=1, max_size=18).map(" ".join)


@cache
def _layout(name: str):
    return load_talk_layout(name, THEME)


def _block(kind: str, draw) -> dict:
    if kind == "bullets":
        items = draw(st.lists(SENTENCE, min_size=1, max_size=12))
        heading = draw(st.one_of(st.none(), SENTENCE.map(lambda s: s[:40])))
        return {"bullets": {"items": items, **({"heading": heading} if heading else {})}}
    if kind == "text":
        return {"text": draw(SENTENCE)}
    if kind == "table":
        cols = draw(st.integers(2, 5))
        rows = draw(st.lists(st.lists(SENTENCE.map(lambda s: s[:60]), min_size=cols, max_size=cols),
                             min_size=1, max_size=12))
        return {"table": {"header": [f"Column {c + 1}" for c in range(cols)], "rows": rows}}
    return {"figure": "mechanism"}


@st.composite
def documents(draw) -> dict:
    sections = []
    for k in range(draw(st.integers(1, 5))):
        kinds = draw(st.lists(st.sampled_from(["bullets", "bullets", "text", "table", "figure"]), min_size=1,
                              max_size=4))
        heading = draw(st.lists(WORDS, min_size=1, max_size=10).map(" ".join))
        sections.append({"id": f"s-{k + 1}", "heading": heading, "blocks": [_block(kind, draw) for kind in kinds]})
    return {"title": draw(SENTENCE), "authors": [{"name": "A. Author"}], "safety": "Use with close monitoring.",
            "sections": sections}


def _texts(data: dict) -> list[str]:
    """The bullets and table first cells of *data*, in the order they must appear."""
    out = []
    for s in data["sections"]:
        for b in s["blocks"]:
            if "bullets" in b:
                out += [" ".join(t.split()) for t in b["bullets"]["items"]]
            elif "table" in b:
                out += [" ".join(r[0].split()) for r in b["table"]["rows"]]
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=documents(), aspect=st.sampled_from(["16:9", "4:3"]))
def test_random_documents_become_sound_slides_in_order(data, aspect):
    doc = document_from_source(parse_yaml(yaml.safe_dump(data, allow_unicode=True), "random.yaml"))
    cfg = config_from_source(parse_yaml(f'talk: {{aspect: "{aspect}"}}\n', "c.yaml"))
    try:
        scene = compose_talk(doc, cfg, THEME, _layout(cfg.talk_layout), Typesetter(THEME.families))
    except FitError as exc:   # content that no slide can hold: said so, located in the content
        assert all(d.file == "random.yaml" and d.line for d in exc.diagnostics), exc
        assert all("too wide" in d.message for d in exc.diagnostics), exc
        return
    assert scene_problems(scene) == []
    sections = [p.role.split(":")[1].split("~")[0] for p in scene.pages if p.role.startswith("section:")]
    assert list(dict.fromkeys(sections)) == [s["id"] for s in data["sections"]]
    shown = []
    for page in (p for p in scene.pages if p.role.startswith("section:")):
        for item in page.items:
            if isinstance(item, TextBlock) and item.role.rsplit("/", 1)[-1] in ("body", "left", "right"):
                shown += [p.text.replace("\n", "") for p in item.paragraphs if p.bullet]
            elif isinstance(item, Table):
                shown += [row[0].block.text.replace("\n", "") for row in item.cells[1:]]
    assert shown == _texts(data)
