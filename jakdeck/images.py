"""Checking image files a user names (poster logos) before anything uses them.

:func:`check_image` opens a file with a pixel limit, decodes it completely and
returns its size, or raises ValueError with one line saying what is wrong: not
an image, an SVG or a PDF where a PNG or JPEG is needed, too many pixels (a
decompression bomb), truncated or corrupt data.
"""

from __future__ import annotations

import warnings
from pathlib import Path

from PIL import Image, UnidentifiedImageError

MAX_PIXELS = 40_000_000       # 40 megapixels: a 300 ppi logo for any poster has far fewer
FORMATS = ("PNG", "JPEG")
_SIGNATURES = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}


def _sniff(head: bytes) -> str | None:
    """What the first bytes of a file say it is."""
    for sig, kind in _SIGNATURES.items():
        if head.startswith(sig):
            return kind
    text = head.lstrip().lower()
    if head.startswith(b"%PDF"):
        return "a PDF document"
    if text.startswith((b"<svg", b"<?xml")) and b"<svg" in text:
        return "an SVG drawing"
    if text.startswith((b"<?xml", b"<!doctype", b"<html")):
        return "an XML or HTML document"
    if head.startswith((b"GIF8", b"BM", b"II*\x00", b"MM\x00*", b"RIFF")):
        return "a GIF, BMP, TIFF or WebP image"
    return None


def check_image(path: str | Path) -> tuple[int, int]:
    """Return (width, height) in pixels of the PNG or JPEG at *path*; raise ValueError otherwise."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(512)
    except OSError as exc:
        raise ValueError(f"cannot read it: {exc.strerror or exc}") from None
    kind = _sniff(head)
    if kind not in FORMATS:
        if kind:
            raise ValueError(f"is {kind}: a logo must be a PNG or JPEG image (export it as PNG at 300 ppi)")
        raise ValueError(f"is {'an empty file' if not head else 'not an image'}: a logo must be a PNG or JPEG image")
    if kind == "PNG" and len(head) >= 24 and head[12:16] == b"IHDR":  # the size, before PIL decides
        w, h = int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
        if w * h > MAX_PIXELS:
            raise ValueError(f"has {w} × {h} pixels: at most {MAX_PIXELS // 1_000_000} megapixels allowed "
                             "(scale it down)")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as im:
                w, h = im.size
                if w * h > MAX_PIXELS:
                    raise ValueError(f"has {w} × {h} pixels: at most {MAX_PIXELS // 1_000_000} megapixels allowed "
                                     "(scale it down)")
                if im.format not in FORMATS:
                    raise ValueError(f"is a {im.format} image: a logo must be a PNG or JPEG image")
                im.load()  # decode it all: truncated or corrupt data fails here, not in a renderer
    except ValueError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValueError(f"has too many pixels: at most {MAX_PIXELS // 1_000_000} megapixels allowed") from None
    except (UnidentifiedImageError, OSError, SyntaxError, EOFError) as exc:
        detail = " ".join(str(exc).split()) or type(exc).__name__
        raise ValueError(f"is a damaged or truncated {kind} file ({detail})") from None
    if w < 1 or h < 1:
        raise ValueError("has no pixels")
    return w, h
