"""compose_poster: a Document becomes one poster page with a header band, balanced columns and the footer.

The body is a flow of section headings and paragraphs.  One body size is
chosen for the whole poster – the largest at which the flow fits the columns –
and the column height is then the smallest at which it still fits, so that the
columns end level.  Text that cannot fit at the minimum size is an error that
says how much is over.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .compose_common import footer_block, footer_style, overflow_error
from .config import Config
from .errors import Diagnostic, FitError
from .model import Document
from .scene import Box, Item, Page, Rect, Scene, TextBlock
from .style import PosterLayout, Theme
from .text import LEADING, Overflow, Para, SetPara, SetText, TextStyle, Typesetter
from .units import parse_paper, to_mm


@dataclass
class _Piece:
    """A paragraph of the flow, set at the current size, and the section it belongs to."""

    section: str
    set: SetPara
    keep_with_next: bool = False


def _author_line(doc: Document) -> str:
    multi = len(doc.affiliations) > 1 or any(len(a.affiliations) > 1 for a in doc.authors)
    parts = []
    for a in doc.authors:
        sup = ",".join(str(i) for i in a.affiliations) if multi or a.affiliations else ""
        parts.append(f"{a.name}^{sup}^" if sup else a.name)
    return ", ".join(parts)


def _flow(doc: Document, ts: Typesetter, layout: PosterLayout, size: float, width: float) -> list[_Piece]:
    body, heading = layout.styles["body"], layout.styles["heading"]
    hsize = max(heading.min_size, min(heading.size, round(size * heading.size / body.size * 2) / 2))
    pieces: list[_Piece] = []
    gap = layout.section_gap
    blocks: list[tuple[str, str, list[Para]]] = []
    for s in doc.sections:
        paras = [Para(s.source, span=s.span)]
        paras += [Para(p.text, bullet=True, span=p.span) for p in s.key_points]
        blocks.append((s.id, s.heading, paras))
    if doc.references:
        blocks.append(("references", "References",
                       [Para(f"{i}. {r.text}", scale=body.min_size / size if size else 1)
                        for i, r in enumerate(doc.references, 1)]))
    for sid, title, paras in blocks:
        h = ts.set([Para(title)], replace(heading, size=hsize, min_size=hsize), hsize, width,
                   f"section:{sid}/heading").paras[0]
        h.space_before = gap
        pieces.append(_Piece(sid, h, keep_with_next=True))
        for sp in ts.set(paras, body, size, width, f"section:{sid}/body").paras:
            pieces.append(_Piece(sid, sp))
    return pieces


def _pack(pieces: list[_Piece], columns: int, height: float) -> list[list[_Piece]] | None:
    """Fill columns of *height* in order, splitting paragraphs between lines; None if it overflows."""
    cols: list[list[_Piece]] = [[]]
    used = 0.0
    i = 0
    queue = list(pieces)
    while i < len(queue):
        pc = queue[i]
        sp = pc.set
        gap = sp.space_before if cols[-1] else 0.0
        need = sp.height
        if pc.keep_with_next and i + 1 < len(queue):
            nxt = queue[i + 1].set
            need += nxt.space_before + min(len(nxt.lines), 2) * LEADING * nxt.size
        if used + gap + need <= height + 1e-6:
            cols[-1].append(pc)
            used += gap + sp.height
            i += 1
            continue
        line_h = LEADING * sp.size
        room = int((height - used - gap + 1e-6) // line_h) if not pc.keep_with_next else 0
        if room >= 2 and len(sp.lines) - room >= 2:
            head = replace(sp, lines=sp.lines[:room], widths=sp.widths[:room])
            tail = replace(sp, lines=sp.lines[room:], widths=sp.widths[room:], space_before=0.0)
            cols[-1].append(_Piece(pc.section, head))
            queue[i] = _Piece(pc.section, tail)
        if len(cols) == columns:
            return None
        cols.append([])
        used = 0.0
        if not cols[-2] and not cols[-1]:
            return None
        if sp.height > height + 1e-6 and len(sp.lines) < 4:
            return None
    return cols


def _balanced(pieces: list[_Piece], columns: int, height: float) -> tuple[list[list[_Piece]], float] | None:
    """The packing with the smallest column height that still fits, or None.

    Packing is not monotonic in the height (keep-with-next and split rules can
    make a taller column fail where a shorter one fits), so the height is
    scanned upwards from the ideal in small steps instead of bisected.
    """
    if _pack(pieces, columns, height) is None:
        return None
    total = sum(p.set.height + p.set.space_before for p in pieces)
    step = min(LEADING * p.set.size for p in pieces) / 4
    h = max(total / columns - step, 0.0)
    while h < height:
        packed = _pack(pieces, columns, h)
        if packed is not None:
            return packed, h
        h += step
    packed = _pack(pieces, columns, height)
    assert packed is not None
    return packed, height


def _column_blocks(ts: Typesetter, col: list[_Piece], box: Box, style: TextStyle, c: int) -> list[TextBlock]:
    """One text block per section part in the column, stacked from the column's top."""
    blocks = []
    y = box.y
    groups: list[list[_Piece]] = []
    for pc in col:
        if groups and groups[-1][0].section == pc.section and not pc.keep_with_next:
            groups[-1].append(pc)
        else:
            groups.append([pc])
    for g, group in enumerate(groups):
        first = group[0].set
        if blocks:
            y += first.space_before
        sets = [replace(first, space_before=0.0)] + [p.set for p in group[1:]]
        text = SetText(sets, style.size, [])
        h = text.height
        role = f"section:{group[0].section}/col{c + 1}-{g + 1}"
        blocks.append(ts.place(text, style, Box(box.x, y, box.w, h + 0.5), role))
        y += h + 0.5
    return blocks


def poster_size(config: Config) -> tuple[float, float]:
    """The poster's trim size in points, from the config."""
    return parse_paper(str(config.poster["size"]), config.poster["orientation"])


def compose_poster(doc: Document, config: Config, theme: Theme, base: PosterLayout, ts: Typesetter) -> Scene:
    """Lay out the poster as a single :class:`Page` at the configured paper size."""
    width, height = poster_size(config)
    layout = base.at(width, height, config.poster.get("columns"))
    m = layout.margin
    items: list[Item] = []
    warnings: list[str] = []
    # header band
    band = Box(0, 0, width, layout.header_height)
    items.append(Rect("header/band", band, fill=theme.color("band")))
    inner = Box(m, m * 0.8, width - 2 * m, layout.header_height - 1.6 * m)
    try:
        title_box = Box(inner.x, inner.y, inner.w, inner.h * 0.56)
        items.append(ts.block([Para(doc.title)], layout.styles["title"], title_box, "header/title", anchor="bottom"))
        authors_box = Box(inner.x, title_box.bottom, inner.w, inner.h * 0.2)
        items.append(ts.block([Para(_author_line(doc))], layout.styles["authors"], authors_box, "header/authors",
                              anchor="middle"))
        aff_box = Box(inner.x, authors_box.bottom, inner.w, inner.bottom - authors_box.bottom)
        affs = [Para(f"^{a.id}^ {a.name}") for a in doc.affiliations] or [Para(" ")]
        items.append(ts.block(affs, layout.styles["affiliations"], aff_box, "header/affiliations", anchor="top"))
    except Overflow as exc:
        raise overflow_error(exc, f"the poster header ({exc.role.split('/')[-1]})", None,
                             "shorten the title or affiliations, or use a larger paper size") from None
    # footer across the bottom edge
    fstyle, ffill = footer_style(layout.styles["footer"], theme, {k: v for k, v in config.footer.items()
                                                                   if k != "size"})
    footer_box = Box(0, height - layout.footer_height, width, layout.footer_height)
    footer = footer_block(ts, doc, fstyle, ffill, footer_box, pad=m)
    # body columns
    top = layout.header_height + layout.section_gap * 1.5
    bottom = footer_box.y - layout.section_gap * 1.5
    n = layout.columns
    col_w = (width - 2 * m - (n - 1) * layout.gutter) / n
    avail = bottom - top
    body = layout.styles["body"]
    for s in doc.sections:
        ts.check_glyphs([Para(s.source, span=s.span)] + [Para(p.text, span=p.span) for p in s.key_points], body)
    best = None
    size = body.size
    while size >= body.min_size - 1e-6:
        pieces = _flow(doc, ts, layout, size, col_w)
        got = _balanced(pieces, n, avail)
        if got is not None:
            best = (size, got)
            break
        size -= 1.0 if size - body.min_size >= 1.0 else 0.5
    if best is None:
        pieces = _flow(doc, ts, layout, body.min_size, col_w)
        total = sum(p.set.height + p.set.space_before for p in pieces)
        over = total - n * avail
        raise FitError(Diagnostic(
            f"the poster body does not fit {n} columns at the minimum {body.min_size:g} pt "
            f"(needs about {to_mm(total):.0f} mm of column, has {to_mm(n * avail):.0f} mm: "
            f"{to_mm(max(over, 0)):.0f} mm over)", doc.source_file or None,
            hint="shorten the longest sections' key points, or use a larger size or more columns"))
    size, (cols, _col_h) = best
    for c, col in enumerate(cols):
        x = m + c * (col_w + layout.gutter)
        items += _column_blocks(ts, col, Box(x, top, col_w, avail), replace(body, size=size), c)
    items.append(footer)
    page = Page(width, height, tuple(items), role="poster", background=theme.color("background"))
    return Scene("poster", (page,), ts.used_faces(), title=doc.title, author=doc.author_line,
                 subject="Poster: " + doc.title, keywords=doc.keywords, warnings=tuple(warnings))
