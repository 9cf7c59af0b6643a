"""Headings, key points and the safety line drawn from an author's paragraphs.

Sentences are split by pysbd (rule-based, offline, and it keeps "vs.", "e.g.",
"p < 0.05" and decimals inside their sentence).  A key point is one sentence
shortened to about twelve words at a clause or phrase boundary – never inside a
word or a number, never ending on a conjunction or preposition.  The cue words
are data in ``rules.yaml``.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import pysbd
import yaml

from .biology import Mention

RULES_PATH = Path(__file__).resolve().parent / "rules.yaml"
_NUMBER = re.compile(r"\d")
# a result: a percentage, a p-value, n =, a range or a dose or duration (not the digits in a name)
_QUANTITY = re.compile(r"(?<![\w-])(?:\d+(?:[.,]\d+)?\s*%|[pP]\s*[<=>≤≥]\s*0?[.,]?\d|[nN]\s*=\s*\d|"
                       r"\d+(?:[.,]\d+)?\s*(?:±|/)\s*\d|\d+(?:[.,]\d+)?\s*(?:[µμm]?g|mL|ml|weeks?|wk|months?|years?|"
                       r"days?|patients|participants|subjects|children|adults|of)\b|(?:HR|OR|RR|CI)\b)")
_VALUE = re.compile(r"^[^\w]*\d")   # a word that is a number, not a name with digits in it
_SUBORDINATE = re.compile(r"^(?:while|although|though|whereas|even though|despite|even if)\s+([^,]+),\s*(.+)$",
                          re.IGNORECASE)
_WORD = re.compile(r"[\w'’-]+")


@lru_cache(maxsize=1)
def rules() -> dict[str, Any]:
    """The importer's cue words and limits (``rules.yaml``)."""
    return yaml.safe_load(RULES_PATH.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False)


def sentences(paragraph: str) -> list[str]:
    """The paragraph's sentences, whitespace trimmed."""
    return list(_sentences(paragraph))


@lru_cache(maxsize=4096)
def _sentences(paragraph: str) -> tuple[str, ...]:
    """(Remembered: the importer asks for a paragraph's sentences several times, and a watch session
    again for every paragraph an edit did not touch; splitting is the importer's slowest step.)"""
    return tuple(s.strip() for s in _segmenter().segment(paragraph) if s.strip())


def _has(text: str, cue: str) -> bool:
    if cue[:1].isalnum() and cue[-1:].isalnum():
        return _cue_pattern(cue).search(text) is not None
    return cue.lower() in text.lower()


@cache
def _cue_pattern(cue: str) -> re.Pattern:
    """A cue word as a pattern: not inside a longer word, any case (compiled once per process)."""
    return re.compile(rf"(?<![\w-]){re.escape(cue)}", re.IGNORECASE)


def cue_patterns() -> None:
    """Compile every cue of the rules now (for a process that forks jobs: see jakdeck.batch_warm)."""
    data = rules()
    cues = list(data["safety_cues"]) + [c for kind in data.get("kinds", []) for c in kind.get("cues", [])]
    for cue in cues:
        if cue[:1].isalnum() and cue[-1:].isalnum():
            _cue_pattern(cue)


def _strip_dangling(words: list[str]) -> list[str]:
    dangling = set(rules()["dangling"])
    while words and (words[-1].lower().strip(",;:") in dangling or words[-1] in ("–", "-", "—")):
        words = words[:-1]
    if words:
        words[-1] = words[-1].rstrip(",;:–—")
    return words


def _simplify(s: str) -> str:
    r = rules()
    s = s.strip().rstrip(".")
    for lead in sorted(r["lead_ins"], key=len, reverse=True):
        if s.lower().startswith(lead):
            s = s[len(lead):].lstrip(" ,")
            break
    low = s.lower()
    for op in sorted(r["openers"], key=len, reverse=True):
        if low.startswith(op + ",") or low.startswith(op + " "):
            rest = s[len(op):].lstrip(" ,")
            if len(rest.split()) >= 4:
                s = rest
            break
    s = re.sub(r",\s*(?:also known as|i\.e\.,?)\s+[^,]+,", "", s)            # appositives
    s = re.sub(r"\s*\((?![^)]*\d)[^)]*\)", "", s)                          # asides without numbers
    if re.match(r"^(?:In|For|Among|During|Within|Across|Regarding)\b[^,]{3,60},\s", s):
        rest = s.split(",", 1)[1].strip()
        if len(rest.split()) >= 6:
            s = rest
    m = _SUBORDINATE.match(s)
    if m and len(m.group(2).split()) >= 4:   # "while X, they Y" → "X-subject Y"
        main = m.group(2)
        subject = _subject(m.group(1), simplify=False)
        pron = re.match(r"^(?:they|it)\s+", main, re.IGNORECASE)
        if pron and subject:
            main = subject + " " + main[pron.end():]
        s = main
    return s[:1].upper() + s[1:] if s else s


def shorten(sentence: str) -> str:
    """One sentence as a key point of about twelve words (numbers kept whole)."""
    r = rules()
    s = _simplify(sentence)
    words = s.split()
    has_num = bool(_QUANTITY.search(s))
    limit = r["point_words_with_numbers"] if has_num else r["point_words"]
    if len(words) <= limit + 2:
        return " ".join(_strip_dangling(words))
    last_num = max((i for i, w in enumerate(words) if _VALUE.search(w)), default=-1) if has_num else -1
    low = max(5, last_num + 1, limit - 6)
    starts = set(r["clause_starts"])
    best = None
    for i in range(min(max(low, limit + 4), len(words) - 1), low - 1, -1):   # cut before word i: a clause boundary
        if words[i - 1].endswith((",", ";", ":")) or words[i].lower() in starts:
            best = i
            break
    if best is None and len(words) - low <= 3:   # the numbers run to the end: keep it whole
        return " ".join(_strip_dangling(words))
    for tier in (set(r["cut_before"]), set(r["dangling"])):   # else a phrase boundary, prepositions first
        if best is not None:
            break
        for i in range(min(max(low, limit + 2), len(words) - 1), max(low, limit - 3) - 1, -1):
            if words[i].lower() in tier:
                best = i
                break
    cut = _strip_dangling(words[: best or max(low, limit)])
    return " ".join(cut)


def _result_clauses(sentence: str) -> list[str]:
    """A long sentence reporting several results, split into its clauses that each hold a number."""
    if len(sentence.split()) <= rules()["point_words_with_numbers"] or not _QUANTITY.search(sentence):
        return [sentence]
    clauses = [c.strip() for c in re.split(r";\s+|,\s+(?:and|while|whereas|but)\s+", sentence) if c.strip()]
    if len(clauses) > 1 and all(_QUANTITY.search(c) and len(c.split()) >= 4 for c in clauses):
        return clauses
    return [sentence]


def _content_words(text: str) -> set[str]:
    stop = set(rules()["stopwords"])
    return {w.lower() for w in _WORD.findall(text) if w.lower() not in stop}


def key_points(paragraph: str, mentions: list[Mention]) -> list[str]:
    """Up to ``points_per_section`` key points, in the paragraph's order, none repeating another."""
    r = rules()
    sents = [c for s in sentences(paragraph) for c in _result_clauses(s)]
    scored = []
    for i, s in enumerate(sents):
        score = 2 * bool(_NUMBER.search(s)) + (i == 0) + any(_inside(m, paragraph, s) for m in mentions)
        scored.append((score, i, s))
    chosen: list[tuple[int, str]] = []
    seen: list[set[str]] = []
    for _score, i, s in sorted(scored, key=lambda t: (-t[0], t[1])):
        point = shorten(s)
        words = _content_words(point)
        if len(point.split()) < 3 or not words:
            continue
        if any(len(words & w) / len(words | w) >= 0.6 for w in seen):
            continue
        seen.append(words)
        chosen.append((i, point))
        if len(chosen) == r["points_per_section"]:
            break
    return [p for _, p in sorted(chosen)]


def _inside(m: Mention, paragraph: str, sentence: str) -> bool:
    start = paragraph.find(sentence)
    return start >= 0 and start <= m.start < start + len(sentence) and m.kind in ("cytokine", "drug", "disease")


def is_safety(paragraph: str) -> int:
    """How many safety cues *paragraph* names."""
    return sum(_has(paragraph, c) for c in rules()["safety_cues"])


def safety_line(paragraphs: list[str]) -> tuple[str, int | None]:
    """The footer: the safety sentence of the paragraph most about safety (and its index), or the generic line."""
    r = rules()
    best = max(range(len(paragraphs)), key=lambda i: (is_safety(paragraphs[i]), i), default=None)
    if best is None or is_safety(paragraphs[best]) < 2:
        return r["generic_safety"], None
    sents = sentences(paragraphs[best])
    s = max(sents, key=lambda t: (is_safety(t), -len(t))).strip()
    if len(s.split()) > 22:   # too long for the footer: the clause most about safety (the last on a tie)
        clauses = [c for c in re.split(r";\s+|,\s+(?:and|but|while|whereas)\s+", s) if len(c.split()) >= 4]
        s = max(reversed(clauses or [s]), key=is_safety)
        s = shorten(s) if len(s.split()) > 22 else _simplify(s)
    s = s.strip().rstrip(".")
    return s[:1].upper() + s[1:] + ".", best


def mostly_safety(paragraph: str) -> bool:
    """A paragraph about safety: two cues or more, in at least half of its sentences."""
    sents = sentences(paragraph)
    return is_safety(paragraph) >= 2 and sum(is_safety(t) > 0 for t in sents) * 2 >= len(sents)


def _subject(sentence: str, simplify: bool = True, clean_only: bool = True) -> str | None:
    """The sentence's subject when it ends cleanly (at a verb from the list or a comma)."""
    r = rules()
    s = _simplify(sentence) if simplify else sentence
    stops = set(r["subject_stops"])
    words = []
    clean = False
    for w in s.split():
        if w.lower().strip(",;:") in stops:
            clean = True
            break
        words.append(w)
        if w.endswith((",", ";", ":")):
            clean = True
            break
    if clean_only and not clean:
        return None
    words = _strip_dangling(words)
    text = " ".join(words)
    low = text.lower()
    if not words or len(words) > r["heading_words"] or any(low == ws or low.startswith(ws + " ")
                                                           for ws in r["weak_subjects"]):
        return None
    return text[:1].upper() + text[1:]


def _keyword(paragraph: str) -> str:
    """The paragraph's most repeated content phrase of one to three words (the first on a tie)."""
    stop = set(rules()["stopwords"]) | set(rules()["dangling"])
    tokens = _WORD.findall(paragraph)
    counts: dict[str, tuple[int, int, str]] = {}
    for n in (3, 2, 1):
        for i in range(len(tokens) - n + 1):
            gram = tokens[i:i + n]
            if gram[0].lower() in stop or gram[-1].lower() in stop or any(g.isdigit() for g in gram):
                continue
            key = " ".join(g.lower() for g in gram)
            c, first, text = counts.get(key, (0, i, " ".join(gram)))
            counts[key] = (c + 1, first, text)
    if not counts:
        return " ".join(tokens[:3])
    key = max(counts, key=lambda k: (counts[k][0] * len(k.split()) ** 0.5 * (counts[k][0] > 1), -counts[k][1]))
    text = counts[key][2]
    return text[:1].upper() + text[1:]


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _biology(mentions: list[Mention]) -> list[str]:
    """Headings from the biology a paragraph names: one disease, the cytokines, or the drugs."""
    from .biology import drug_label
    out = []
    diseases = list(dict.fromkeys(m.key for m in mentions if m.kind == "disease"))
    if len(diseases) == 1:
        out.append(diseases[0])
    cytokines = list(dict.fromkeys(m.key for m in mentions if m.kind in ("cytokine", "not_drawn")))
    if 1 <= len(cytokines) <= 3:
        out.append(_join(cytokines))
    drugs = list(dict.fromkeys(drug_label(m.key) for m in mentions if m.kind == "drug"))
    if 1 <= len(drugs) <= 3:
        out.append(_join(drugs))
    family = [m.text for m in mentions if m.kind == "family"]
    if family:
        out.append(family[0][:1].upper() + family[0][1:])
    return out


def heading(paragraph: str, mentions: list[Mention], index: int, label: str | None, used: set[str],
            count: int = 1) -> str:
    """A heading naming what the paragraph is about: its label, the disease, safety, the kind of
    paragraph (methods, results ...), its subject, the biology it names, or its key phrase."""
    r = rules()
    candidates: list[str] = []
    if label:
        candidates.append(label)
    sents = sentences(paragraph)
    first_clause = re.split(r"[,;:]", sents[0])[0] if sents else ""
    diseases = [m for m in mentions if m.kind == "disease"]
    counts: dict[str, int] = {}
    for m in diseases:
        counts[m.key] = counts.get(m.key, 0) + 1
    if counts:
        top = max(counts, key=lambda d: (counts[d], -[m.key for m in diseases].index(d)))
        lead = next((m.key for m in diseases if m.start < len(first_clause)), None)
        if counts[top] >= 2 and list(counts.values()).count(counts[top]) == 1:
            candidates.append(top)
        elif lead:
            candidates.append(lead)
    if mostly_safety(paragraph):
        candidates.append(r["safety_heading"])
    subject = _subject(sents[0]) if sents else None
    if count >= 3:
        for kind in r["kinds"]:
            if kind.get("first_only"):
                if index == 0:
                    candidates += [subject] if subject else []
                    candidates.append(kind["heading"])
                continue
            if kind.get("needs_number") and not _QUANTITY.search(paragraph):
                continue
            if sum(_has(paragraph, c) for c in kind["cues"]) >= (2 if kind.get("needs_number") else 1):
                candidates.append(kind["heading"])
    if subject:
        candidates.append(subject)
    candidates += _biology(mentions)
    loose = _subject(sents[0], clean_only=False) if sents else None
    if loose:
        candidates.append(loose)
    candidates.append(_keyword(paragraph))
    for c in candidates:
        if c and c.lower() not in used:
            return c
    base = candidates[0]
    n = 2
    while f"{base} ({n})".lower() in used:
        n += 1
    return f"{base} ({n})"
