"""Splitting an abstract's text into title, authors, affiliations and paragraphs.

The shape read is the usual one for a congress abstract::

    # Title                       (or simply the first line)
    A. Author1,2, B. Author2 and C. Author1*
    1 First institution, City, Country
    2 Second institution
    * corresponding author: ...   (footnotes are dropped)

    First paragraph ...

Blank lines may sit anywhere; affiliation lines may be numbered (``1``,
``1.``, ``¹``, ``^1^``, ``*``, ``†``) or not, and a line ending in a comma
continues on the next.  Author markers may be superscript digits, ``^1,2^``,
digits written straight after the name, or symbols.  Nothing here knows the
subject of the abstract.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import Diagnostic, InputError

_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_SUP_RUN = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+(?:\s*[,،]\s*[⁰¹²³⁴⁵⁶⁷⁸⁹]+)*")
_SYMBOLS = "*†‡§¶#"
_DIGITS_AFTER_NAME = re.compile(r"(?<=[^\W\d_.])(\d{1,2}(?:,\d{1,2})*)(?=[\s,;*†‡§¶#^]|$)")
_SYMBOLS_AFTER_NAME = re.compile(r"(?<=[^\s,;])([*†‡§¶#]+)")
_MARK_GROUP = re.compile(r"\^([^^]*)\^")
_AUTHOR_SPLIT = re.compile(r"\s*[,;]\s*|\s+(?:and|&)\s+", re.IGNORECASE)
_DEGREE = re.compile(r"^(?:M\.?D|Ph\.?D|M\.?Sc?|B\.?Sc?|MBBS|MPH|RN|D\.?O|FAAD|FRCP|Dr\.?med|Jr\.?|Sr\.?|Prof\.?)$",
                     re.IGNORECASE)
_AFF_MARK = re.compile(r"^(?:\^([^^]+)\^|([⁰¹²³⁴⁵⁶⁷⁸⁹]+)|(\d{1,2})[.)]?(?=\s|[^\d\s.,])|([*†‡§¶#]+))\s*")
_FOOTNOTE = re.compile(r"correspond|e-?mail|@|equal(?:ly)? contribut|these authors", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?。][)\"'’”]*$")
_INSTITUTION = re.compile(r"\b(?:universit|department|dept\b|hospital|institut|school|college|cent(?:er|re)|clinic|"
                          r"faculty|laborator|academy|foundation|division|unit\b|inc\b|ltd\b|gmbh)", re.IGNORECASE)
_HEADING_MD = re.compile(r"^#{2,6}\s+(.*?)\s*#*$")
_LABEL = re.compile(r"^(?:\*\*|__)?([A-Z][A-Za-z /&-]{2,40}?)(?:\*\*|__)?\s*[:：](?:\*\*|__)?\s+(?=\S)")


@dataclass(frozen=True)
class RawAuthor:
    name: str
    marks: tuple[str, ...] = ()


@dataclass(frozen=True)
class RawParagraph:
    text: str
    line: int
    label: str | None = None      # an explicit heading: "## Methods" or "Methods:" before the text


@dataclass
class RawAbstract:
    title: str
    authors: list[RawAuthor]
    affiliations: list[tuple[str | None, str]]    # (marker or None, institution)
    paragraphs: list[RawParagraph]
    warnings: list[Diagnostic] = field(default_factory=list)


def _clean(line: str) -> str:
    return " ".join(line.replace("\t", " ").replace("\u00a0", " ").split())


def _words(line: str) -> int:
    return len(line.split())


def is_prose(line: str) -> bool:
    """A line of running text (the body) rather than a byline or an institution."""
    n = _words(line)
    if n >= 30:
        return True
    if _INSTITUTION.search(line) and line.count(",") >= 1 and n < 30:
        return False
    return n >= 8 and bool(_SENTENCE_END.search(line)) and line.count(",") < n / 3


def _normalise_marks(line: str) -> str:
    """Write every author marker as ``^...^``."""
    line = _SUP_RUN.sub(lambda m: "^" + re.sub(r"\s", "", m.group(0)).translate(_SUPERSCRIPTS) + "^", line)
    line = _DIGITS_AFTER_NAME.sub(lambda m: f"^{m.group(1)}^", line)
    line = _SYMBOLS_AFTER_NAME.sub(lambda m: f"^{m.group(1)}^", line)
    while True:  # ^1^,^2^ and ^1^^*^ → one group
        merged = re.sub(r"\^([^^]*)\^\s*,?\s*\^([^^]*)\^", r"^\1,\2^", line)
        if merged == line:
            return line
        line = merged


def _split_marks(group: str) -> list[str]:
    out = []
    for part in re.split(r"[,\s]+", group):
        if not part:
            continue
        if part.isdigit() or all(c in _SYMBOLS for c in part):
            out.append(part)
        else:  # "1*": a number and a symbol
            out += re.findall(r"\d+|[*†‡§¶#]", part)
    return out


def parse_authors(line: str) -> list[RawAuthor]:
    """The names on a byline with their markers."""
    line = _normalise_marks(line)
    groups: list[str] = []
    protected = _MARK_GROUP.sub(lambda m: groups.append(m.group(1)) or f"\x00{len(groups) - 1}\x00", line)
    authors = []
    for piece in _AUTHOR_SPLIT.split(protected):
        marks = [mk for g in re.findall(r"\x00(\d+)\x00", piece) for mk in _split_marks(groups[int(g)])]
        name = re.sub(r"\x00\d+\x00", " ", piece)
        name = _clean(name).strip(" .,;")
        name = re.sub(r"^(?:and|&)\s+", "", name, flags=re.IGNORECASE)
        if not name or _DEGREE.match(name):
            continue
        authors.append(RawAuthor(name, tuple(dict.fromkeys(marks))))
    return authors


def _affiliation_mark(line: str) -> tuple[str | None, str]:
    m = _AFF_MARK.match(line)
    if not m:
        return None, line
    rest = line[m.end():].strip()
    if not rest or (m.group(3) and not rest[:1].isalpha()):
        return None, line
    mark = m.group(1) or (m.group(2) or "").translate(_SUPERSCRIPTS) or m.group(3) or m.group(4)
    return mark.strip(), rest


def parse_affiliations(lines: list[str]) -> list[tuple[str | None, str]]:
    """Institutions from the lines between the byline and the body; footnotes dropped."""
    out: list[tuple[str | None, str]] = []
    joining = False
    for line in lines:
        mark, rest = _affiliation_mark(line)
        if mark is None and joining and out:
            out[-1] = (out[-1][0], _clean(out[-1][1] + " " + rest))
        else:
            out.append((mark, _clean(rest)))
        joining = out[-1][1].endswith((",", "-", "–", "&")) or out[-1][1].lower().endswith(" and")
    return [(m, t.rstrip(",;")) for m, t in out if not _FOOTNOTE.search(t)]


def _title_and_header(lines: list[tuple[int, str]]) -> tuple[str, int, list[tuple[int, str]]]:
    """The title, the line it is on, and the header lines (byline and affiliations) that follow it."""
    hashed = next(((i, n, t) for i, (n, t) in enumerate(lines[:6]) if re.match(r"^#\s+\S", t)), None)
    if hashed is not None:
        i, n, t = hashed
        title = t.lstrip("#").strip().rstrip("#").strip()
    else:
        i, (n, title) = 0, lines[0]
        title = re.sub(r"^(?:title\s*:\s*)", "", title, flags=re.IGNORECASE)
    rest = lines[i + 1:]
    header = []
    for ln, t in rest:
        if is_prose(t) or _HEADING_MD.match(t) or _LABEL.match(t) and _words(t) > 8:
            break
        header.append((ln, t))
    return title.strip("*_ "), n, header


def _paragraphs(body: list[tuple[int, str | None]]) -> list[RawParagraph]:
    """Body lines (``None`` = a blank line) into paragraphs; soft-wrapped lines are joined."""
    blocks: list[list[tuple[int, str]]] = [[]]
    for ln, t in body:
        if t is None:
            blocks.append([])
        else:
            blocks[-1].append((ln, t))
    paras: list[RawParagraph] = []
    label: str | None = None
    for block in (b for b in blocks if b):
        longest = max(len(t) for _, t in block)
        chunks: list[list[tuple[int, str]]] = [[]]
        for ln, t in block:
            h = _HEADING_MD.match(t)
            if h:
                chunks.append([(ln, "\x00" + h.group(1))])
                chunks.append([])
                continue
            chunks[-1].append((ln, t))
            if longest > 160 and _SENTENCE_END.search(t):  # one paragraph per long line
                chunks.append([])
        for chunk in (c for c in chunks if c):
            if chunk[0][1].startswith("\x00"):
                label = chunk[0][1][1:].strip("*_ ") or None
                continue
            text = _clean(" ".join(t for _, t in chunk))
            m = _LABEL.match(text)
            if m and label is None:
                label, text = m.group(1).strip(), text[m.end():]
            if paras and not _SENTENCE_END.search(paras[-1].text) and label is None and text[:1].islower():
                prev = paras[-1]
                paras[-1] = RawParagraph(prev.text + " " + text, prev.line, prev.label)
                continue
            paras.append(RawParagraph(text, chunk[0][0], label))
            label = None
    return paras


def parse_abstract(text: str, name: str) -> RawAbstract:
    """Split *text* (decoded, ``\\n`` line ends) into the parts of an abstract."""
    text = re.sub(r"<!--.*?-->", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.DOTALL)  # comments
    numbered = [(n, _clean(t)) for n, t in enumerate(text.split("\n"), 1)]
    lines = [(n, t) for n, t in numbered if t]
    if not lines:
        raise InputError(Diagnostic("the file is empty: an abstract needs a title, authors and a paragraph", name))
    title, title_line, header = _title_and_header(lines)
    if not title:
        raise InputError(Diagnostic("the title line is empty", name, title_line))
    if not header:
        raise InputError(Diagnostic("no authors line after the title", name, title_line + 1, None,
                                    "put the authors on the line after the title, separated by commas"))
    # the byline: one line, or several when a line ends with a comma or "and"
    k = 1
    while k < len(header) and (header[k - 1][1].endswith(",") or header[k - 1][1].lower().endswith(" and")) \
            and not _affiliation_mark(header[k][1])[0] and not _INSTITUTION.search(header[k][1]):
        k += 1
    byline = " ".join(t for _, t in header[:k])
    authors = parse_authors(byline)
    if not authors:
        raise InputError(Diagnostic("no author names on the authors line", name, header[0][0]))
    affiliations = parse_affiliations([t for _, t in header[k:]])
    last = header[-1][0]
    body = [(n, t or None) for n, t in numbered if n > last]
    paragraphs = _paragraphs(body)
    if not paragraphs:
        raise InputError(Diagnostic("no paragraphs after the authors and affiliations", name, last + 1, None,
                                    "the body of the abstract follows the affiliations, after a blank line"))
    return RawAbstract(title, authors, affiliations, paragraphs)
