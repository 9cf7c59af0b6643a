"""Inputs for the benchmark, generated from the default content so they follow its format.

Kept small and tolerant on purpose: the content format may change, so the generators copy
whatever the files hold and change only what they must (section ids, the abstract's title).
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import yaml


def _section_list(data: dict) -> tuple[str, list]:
    """The key and list of the content's sections: ``sections``, else the first list of mappings with ids."""
    if isinstance(data.get("sections"), list) and data["sections"]:
        return "sections", data["sections"]
    for key, value in data.items():
        if isinstance(value, list) and value and all(isinstance(v, dict) and "id" in v for v in value):
            return key, value
    raise ValueError("no list of sections with ids in the content file")


def section_count(content: Path) -> int:
    """How many sections the content file has."""
    return len(_section_list(yaml.safe_load(content.read_text(encoding="utf-8")))[1])


def many_sections(content: Path, n: int, out: Path, points: int = 1) -> Path:
    """Write a copy of *content* whose section list is its own sections repeated to *n*, ids made unique,
    each list of bullets (any list of strings in a section) repeated *points* times.  Only the first copy
    of each section keeps its ``figure``: the talk grows by slides of bullets, its figures stay those of
    the default content (a figure per section would measure figure drawing, not slides)."""
    data = yaml.safe_load(content.read_text(encoding="utf-8"))
    key, sections = _section_list(data)
    copies = []
    for i in range(n):
        s = copy.deepcopy(sections[i % len(sections)])
        s["id"] = f"{s['id']}-{i + 1}"
        if i >= len(sections):
            s.pop("figure", None)
        for k, v in s.items():
            if isinstance(v, list) and v and all(isinstance(x, str) for x in v):
                s[k] = v * points
        copies.append(s)
    data[key] = copies
    out.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
    return out


_TOPICS = ["atopic dermatitis", "alopecia areata", "vitiligo", "psoriasis", "hand eczema", "prurigo nodularis",
           "lichen planus", "hidradenitis suppurativa", "dermatomyositis", "chronic urticaria"]
_AUTHORS = ["Yong Hyun Jang", "Min Ji Kim", "Ana Souza", "Lukas Weber", "Priya Raman", "Kenji Sato",
            "Sofia Rossi", "Daniel Okafor", "Emma Larsen", "Omar Haddad"]


def abstracts(template: Path, n: int, out_dir: Path) -> list[Path]:
    """Write *n* abstracts shaped like *template* (title, author, affiliation, paragraphs), each a little
    different: its own title, author and topic, the body paragraphs rotated and some dropped.  The last
    paragraph (the safety statement the footer comes from) is always kept."""
    text = template.read_text(encoding="utf-8")
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]
    title_i = next((i for i, b in enumerate(blocks) if b.startswith("#")), 0)
    head, body = blocks[: title_i + 1], blocks[title_i + 1:]
    # after the title: author and affiliation are the short blocks before the first long paragraph
    meta = []
    while body and len(body[0]) < 200:
        meta.append(body.pop(0))
    middle, last = (body[:-1], body[-1:]) if len(body) > 1 else (body, [])
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        topic = _TOPICS[i % len(_TOPICS)]
        title = f"# JAK inhibitors in {topic}: report {i + 1}"
        author = _AUTHORS[(i * 3) % len(_AUTHORS)]
        lines = head[:-1] + [title, author] + meta[1:]
        keep = middle[i % len(middle):] + middle[: i % len(middle)] if middle else []
        if len(keep) > 2 and i % 3 == 0:
            keep = keep[:-1]
        keep = [p.replace("atopic dermatitis", topic, 1) if j == 0 else p for j, p in enumerate(keep)]
        path = out_dir / f"abstract-{i + 1:03d}.txt"
        path.write_text("\n\n".join(lines + keep + last) + "\n", encoding="utf-8")
        paths.append(path)
    return paths
