"""A cold build wastes nothing: font facts parsed once per file content and cached, no barcode widgets."""

from __future__ import annotations

import hashlib
import marshal
import os
import subprocess
import sys
from pathlib import Path

import pytest

from jakdeck import cache, fonts, qr

from .conftest import ROOT

REGULAR = fonts.find_font_file("LiberationSans-Regular.ttf")
BOLD = fonts.find_font_file("LiberationSans-Bold.ttf")


@pytest.fixture
def cache_in(tmp_path, monkeypatch):
    """A fresh, empty cache folder for the test, and no facts remembered in the process."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("JAKDECK_CACHE", str(folder))
    fonts._facts.cache_clear()
    yield folder
    fonts._facts.cache_clear()


def _fresh(path: str) -> tuple[int, str, dict[int, int]]:
    from fontTools.ttLib import TTFont
    with TTFont(path) as font:
        hmtx = font["hmtx"].metrics
        return (font["head"].unitsPerEm, font["name"].getBestFamilyName(),
                {cp: hmtx[g][0] for cp, g in font.getBestCmap().items()})


def _entries(folder) -> list:
    return sorted(folder.glob("font-*.marshal"))


def _entry(folder, path: str):
    return folder / f"font-{hashlib.sha256(Path(path).read_bytes()).hexdigest()}.marshal"


def test_cached_facts_equal_a_fresh_parse_and_are_read_without_parsing(cache_in, monkeypatch):
    first = fonts.font_facts(REGULAR)
    assert (first.units_per_em, first.family, first.advance) == _fresh(REGULAR)
    assert len(_entries(cache_in)) == 1
    fonts._facts.cache_clear()
    monkeypatch.setattr(fonts, "_parse", lambda data: pytest.fail("parsed although the cache holds the facts"))
    again = fonts.font_facts(REGULAR)
    assert again == first
    m = fonts.Metrics(REGULAR)
    assert m.width("JAK inhibitor", 10) == pytest.approx(
        sum(first.advance[ord(c)] for c in "JAK inhibitor") / first.units_per_em * 10)


def _sealed(fmt: int, kind: str, key: str, value) -> bytes:
    """A cache entry as jakdeck writes one: the value marshalled, with the sha256 of those bytes."""
    data = marshal.dumps(value)
    return marshal.dumps((fmt, kind, key, hashlib.sha256(data).hexdigest(), data))


def _opened(entry: bytes):
    fmt, kind, key, _digest, data = marshal.loads(entry)
    return fmt, kind, key, marshal.loads(data)


@pytest.mark.parametrize("damage", ["garbage", "truncated", "other-format", "other-key", "bad-value", "tampered"])
def test_a_damaged_or_foreign_entry_is_ignored_and_rewritten(cache_in, damage):
    fonts.font_facts(BOLD)
    fonts.font_facts(REGULAR)
    fonts._facts.cache_clear()
    bold_entry, regular_entry = _entry(cache_in, BOLD), _entry(cache_in, REGULAR)
    good = regular_entry.read_bytes()
    fmt, kind, key, value = _opened(good)
    tampered = (value[0], value[1], value[2], {**value[3], 65: value[3][65] + 1})   # one advance changed
    regular_entry.write_bytes({
        "garbage": b"\x00not marshal at all",
        "truncated": good[: len(good) // 2],
        "other-format": _sealed(fmt + 1, kind, key, value),
        "other-key": bold_entry.read_bytes(),                     # another font's facts under this name
        "bad-value": _sealed(fmt, kind, key, (None, 2048, "Liberation Sans", {65: "wide"})),
        # the value changed, the digest kept: a damaged file that still reads as marshal
        "tampered": marshal.dumps((fmt, kind, key, marshal.loads(good)[3], marshal.dumps(tampered))),
    }[damage])
    facts = fonts.font_facts(REGULAR)
    assert (facts.units_per_em, facts.family, facts.advance) == _fresh(REGULAR)
    assert regular_entry.read_bytes() == good                    # written anew, as a fresh parse writes it


def test_the_cache_can_be_turned_off_or_fail_without_failing_anything(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("JAKDECK_CACHE", "off")
    fonts._facts.cache_clear()
    assert fonts.font_facts(REGULAR).advance == _fresh(REGULAR)[2]
    assert not (tmp_path / "xdg").exists()
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("JAKDECK_CACHE", str(blocker))           # the cache cannot be written: no error
    fonts._facts.cache_clear()
    assert fonts.font_facts(REGULAR).advance == _fresh(REGULAR)[2]
    monkeypatch.delenv("JAKDECK_CACHE")
    assert cache.cache_dir() == tmp_path / "xdg" / "jakdeck"
    fonts._facts.cache_clear()


def test_what_check_font_decides_is_cached_too(cache_in, tmp_path, monkeypatch):
    fonts.check_font(REGULAR)
    fonts._facts.cache_clear()
    monkeypatch.setattr(fonts, "_parse", lambda data: pytest.fail("parsed again"))
    assert fonts.check_font(REGULAR) is None


def test_a_font_fonttools_cannot_read_is_reported_alike_and_never_kept(cache_in, tmp_path):
    bad = tmp_path / "Broken.ttf"
    bad.write_bytes(b"\x00\x01\x00\x00" + b"\x07" * 400)
    problem = fonts.check_font(str(bad))
    assert problem is not None and problem.startswith("is not a readable TrueType font")
    assert not _entry(cache_in, str(bad)).exists()       # what raised may not raise next time
    fonts._facts.cache_clear()
    assert fonts.check_font(str(bad)) == problem
    with pytest.raises(fonts.FontError, match="is not a readable TrueType font"):
        fonts.Metrics(str(bad))


def _python(code: str, env: dict) -> str:
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, PYTHONPATH=str(ROOT), **env))
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip().splitlines()[-1]


def test_a_build_with_a_warm_cache_imports_no_fonttools_no_yaml_and_no_barcode_widgets(tmp_path):
    code = (f"import sys\nfrom jakdeck.cli import main\n"
            f"assert main(['build', '--no-config', '--out', {str(tmp_path / 'out')!r}]) == 0\n"
            "print(sorted({m.split('.')[0] if m.startswith(('fontTools', 'yaml')) else m for m in sys.modules\n"
            "              if m.startswith(('fontTools', 'yaml', 'reportlab.graphics', 'reportlab.platypus'))}))")
    env = {"JAKDECK_CACHE": str(tmp_path / "cache")}
    assert _python(code, env) == "['fontTools', 'yaml']"          # a cold cache: fonts and YAML files parsed once
    assert _python(code, env) == "[]"                             # then never again


def test_the_qr_encoder_loaded_from_its_file_is_reportlabs():
    from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel

    def modules(cls, level, text):
        code = cls(None, level.M)
        code.addData(text)
        code.make()
        return code.modules

    for text in ("https://doi.org/10.1000/xyz123", "HTTPS://EXAMPLE.ORG/A", "x" * 300):
        assert modules(qr.QRCode, qr.QRErrorCorrectLevel, text) == modules(QRCode, QRErrorCorrectLevel, text)
    assert qr.QRCode.__module__ == "jakdeck._qrencoder"        # not through the barcode package


def test_a_build_from_a_content_file_loads_no_abstract_parser(tmp_path):
    code = (f"import sys\nfrom jakdeck.cli import main\n"
            f"assert main(['build', '--no-config', '--only', 'talk', '--out', {str(tmp_path / 'out')!r}]) == 0\n"
            "print(sorted(m for m in sys.modules if m in ('pysbd', 'jakdeck.importer.parse', "
            "'jakdeck.importer.summarise', 'jakdeck.importer.biology')))")
    assert _python(code, {"JAKDECK_CACHE": str(tmp_path / "cache")}) == "[]"
    abstract = ROOT / "tests" / "fixtures" / "abstracts" / "one-paragraph.txt"
    code = code.replace("'--no-config',", f"'--no-config', '--content', {str(abstract)!r},")
    assert _python(code, {"JAKDECK_CACHE": str(tmp_path / "cache")}) == \
        "['jakdeck.importer.biology', 'jakdeck.importer.parse', 'jakdeck.importer.summarise', 'pysbd']"


YAML_TEXT = "title: A\nsize: 4:3\nitems:\n  - one\n  - {a: 1.5, b: null}\n"


def test_a_cached_parse_equals_a_fresh_one_and_is_read_without_parsing(cache_in, monkeypatch):
    from jakdeck import yamlparse, yamlsrc
    first = yamlsrc.parse_yaml(YAML_TEXT, "a.yaml")
    fresh = yamlparse.parse(YAML_TEXT, "a.yaml")
    assert (first.data, first.marks, first.plain) == fresh
    assert first.plain == {("size",): "4:3"} and first.marks[("items", 1, "a")] == (5, 6)
    assert len(list(cache_in.glob("yaml-*.marshal"))) == 1
    monkeypatch.setattr(yamlparse, "parse", lambda text, file: pytest.fail("parsed although the cache holds it"))
    again = yamlsrc.parse_yaml(YAML_TEXT, "b.yaml")
    assert (again.file, again.data, again.marks, again.plain) == ("b.yaml", first.data, first.marks, first.plain)
    again.data["items"].append("changed")                        # each caller gets its own data
    assert yamlsrc.parse_yaml(YAML_TEXT, "b.yaml").data == first.data


def test_a_bad_file_is_reported_every_time_and_another_parser_misses_the_cache(cache_in, monkeypatch):
    from jakdeck import yamlsrc
    from jakdeck.errors import InputError
    for _ in range(2):
        with pytest.raises(InputError, match="duplicate key 'a'"):
            yamlsrc.parse_yaml("a: 1\na: 2\n", "bad.yaml")
    assert not list(cache_in.glob("yaml-*.marshal"))
    yamlsrc.parse_yaml(YAML_TEXT, "a.yaml")
    monkeypatch.setattr(yamlsrc, "_parser_key", lambda: "another parser")
    yamlsrc.parse_yaml(YAML_TEXT, "a.yaml")
    assert len(list(cache_in.glob("yaml-*.marshal"))) == 2       # kept once per parser


def test_a_kept_qr_code_equals_a_fresh_encoding_and_is_read_without_encoding(cache_in, monkeypatch):
    from jakdeck import compose_poster
    from jakdeck.qr import QRCode, QRErrorCorrectLevel
    url = "https://doi.org/10.1000/xyz123?query=JAK+inhibitors"
    code = QRCode(None, QRErrorCorrectLevel.M)
    code.addData(url)
    code.make()
    fresh = tuple(tuple(bool(m) for m in row) for row in code.modules)
    compose_poster._qr_rows.cache_clear()
    assert compose_poster._qr_rows(url) == fresh
    (entry,) = cache_in.glob("qr-*.marshal")
    compose_poster._qr_rows.cache_clear()
    monkeypatch.setattr(compose_poster, "QRCode", lambda *a: pytest.fail("encoded although the cache holds it"))
    assert compose_poster._qr_rows(url) == fresh
    monkeypatch.setattr(compose_poster, "QRCode", QRCode)
    fmt, kind, key, rows = _opened(entry.read_bytes())
    entry.write_bytes(_sealed(fmt, kind, key, rows[:-1]))   # not square: ignored and written anew
    compose_poster._qr_rows.cache_clear()
    assert compose_poster._qr_rows(url) == fresh and _opened(entry.read_bytes())[3] == fresh
    compose_poster._qr_rows.cache_clear()


def test_the_cache_keeps_at_most_its_limit_of_a_kind_the_newest(tmp_path, monkeypatch):
    import os

    from jakdeck import cache
    monkeypatch.setenv("JAKDECK_CACHE", str(tmp_path))
    monkeypatch.setattr(cache, "MAX_ENTRIES", 3)
    for i in range(6):
        cache.store("yaml", f"k{i}", {"n": i})
        os.utime(tmp_path / f"yaml-k{i}.marshal", (1_000_000 + i, 1_000_000 + i))   # older first
    cache.store("font", "other", 1)                                                  # another kind: apart
    assert sorted(p.name for p in tmp_path.glob("yaml-*.marshal")) == [f"yaml-k{i}.marshal" for i in (3, 4, 5)]
    assert cache.load("yaml", "k5") == {"n": 5} and cache.load("yaml", "k0") is None
    assert cache.load("font", "other") == 1


def test_a_parse_that_raised_is_not_kept_and_is_tried_again(cache_in, monkeypatch):
    import fontTools.ttLib

    real = fontTools.ttLib.TTFont

    def no_memory(*args, **kwargs):
        raise MemoryError

    fonts._facts.cache_clear()
    monkeypatch.setattr(fontTools.ttLib, "TTFont", no_memory)
    assert "MemoryError" in fonts.font_facts(REGULAR).problem
    assert not _entry(cache_in, REGULAR).exists()
    monkeypatch.setattr(fontTools.ttLib, "TTFont", real)
    fonts._facts.cache_clear()
    assert fonts.font_facts(REGULAR).problem is None and _entry(cache_in, REGULAR).exists()
