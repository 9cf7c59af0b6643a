"""Lengths and paper sizes.  The one unit inside jakdeck is the PostScript point (1/72 in)."""

from __future__ import annotations

import re

PT_PER_IN = 72.0
PT_PER_MM = 72.0 / 25.4
EMU_PER_PT = 12700

_UNITS = {"pt": 1.0, "mm": PT_PER_MM, "cm": 10 * PT_PER_MM, "in": PT_PER_IN}
_LENGTH = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(pt|mm|cm|in)?\s*$")

# ISO 216 A series, portrait, in mm.  US poster sizes are written as WxH (36x48in, 48x36in).
PAPER_MM: dict[str, tuple[float, float]] = {
    "A0": (841, 1189), "A1": (594, 841), "A2": (420, 594), "A3": (297, 420), "A4": (210, 297),
}
# PDF viewers and printers stop at 200 in (14400 pt) per side without a user unit; the bleed (at
# most 20 mm a side) must fit too, so a poster's finished size stays within 100–5000 mm a side.
PAGE_MIN_MM = 100.0
PAGE_MAX_MM = 5000.0
_CUSTOM = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*[xX×]\s*(\d+(?:\.\d+)?)\s*(mm|cm|in)\s*$")


def mm(value: float) -> float:
    """Return *value* millimetres in points."""
    return value * PT_PER_MM


def inch(value: float) -> float:
    """Return *value* inches in points."""
    return value * PT_PER_IN


def to_mm(points: float) -> float:
    """Return *points* in millimetres."""
    return points / PT_PER_MM


def parse_length(value: object) -> float:
    """Parse ``'20mm'``, ``'1.5in'``, ``'12pt'`` or a bare number (points) into points.

    Raises ValueError with a readable message for anything else.
    """
    if isinstance(value, bool):
        raise ValueError(f"expected a length such as 20mm, 1in or 12pt (got {value!r})")
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        m = _LENGTH.match(value)
        if m:
            return float(m.group(1)) * _UNITS[m.group(2) or "pt"]
    raise ValueError(f"expected a length such as 20mm, 1in or 12pt (got {value!r})")


def parse_paper(size: str, orientation: str | None = None) -> tuple[float, float]:
    """Return (width, height) in points for a named or ``WxH`` unit size and an orientation.

    Named ISO sizes are portrait unless *orientation* is ``landscape``; ``WxH``
    sizes (``36x48in``, ``800x1000mm``) are taken as written unless an explicit
    orientation contradicts them, in which case they are turned.
    """
    key = size.strip()
    upper = key.upper()
    if upper in PAPER_MM:
        w, h = PAPER_MM[upper]
        w, h = mm(w), mm(h)
    else:
        m = _CUSTOM.match(key.lower())
        if not m:
            shown = key if len(key) <= 30 else key[:27] + "..."
            raise ValueError(
                f"unknown paper size {shown!r}: use A0, A1, A2, A3, A4, 36x48in, 48x36in or WxH with mm, cm or in")
        factor = _UNITS[m.group(3)]
        w, h = float(m.group(1)) * factor, float(m.group(2)) * factor
        if not all(mm(PAGE_MIN_MM) - 1e-6 <= v <= mm(PAGE_MAX_MM) + 1e-6 for v in (w, h)):
            shown = key if len(key) <= 30 else key[:27] + "..."
            raise ValueError(f"paper size {shown!r}: each side must be between {PAGE_MIN_MM:g} and "
                             f"{PAGE_MAX_MM:g} mm (PDF pages stop at 200 in, 5080 mm, bleed included)")
    if orientation == "landscape" and w < h or orientation == "portrait" and w > h:
        w, h = h, w
    return w, h
