"""Snapshots of the default talk and poster scenes, read back from the JSON renderer.

The snapshot (tests/fixtures/scene-snapshot.json) is an outline of each scene: per page its role
and size, per item (groups and charts descended) its type, role, box to 0.1 pt, the source line it
came from and the start of its text.  A layout change that moves anything by more than half a point,
adds, drops or rewords an item fails here; when the change is meant, review it and regenerate:

    .venv/bin/python -m tests.test_scene_snapshot --write
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

SNAPSHOT = Path(__file__).parent / "fixtures" / "scene-snapshot.json"
TOL = 0.5   # points a box may move before it counts as layout drift
REGENERATE = ".venv/bin/python -m tests.test_scene_snapshot --write"


def _box(item: dict) -> list[float]:
    if item["type"] == "Line":
        return [round(item[k], 1) for k in ("x1", "y1", "x2", "y2")]
    return [round(item["box"][k], 1) for k in ("x", "y", "w", "h")]


def _text(item: dict) -> str:
    if item["type"] == "TextBlock":
        return "\n".join("".join(r["text"] for r in p["runs"]) for p in item["paragraphs"])[:60]
    if item["type"] == "Table":
        return " | ".join("".join(r["text"] for p in c["block"]["paragraphs"] for r in p["runs"])
                          for c in item["cells"][0])[:60]
    return ""


def _rows(items: list[dict]) -> list[list]:
    out = []
    for item in items:
        span = item["span"]
        out.append([item["type"], item["role"], _box(item), span["line"] if span else None, _text(item)])
        if item["type"] in ("Group", "Chart"):
            out += _rows(item["items"])
    return out


def outline(scene_json: bytes) -> list[dict]:
    """The outline of one scene's JSON (see the module's docstring)."""
    doc = json.loads(scene_json)
    return [{"role": p["role"], "size": [round(p["width"], 1), round(p["height"], 1)], "items": _rows(p["items"])}
            for p in doc["pages"]]


def current() -> dict[str, list[dict]]:
    from jakdeck.build import build
    files = build(only=["scene"]).files
    return {kind: outline(files[f"{kind}.json"]) for kind in ("talk", "poster")}


def _dump(snap: dict) -> str:
    """One line per item, so that a regenerated snapshot reviews as a readable diff."""
    lines = ["{"]
    for k, (kind, pages) in enumerate(snap.items()):
        lines.append(f' "{kind}": [')
        for i, page in enumerate(pages):
            lines.append(f'  {{"role": {json.dumps(page["role"])}, "size": {json.dumps(page["size"])}, "items": [')
            rows = [f"   {json.dumps(r, ensure_ascii=False)}" for r in page["items"]]
            lines.append(",\n".join(rows))
            lines.append("  ]}" + ("," if i < len(pages) - 1 else ""))
        lines.append(" ]" + ("," if k < len(snap) - 1 else ""))
    lines.append("}")
    return "\n".join(lines) + "\n"


def _differences(want: list[dict], got: list[dict], kind: str) -> list[str]:
    diffs = []
    if [p["role"] for p in want] != [p["role"] for p in got]:
        return [f"{kind}: pages {[p['role'] for p in want]} became {[p['role'] for p in got]}"]
    for w, g in zip(want, got):
        if w["size"] != g["size"]:
            diffs.append(f"{kind} {w['role']}: page size {w['size']} became {g['size']}")
        if len(w["items"]) != len(g["items"]):
            diffs.append(f"{kind} {w['role']}: {len(w['items'])} items became {len(g['items'])}")
        for a, b in zip(w["items"], g["items"]):
            moved = any(abs(x - y) > TOL for x, y in zip(a[2], b[2]))
            if a[:2] != b[:2] or a[3:] != b[3:] or moved:
                diffs.append(f"{kind} {w['role']}: {a} became {b}")
    return diffs


def test_default_scenes_match_the_snapshot():
    want = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    got = current()
    diffs = [d for kind in ("talk", "poster") for d in _differences(want[kind], got[kind], kind)]
    assert not diffs, (f"{len(diffs)} differences from {SNAPSHOT.name}; if the layout change is meant, review "
                       f"and regenerate with: {REGENERATE}\n" + "\n".join(diffs[:15]))


def test_the_snapshot_catches_drift():
    got = current()
    moved = json.loads(json.dumps(got))
    moved["poster"][0]["items"][3][2][1] += 1.0      # one item one point lower
    assert _differences(got["poster"], moved["poster"], "poster")
    assert not _differences(got["talk"], got["talk"], "talk")


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        sys.exit(f"usage: {REGENERATE}")
    SNAPSHOT.write_text(_dump(current()), encoding="utf-8")
    print(f"wrote {SNAPSHOT}")
