"""Typesetting: inline markup, measuring, line breaking and fitting text to a box.

Text is measured once, here, with the advance widths of the font files the
theme names.  The line model follows what LibreOffice and PowerPoint do with
single spacing (see docs/text-model.md): a line is 1.2 × size tall, the first
baseline sits 1.0 × size below the top inset, paragraphs are separated by
explicit space, and the measuring width is 1 % narrower than the box so that
office software never needs more lines than predicted.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import field
from typing import NamedTuple

from .errors import FontError
from .fallback import FALLBACK_KEY, Coverage, locate, missing_glyph
from .fonts import NBSP, FamilySpec, Metrics, load_metrics
from .records import record, replace
from .scene import RGB, Box, FontFace, Paragraph, TextBlock, TextLine, TextRun

LEADING = 1.2          # line pitch as a multiple of the font size (single spacing)
WIDTH_MARGIN = 0.01    # measure 1 % narrower than the box
SUP_SCALE = 0.58       # superscript glyphs are drawn at this fraction of the size (as PowerPoint and LibreOffice do)
SUP_RISE = 0.33        # and raised by this fraction of the size
SIZE_STEP = 0.5        # fitting searches sizes in half points
AUTOSPACE = 0.25       # LibreOffice sets about a quarter em between East Asian and other characters
BREAK = "\n"           # a line break inside a paragraph's editable text: where a too-long word was cut


def largest(lo: float, hi: float, ok, step: float = SIZE_STEP) -> float | None:
    """The largest size on the *step* grid in [lo, hi] for which ``ok(size)`` holds, or None.

    The one size search of jakdeck: it assumes that what fits at a size fits at
    every smaller one, tries *hi* first (the common case) and bisects otherwise.
    """
    if ok(hi):
        return hi
    if hi - lo < step / 2 or not ok(lo):   # a one-size range was tried already
        return None
    a, b = 0, int(round((hi - lo) / step))
    while b - a > 1:
        mid = (a + b) // 2
        if ok(lo + mid * step):
            a = mid
        else:
            b = mid
    return lo + a * step


@record
class TextStyle:
    """How a kind of text looks: family key, size range, colour, weight, alignment, spacing."""

    font: str = "sans"
    size: float = 24.0
    min_size: float = 18.0
    color: RGB = (0, 0, 0)
    bold: bool = False
    italic: bool = False
    align: str = "left"
    space_before: float = 0.5     # between paragraphs, in ems of the size
    bullet_indent: float = 1.1    # hanging indent for bulleted paragraphs, in ems


@record
class Para:
    """A paragraph to set: text with **bold**, *italic* and ^superscript^ markup."""

    text: str
    level: int = 0
    bullet: bool = False
    scale: float = 1.0            # size relative to the style's size
    bold: bool | None = None      # overrides the style's weight
    color: RGB | None = None
    space_before: float | None = None  # ems; None = the style's
    span: tuple = ("", None, None)
    heading: bool = False         # a list's heading: never ends a box, repeated "(cont.)" when the list goes on
    group: int | None = None      # paragraphs of one list share a group


@record(slots=True)
class Frag:
    """A run of text in one format.  Frozen: set lines are remembered and shared between results."""

    text: str
    bold: bool
    italic: bool
    sup: bool = False
    font: str = ""      # the family key of the face that draws it: "" = the style's, else a fallback's


_MARKUP = re.compile(r"(\*\*.+?\*\*|(?<![\w*])\*(?!\s).+?(?<!\s)\*(?![\w*])|\^.+?\^)")


def parse_markup(text: str, bold: bool = False, italic: bool = False) -> list[Frag]:
    """Split *text* into fragments at ``**bold**``, ``*italic*`` and ``^superscript^`` marks."""
    out: list[Frag] = []
    pos = 0
    for m in _MARKUP.finditer(text):
        if m.start() > pos:
            out.append(Frag(text[pos:m.start()], bold, italic))
        tok = m.group(0)
        if tok.startswith("**"):
            out.append(Frag(tok[2:-2], True, italic))
        elif tok.startswith("^"):
            out.append(Frag(tok[1:-1], bold, italic, True))
        else:
            out.append(Frag(tok[1:-1], bold, not italic))
        pos = m.end()
    if pos < len(text):
        out.append(Frag(text[pos:], bold, italic))
    return [f for f in out if f.text]


def plain(text: str) -> str:
    """Return *text* with its inline markup removed."""
    return "".join(f.text for f in parse_markup(text))


@record(frozen=False)
class SetPara:
    """A paragraph after line breaking, before placement."""

    para: Para
    size: float
    lines: list[list[Frag]]
    widths: list[float]
    bullet: str | None
    indent: float
    space_before: float
    color: RGB
    joins: list[str] = field(default_factory=list)   # what stood between line i-1 and line i: " " or ""
    room: float = float("inf")                        # the width the lines were broken for (points)

    @property
    def height(self) -> float:
        return len(self.lines) * LEADING * self.size

    def slice(self, start: int, stop: int | None = None) -> SetPara:
        """The paragraph's lines[start:stop] as a paragraph of their own (for splitting across pages)."""
        joins = self.joins[start:stop] or [""]
        return replace(self, lines=self.lines[start:stop], widths=self.widths[start:stop], joins=[""] + joins[1:],
                       space_before=self.space_before if start == 0 else 0.0)

    @property
    def runs(self) -> list[Frag]:
        """The text of these lines as runs, rejoined where they were broken (for editable output); where a
        word too long for its line was cut, a line break (``BREAK``) keeps the cut where it was measured."""
        out: list[Frag] = []
        for i, line in enumerate(self.lines):
            if i and line:
                join = self.joins[i] if i < len(self.joins) else " "
                out.append(Frag(join or BREAK, line[0].bold, line[0].italic))
            out += line
        return _merge(out)


@record(frozen=False)
class SetText:
    """Paragraphs set at one size; ``height`` includes paragraph spacing."""

    paras: list[SetPara]
    size: float
    warnings: list[str]

    @property
    def too_wide(self) -> bool:
        """True when some line is wider than its room (a single glyph wider than a very narrow box)."""
        return any(w > p.room * (1 - WIDTH_MARGIN) + 1e-6 for p in self.paras for w in p.widths)

    @property
    def broken(self) -> bool:
        """True when a word had to be cut inside because it is wider than the line."""
        return any("" in p.joins[1:] for p in self.paras)

    @property
    def height(self) -> float:
        h = 0.0
        for i, p in enumerate(self.paras):
            h += p.height + (p.space_before if i else 0.0)
        return h


class Overflow(Exception):
    """Text does not fit its box even at the minimum size; ``needed`` and ``available`` in points,
    of height, or of width when ``dimension`` is "width" (a glyph wider than a very narrow box)."""

    def __init__(self, role: str, needed: float, available: float, size: float, dimension: str = "height"):
        self.role, self.needed, self.available, self.size = role, needed, available, size
        self.dimension = dimension
        super().__init__(f"{role}: needs {needed:.0f} pt of {dimension} at {size:g} pt, has {available:.0f} pt")


BULLETS = ("\u2022", "\u2013", "\u2022")


class Typesetter:
    """Measures and sets text with the theme's font families; records the faces it used."""

    def __init__(self, families: dict[str, FamilySpec], fallback: tuple[FamilySpec, ...] | None = None):
        self.families = families
        self.coverage = Coverage(fallback)
        self._faces: dict[str, tuple[FontFace, Metrics]] = {}
        self._covered: dict[tuple[str, str, bool, bool], list[tuple[str, str]]] = {}
        self._words: dict[tuple, _Prepared] = {}        # a paragraph's words, measured at unit size
        self._lines: dict[tuple, _Lines] = {}           # ... broken into lines at a size and width
        self._drawn: set[tuple[str, bool, bool, str]] = set()   # paragraphs whose glyphs every face has
        self._widths: dict[tuple, float] = {}
        self._narrowest: dict[tuple, float] = {}

    def face(self, family: str, bold: bool = False, italic: bool = False) -> tuple[FontFace, Metrics]:
        """Return the face and metrics for *family* in the given style (loading on first use)."""
        style = ("bold_" if bold else "") + ("italic" if italic else "")
        style = style.rstrip("_") or "regular"
        key = family if style == "regular" else f"{family}-{style.replace('_', '-')}"
        got = self._faces.get(key)
        if got is None:
            spec = self.families.get(family) if not family.startswith(FALLBACK_KEY) else \
                self.coverage.spec(family)
            if spec is None:
                raise FontError(f"the theme has no font family '{family}'")
            path = spec.resolve(style)
            metrics = load_metrics(path)
            got = (FontFace(key, path, metrics.family, spec.office_name, bold, italic), metrics)
            self._faces[key] = got
        return got

    def loaded_faces(self) -> tuple[FontFace, ...]:
        """The faces loaded so far (measured by this typesetter, or by an earlier build it served)."""
        return tuple(f for f, _ in self._faces.values())

    def width(self, text: str, size: float, family: str = "sans", bold: bool = False,
              italic: bool = False) -> float:
        """Advance width of plain *text* in points, each part measured with the face that draws it."""
        key = (text, size, family, bold, italic)
        got = self._widths.get(key)
        if got is None:
            got = sum(self.face(fb or family, bold, italic)[1].width(part, size)
                      for part, fb in self.split(text, family, bold, italic)) + autospace(text) * size
            if len(self._widths) < 50_000:
                self._widths[key] = got
        return got

    def _frag_width(self, frag: Frag, family: str, size: float) -> float:
        s = size * SUP_SCALE if frag.sup else size
        return self.face(frag.font or family, frag.bold, frag.italic)[1].width(frag.text, s)

    # -- font coverage -----------------------------------------------------------------------

    def split(self, text: str, family: str, bold: bool = False, italic: bool = False) -> list[tuple[str, str]]:
        """*text* in runs by the face that draws them: (part, "") for the style's own family,
        (part, fallback key) for a fallback's.  A character no face draws stays with the style's."""
        key = (text, family, bold, italic)
        got = self._covered.get(key)
        if got is not None:
            return got
        main = self.face(family, bold, italic)[1]
        if not main.missing(text):
            got = [(text, "")]
        else:
            style = _style(bold, italic)
            got = []
            for ch in text:
                fb = "" if not main.missing(ch) else (self.coverage.family_for(ch, style) or "")
                if got and got[-1][1] == fb:
                    got[-1] = (got[-1][0] + ch, fb)
                else:
                    got.append((ch, fb))
        if len(self._covered) < 50_000:
            self._covered[key] = got
        return got

    # -- line breaking ---------------------------------------------------------------------
    #
    # A paragraph is split into words and each word measured once, at unit size (advance widths are
    # linear in the size); breaking at a size and width is then a greedy loop over floats.  Both the
    # words and the broken lines are remembered: fitting asks for the same paragraph at many sizes and
    # widths, and often for the same one twice.  What is remembered is never changed afterwards (frozen
    # fragments; callers get fresh SetPara objects around the shared line lists).

    def _prepared(self, text: str, bold: bool, italic: bool, family: str) -> _Prepared:
        """The words of *text* (with inline markup) in the style's weight, split where the face that
        draws them changes, each measured at unit size."""
        key = (text, bold, italic, family)
        got = self._words.get(key)
        if got is not None:
            return got
        words: list[list[tuple[str, bool, bool, bool, str]]] = [[]]
        for f in parse_markup(text, bold, italic):
            for part, fb in self.split(f.text, family, f.bold, f.italic):
                for i, piece in enumerate(_SPACES.split(part)):
                    if i > 0 and words[-1]:
                        words.append([])
                    if piece:
                        words[-1].append((piece, f.bold, f.italic, f.sup, fb))
        got = []
        for pieces in words:
            if not pieces:
                continue
            ems = tuple((self.face(fb or family, b, it)[1].width(t, 1.0), sup) for t, b, it, sup, fb in pieces)
            joined = "".join(pc[0] for pc in pieces)
            runs = _runs_of([(t, (b, it, sup, fb)) for t, b, it, sup, fb in pieces])
            got.append(_Word(ems, autospace(joined), runs, (pieces[0][1], pieces[0][2], False, ""), joined,
                             tuple(pieces)))
        got = _prepare(got)
        if len(self._words) < 20_000:
            self._words[key] = got
        return got

    def _broken(self, text: str, bold: bool, italic: bool, family: str, size: float, width: float) -> _Lines:
        """*text* broken into lines at *size* within *width* (points), remembered."""
        key = (text, bold, italic, family, size, width)
        got = self._lines.get(key)
        if got is None:
            got = self._break(self._prepared(text, bold, italic, family), family, size, width)
            if len(self._lines) < 20_000:
                self._lines[key] = got
        return got

    def _break(self, prep: _Prepared, family: str, size: float, width: float) -> _Lines:
        """Greedy line breaking at spaces within *width*; over-long words break at characters.

        Returns the lines, their widths, for each line what separated it from the one before
        (" " at a space, "" inside an over-long word), and the words that had to be cut.
        """
        limit = width * (1 - WIDTH_MARGIN)
        space = self.face(family)[1].width(" ", size)
        if prep.ems is not None:
            wws = [em * size for em in prep.ems]
            if not wws or max(wws) <= limit:   # no word is cut: lines are runs of whole words
                return _whole_words(prep, wws, space, limit)
        small = size * SUP_SCALE
        words = prep.words
        lines: list[list[Frag]] = []
        widths: list[float] = []
        joins: list[str] = []
        cut: list[str] = []
        cur: list[tuple[str, tuple]] = []
        cur_w = 0.0
        join = ""
        for word in words:
            ww = 0.0
            for em, sup in word.ems:   # summed run by run, as the width of the word's text is measured
                ww += em * (small if sup else size)
            ww += word.auto * size
            if cur and cur_w + space + ww <= limit:
                cur.append((" ", word.lead))
                cur += word.runs
                cur_w += space + ww
                continue
            if cur:
                lines.append(_frags(cur))
                widths.append(cur_w)
                joins.append(join)
                cur, cur_w, join = [], 0.0, " "
            if ww <= limit:
                cur, cur_w = list(word.runs), ww
                continue
            # a word longer than the line: break it at characters
            cut.append(word.text)
            for t, b, it, sup, fb in word.pieces:
                metrics = self.face(fb or family, b, it)[1]
                fmt = (b, it, sup, fb)
                for ch in t:
                    cw = metrics.width(ch, small if sup else size)
                    if cur and cur_w + cw > limit:
                        lines.append(_frags(cur))
                        widths.append(cur_w)
                        joins.append(join)
                        cur, cur_w, join = [], 0.0, ""
                    cur.append((ch, fmt))
                    cur_w += cw
        if cur or not lines:
            lines.append(_frags(cur))
            widths.append(cur_w)
            joins.append(join)
        return lines, widths, joins, tuple(cut)

    def narrowest(self, text: str, style: TextStyle, size: float, max_lines: int, lo: float, hi: float,
                  tol: float = 1.0) -> float:
        """The width, bisected between *lo* and *hi* until they are *tol* apart, at which plain paragraph
        *text* set at *size* in *style* takes at most *max_lines* lines: the upper end (remembered)."""
        key = (text, style.font, style.bold, style.italic, size, max_lines, lo, hi, tol)
        got = self._narrowest.get(key)
        if got is None:
            while hi - lo > tol:
                mid = (lo + hi) / 2
                if len(self._broken(text, style.bold, style.italic, style.font, size, mid)[0]) <= max_lines:
                    hi = mid
                else:
                    lo = mid
            got = self._narrowest[key] = hi
        return got

    # -- setting and fitting -----------------------------------------------------------------

    def unknown_chars(self, text: str, family: str = "sans", bold: bool = False,
                      italic: bool = False) -> list[str]:
        """The distinct characters of *text* that neither the family nor any installed fallback draws."""
        main = self.face(family, bold, italic)[1]
        return [ch for ch in main.missing(text) if self.coverage.family_for(ch, _style(bold, italic)) is None]

    def check_glyphs(self, paras: list[Para], style: TextStyle) -> None:
        """Raise :class:`FontError` naming each character that no face – the style's or a fallback –
        can draw, located in its file."""
        diags = []
        for p in paras:
            key = (p.text, style.bold if p.bold is None else p.bold, style.italic, style.font)
            if key in self._drawn:
                continue
            found = len(diags)
            for frag in parse_markup(p.text, style.bold if p.bold is None else p.bold, style.italic):
                for ch in self.unknown_chars(frag.text, style.font, frag.bold, frag.italic):
                    family = self.face(style.font, frag.bold, frag.italic)[1].family
                    diags.append(missing_glyph(ch, family, self.coverage, locate(ch, p.span)))
            if len(diags) == found and len(self._drawn) < 50_000:
                self._drawn.add(key)
        if diags:
            raise FontError(list(dict.fromkeys(diags)))

    def set(self, paras: list[Para], style: TextStyle, size: float, width: float,
            role: str = "") -> SetText:
        """Break every paragraph into lines at *size* within *width* (points)."""
        warnings: list[str] = []
        out = []
        for p in paras:
            psize = max(size * p.scale, style.min_size) if p.scale < 1 else size * p.scale
            bold = style.bold if p.bold is None else p.bold
            bullet = BULLETS[min(p.level, 2)] if p.bullet else None
            indent = style.bullet_indent * psize * (p.level + 1) if p.bullet else 0.0
            lines, widths, joins, cut = self._broken(p.text, bold, style.italic, style.font, psize, width - indent)
            for word in cut:
                warnings.append(f"{role}: the word '{word}' is wider than its box and was broken inside")
            sb = (style.space_before if p.space_before is None else p.space_before) * psize
            out.append(SetPara(p, psize, lines, widths, bullet, indent, sb, p.color or style.color, joins,
                               width - indent))
        return SetText(out, size, warnings)

    def fit(self, paras: list[Para], style: TextStyle, width: float, height: float,
            role: str = "") -> SetText:
        """Set *paras* at the largest size in [min, max] that fits *height* without cutting a word;
        if every size must cut one, the largest that fits.  Raise :class:`Overflow` when none fits."""
        self.check_glyphs(paras, style)
        hi = style.size
        lo = style.min_size
        best = self.set(paras, style, hi, width, role)
        if best.height <= height + 1e-6 and not best.broken and not best.too_wide:
            return best
        at_min = self.set(paras, style, lo, width, role)
        if at_min.too_wide:
            widest = max((w, p.room) for p in at_min.paras for w in p.widths)
            raise Overflow(role, widest[0], widest[1] * (1 - WIDTH_MARGIN), lo, "width")
        if at_min.height > height + 1e-6:
            raise Overflow(role, at_min.height, height, lo)
        whole_words = not at_min.broken

        def fits(t: SetText) -> bool:
            return t.height <= height + 1e-6 and not t.too_wide and (not whole_words or not t.broken)

        size = largest(lo, hi, lambda s: fits(self.set(paras, style, s, width, role)))
        return at_min if size is None or size == lo else self.set(paras, style, size, width, role)

    def place(self, text: SetText, style: TextStyle, box: Box, role: str, *,
              inset: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0), anchor: str = "top",
              **extra) -> TextBlock:
        """Position set text in *box*: absolute baselines and line starts, as a :class:`TextBlock`."""
        l, t, r, b = inset
        inner_w = box.w - l - r
        inner_h = box.h - t - b
        top = box.y + t
        if anchor == "middle":
            top += max(0.0, (inner_h - text.height) / 2)
        elif anchor == "bottom":
            top += max(0.0, inner_h - text.height)
        y = top
        paragraphs = []
        for i, sp in enumerate(text.paras):
            if i:
                y += sp.space_before
            lines = []
            for frags, w in zip(sp.lines, sp.widths):
                baseline = y + sp.size   # first baseline 1.0 × size below the line top
                avail = inner_w - sp.indent
                if style.align == "center":
                    x = box.x + l + sp.indent + max(0.0, (avail - w) / 2)
                elif style.align == "right":
                    x = box.x + l + sp.indent + max(0.0, avail - w)
                else:
                    x = box.x + l + sp.indent
                lines.append(TextLine(x, baseline, w, self._runs(frags, style, sp, placed=True)))
                y += LEADING * sp.size
            paragraphs.append(Paragraph(self._runs(sp.runs, style, sp), tuple(lines), sp.para.level,
                                        sp.bullet, sp.indent, style.align, sp.space_before if i else 0.0,
                                        sp.size, self._marker(sp.bullet, sp.indent, lines)))
        return TextBlock(role, box, tuple(paragraphs), inset=inset, anchor=anchor,
                         min_size=style.min_size, **extra)

    def _runs(self, frags: list[Frag], style: TextStyle, sp: SetPara, placed: bool = False) -> tuple[TextRun, ...]:
        """Scene runs for *frags*.  In placed lines a no-break space the font lacks becomes a space of
        the same width, so that renderers drawing glyphs one by one never meet a missing glyph."""
        out = []
        for f in frags:
            face, metrics = self.face(f.font or style.font, f.bold, f.italic)
            text = f.text if not placed or metrics.has(NBSP) else f.text.replace(NBSP, " ")
            out.append(TextRun(text, face.key, sp.size, sp.color, f.bold, f.italic, f.sup,
                               sp.size * SUP_SCALE if f.sup else sp.size, sp.size * SUP_RISE if f.sup else 0.0))
        return tuple(out)

    def _marker(self, bullet: str | None, indent: float, lines: list[TextLine]) -> TextLine | None:
        """The bullet glyph of a paragraph, placed: in its first run's face, size and colour, *indent*
        left of its first line."""
        if not bullet or not lines or not lines[0].runs:
            return None
        first, r0 = lines[0], lines[0].runs[0]
        run = TextRun(bullet, r0.font, r0.size, r0.color)
        return TextLine(first.x - indent, first.baseline, self._faces[r0.font][1].width(bullet, r0.size), (run,))

    def block(self, paras: list[Para], style: TextStyle, box: Box, role: str, *,
              inset: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0), anchor: str = "top",
              **extra) -> TextBlock:
        """Fit and place in one step; raise :class:`Overflow` when the text cannot fit."""
        l, t, r, b = inset
        fitted = self.fit(paras, style, box.w - l - r, box.h - t - b, role)
        return self.place(fitted, style, box, role, inset=inset, anchor=anchor, **extra)


def _merge(frags: list[Frag]) -> list[Frag]:
    """Join neighbouring fragments of the same format."""
    out: list[Frag] = []
    for f in frags:
        if out and (out[-1].bold, out[-1].italic, out[-1].sup, out[-1].font) == (f.bold, f.italic, f.sup, f.font):
            out[-1] = Frag(out[-1].text + f.text, f.bold, f.italic, f.sup, f.font)
        else:
            out.append(f)
    return out


_SPACES = re.compile(r"[ \t\n]+")


class _Word(NamedTuple):
    """A word prepared for line breaking."""

    ems: tuple[tuple[float, bool], ...]   # each run's advance width at size 1, and whether it is a superscript
    auto: float                           # its autospace, in ems
    runs: list[tuple[str, tuple]]         # its text by format (bold, italic, sup, font), neighbours joined
    lead: tuple                           # the format of a space before it
    text: str
    pieces: tuple[tuple[str, bool, bool, bool, str], ...]   # its runs as measured: (text, bold, italic, sup, font)


class _Prepared(NamedTuple):
    """A paragraph's words prepared for line breaking."""

    words: list[_Word]
    ems: list[float] | None    # each word's width at size 1 when every word is one run, not superscript,
    #                            without autospace (the common case: a word's width is then em × size)
    texts: list[str]           # each word's text
    fmt: tuple | None          # the one format of every word and space, if they share one


def _prepare(words: list[_Word]) -> _Prepared:
    simple = all(len(w.ems) == 1 and not w.ems[0][1] and w.auto == 0.0 for w in words)
    fmts = {w.lead for w in words} | {r[1] for w in words for r in w.runs}
    return _Prepared(words, [w.ems[0][0] for w in words] if simple else None, [w.text for w in words],
                     fmts.pop() if len(fmts) == 1 else None)


# a paragraph broken into lines: the lines, their widths, the joins between them, the words cut inside
_Lines = tuple[list[list[Frag]], list[float], list[str], tuple[str, ...]]


def _whole_words(prep: _Prepared, wws: list[float], space: float, limit: float) -> _Lines:
    """Greedy breaking of words whose widths are *wws*, none wider than *limit*: as the general loop of
    :meth:`Typesetter._break` does it (the same sums in the same order), without building lines as it goes."""
    starts: list[int] = []
    widths: list[float] = []
    cur_w = 0.0
    for i, ww in enumerate(wws):
        if starts and cur_w + space + ww <= limit:
            cur_w += space + ww
            continue
        if starts:
            widths.append(cur_w)
        starts.append(i)
        cur_w = ww
    widths.append(cur_w)
    if not starts:
        return [[]], widths, [""], ()
    ends = starts[1:] + [len(wws)]
    if prep.fmt is not None:
        texts = prep.texts
        lines = [[Frag(" ".join(texts[a:b]), *prep.fmt)] for a, b in zip(starts, ends)]
    else:
        lines = []
        words = prep.words
        for a, b in zip(starts, ends):
            parts = list(words[a].runs)
            for w in words[a + 1:b]:
                parts.append((" ", w.lead))
                parts += w.runs
            lines.append(_frags(parts))
    return lines, widths, [""] + [" "] * (len(starts) - 1), ()


def _runs_of(parts: list[tuple[str, tuple]]) -> list[tuple[str, tuple]]:
    """(text, format) parts with neighbours of the same format joined."""
    out: list[tuple[str, tuple]] = []
    texts: list[str] = []
    last = None
    for text, fmt in parts:
        if fmt != last:
            if texts:
                out.append(("".join(texts), last))
            texts, last = [], fmt
        texts.append(text)
    if texts:
        out.append(("".join(texts), last))
    return out


def _frags(parts: list[tuple[str, tuple]]) -> list[Frag]:
    """A line's (text, format) parts as fragments, neighbours of the same format joined."""
    return [Frag(text, *fmt) for text, fmt in _runs_of(parts)]



def _style(bold: bool, italic: bool) -> str:
    """The style name of a face: regular, bold, italic or bold_italic."""
    return ("bold_italic" if italic else "bold") if bold else ("italic" if italic else "regular")


def autospace(text: str) -> float:
    """The room, in ems, LibreOffice adds to *text* between East Asian (wide) characters and others:
    one :data:`AUTOSPACE` at each change inside it and at each end that is wide (a space or another
    word lies beyond).  Measuring it makes the width an upper bound, as for kerning."""
    if text.isascii():
        return 0.0
    wide = [unicodedata.east_asian_width(c) in "WF" for c in text]
    if not any(wide):
        return 0.0
    changes = sum(a != b for a, b in zip(wide, wide[1:])) + wide[0] + wide[-1]
    return AUTOSPACE * changes
