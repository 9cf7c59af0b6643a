"""The index of a batch: ``index.csv`` (one row per abstract), ``index.html`` and ``contact-sheet.png``
(a thumbnail of every poster, drawn from its scene), ``summary.txt`` (the summary table) and
``batch.log`` (every diagnostic, by file).  Each file is written atomically; nothing here prints."""

from __future__ import annotations

import csv
import html
import io
import math
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from .batch import THUMB_WIDTH, JobResult
from .errors import display_path
from .fonts import find_font_file
from .output import replace_file

COLUMNS = ("file", "title", "slides", "poster", "figures", "warnings", "status", "seconds", "output", "message")
SHEET_COLUMNS = 6
LABEL_FONT = "DejaVuSans.ttf"


def rows(results: list[JobResult]) -> list[dict[str, str]]:
    """One row per result, with the columns of :data:`COLUMNS`."""
    return [{"file": display_path(r.file), "title": r.title, "slides": str(r.slides) if r.ok else "",
             "poster": r.poster, "figures": str(r.figures) if r.ok else "", "warnings": str(len(r.warnings)),
             "status": r.status, "seconds": f"{r.seconds:.1f}", "output": display_path(r.out),
             "message": r.message} for r in results]


def summary_table(results: list[JobResult], title_width: int = 40) -> str:
    """The summary as a plain-text table: file, title, slides, poster size, figures, warnings, status, time."""
    head = ("file", "title", "slides", "poster", "figures", "warnings", "status", "time")
    body = []
    for r in rows(results):
        title = r["title"] if len(r["title"]) <= title_width else r["title"][:title_width - 1] + "…"
        body.append((r["file"], title, r["slides"], r["poster"], r["figures"], r["warnings"], r["status"],
                     r["seconds"] + " s"))
    widths = [max(len(str(x)) for x in col) for col in zip(head, *body)]
    numeric = {2, 4, 5, 7}

    def line(cells) -> str:
        return "  ".join(str(c).rjust(w) if i in numeric else str(c).ljust(w)
                         for i, (c, w) in enumerate(zip(cells, widths))).rstrip()
    ok = sum(r.ok for r in results)
    total = sum(r.seconds for r in results)
    out = [line(head), line("-" * w for w in widths), *(line(b) for b in body), "",
           f"{ok} of {len(results)} built, {len(results) - ok} failed; {total:.1f} s of build time"]
    return "\n".join(out) + "\n"


def csv_bytes(results: list[JobResult]) -> bytes:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows(results))
    return buf.getvalue().encode("utf-8")


def log_bytes(results: list[JobResult]) -> bytes:
    lines = []
    for r in results:
        lines += r.errors + r.warnings
    return ("\n".join(lines) + ("\n" if lines else "")).encode("utf-8")


def contact_sheet(results: list[JobResult]) -> bytes:
    """A PNG grid of every poster's thumbnail, labelled with its file (a failed one: a grey tile)."""
    thumbs = [Image.open(io.BytesIO(r.thumbnail)).convert("RGB") if r.thumbnail else None for r in results]
    tile_h = max((t.height for t in thumbs if t is not None), default=round(THUMB_WIDTH * 1.414))
    label_h, pad = 30, 12
    cols = max(1, min(SHEET_COLUMNS, len(results)))
    rows_n = max(1, math.ceil(len(results) / cols))
    sheet = Image.new("RGB", (pad + cols * (THUMB_WIDTH + pad), pad + rows_n * (tile_h + label_h + pad)), "white")
    draw = ImageDraw.Draw(sheet)
    path = find_font_file(LABEL_FONT)
    font = ImageFont.truetype(path, 12) if path else ImageFont.load_default()
    for i, (r, thumb) in enumerate(zip(results, thumbs)):
        x = pad + (i % cols) * (THUMB_WIDTH + pad)
        y = pad + (i // cols) * (tile_h + label_h + pad)
        if thumb is not None:
            sheet.paste(thumb, (x, y))
            draw.rectangle((x, y, x + thumb.width - 1, y + thumb.height - 1), outline=(160, 160, 160))
        else:
            draw.rectangle((x, y, x + THUMB_WIDTH - 1, y + tile_h - 1), fill=(235, 235, 235), outline=(160, 0, 0))
            draw.text((x + 10, y + 10), "failed", fill=(160, 0, 0), font=font)
        name = Path(r.file).name
        while name and draw.textlength(name, font=font) > THUMB_WIDTH:
            name = name[:-2] + "…"
        draw.text((x, y + tile_h + 6), name, fill=(0, 0, 0) if r.ok else (160, 0, 0), font=font)
    buf = io.BytesIO()
    sheet.save(buf, "PNG", optimize=True)
    return buf.getvalue()


def html_bytes(results: list[JobResult], out: Path) -> bytes:
    def cell(text: str) -> str:
        return f"<td>{html.escape(text)}</td>"
    body = []
    for row, r in zip(rows(results), results):
        rel = Path(r.out).name
        links = (f'<a href="{html.escape(rel)}/talk.pptx">talk</a> · <a href="{html.escape(rel)}/poster.pdf">'
                 "poster</a>") if r.ok else html.escape(r.message)
        body.append(f'<tr class="{r.status}">' + "".join(cell(row[c]) for c in COLUMNS[:8]) + f"<td>{links}</td></tr>")
    ok = sum(r.ok for r in results)
    doc = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>jakdeck batch: {ok} of {len(results)} built</title>
<style>body{{font-family:sans-serif;margin:1.5em}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:.25em .5em;text-align:left}}tr.failed td{{background:#fde8e8}}
img{{max-width:100%}}</style></head><body>
<h1>{ok} of {len(results)} abstracts built</h1>
<table><tr>{"".join(f"<th>{c}</th>" for c in COLUMNS[:8])}<th>files</th></tr>
{chr(10).join(body)}
</table>
<h2>Posters</h2>
<p><img src="contact-sheet.png" alt="a thumbnail of every poster, in the order of the table"></p>
</body></html>
"""
    return doc.encode("utf-8")


def write_index(results: list[JobResult], out: Path) -> list[Path]:
    """Write the index files into *out*; return their paths."""
    files = {"index.csv": csv_bytes(results), "contact-sheet.png": contact_sheet(results),
             "index.html": html_bytes(results, out), "summary.txt": summary_table(results).encode("utf-8"),
             "batch.log": log_bytes(results)}
    for name, data in files.items():
        replace_file(out / name, data)
    return [out / name for name in files]
