"""The front door: jakdeck.yaml found by default, --set, init, check, schema, list, YAML hints, the summary."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from pptx import Presentation
from pypdf import PdfReader

from jakdeck.cli import main
from jakdeck.commands.init import starter_config
from jakdeck.commands.summary import Progress
from jakdeck.json_schema import config_schema, content_schema
from jakdeck.project import config_keys

from .conftest import ROOT

MM = 72 / 25.4


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "jakdeck", *args], capture_output=True, text=True, cwd=cwd,
                          env=env, timeout=300)


@pytest.fixture
def started(tmp_path, monkeypatch) -> Path:
    """An empty folder after ``jakdeck init``, as the working folder."""
    monkeypatch.chdir(tmp_path)
    assert main(["init"]) == 0
    return tmp_path


def test_init_check_build_in_an_empty_folder(tmp_path):
    init = _run("init", cwd=tmp_path)
    assert init.returncode == 0, init.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content.yaml", "jakdeck.schema.json", "jakdeck.yaml"]
    check = _run("check", cwd=tmp_path)
    assert check.returncode == 0, check.stderr
    assert check.stderr.splitlines()[-1].startswith("checked in ")
    assert not (tmp_path / "output").exists()             # check writes nothing
    build = _run("build", cwd=tmp_path)
    assert build.returncode == 0, build.stderr
    assert build.stdout.split()[:2] == ["output/talk.pptx", "output/poster.pdf"]
    deck = Presentation(str(tmp_path / "output" / "talk.pptx"))
    titles = [s.shapes.title.text for s in deck.slides if s.shapes.title is not None]
    assert "Your abstract's title, exactly as submitted" in titles   # the starter content, named by the config
    summary = build.stderr.splitlines()[-1]
    assert summary.startswith("built in ") and "talk.pptx (6 slides, 16:9)" in summary
    assert "poster.pdf (A0 portrait, 841 × 1189 mm)" in summary and summary.endswith("no warnings")


def test_init_refuses_to_replace_files_in_one_line(started, capsys):
    before = (started / "jakdeck.yaml").read_text()
    (started / "jakdeck.yaml").write_text("theme: calibri\n")
    capsys.readouterr()
    assert main(["init"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "jakdeck.yaml" in err[0] and "--force" in err[0]
    assert (started / "jakdeck.yaml").read_text() == "theme: calibri\n"
    assert main(["init", "--force"]) == 0
    assert (started / "jakdeck.yaml").read_text() == before


def test_the_starter_config_names_every_key_with_its_default():
    text = starter_config()
    assert text.startswith("# yaml-language-server: $schema=jakdeck.schema.json\n")
    for key in config_keys():
        leaf = key.rsplit(".", 1)[-1]
        line = next((ln for ln in text.splitlines() if ln.lstrip("# ").startswith(leaf + ":")), None)
        assert line is not None, key
        assert "default" in line, line
    # everything commented out: the starter means exactly the defaults
    assert yaml.safe_load(text) is None


def test_set_overrides_give_a_4x3_deck_and_an_a1_landscape_poster(started, capsys):
    assert main(["build", "--set", "talk.aspect=4:3", "--set", "poster.size=A1",
                 "--set", "poster.orientation=landscape"]) == 0
    deck = Presentation(str(started / "output" / "talk.pptx"))
    assert deck.slide_width * 3 == deck.slide_height * 4
    box = PdfReader(started / "output" / "poster.pdf").pages[0].mediabox
    assert (round(float(box.width) / MM), round(float(box.height) / MM)) == (841, 594)
    assert "slides, 4:3), poster.pdf (A1 landscape, 841 × 594 mm)" in capsys.readouterr().err


def test_config_names_content_and_output_relative_to_itself(tmp_path, monkeypatch):
    proj = tmp_path / "proj"
    assert main(["init", str(proj)]) == 0
    (proj / "jakdeck.yaml").write_text("content: content.yaml\noutput: built\n")
    monkeypatch.chdir(tmp_path)
    assert main(["build", "--config", "proj/jakdeck.yaml"]) == 0
    assert (proj / "built" / "talk.pptx").is_file()
    assert not (tmp_path / "output").exists()


def test_no_config_ignores_jakdeck_yaml(started, capsys):
    (started / "jakdeck.yaml").write_text("talk: {aspcet: '4:3'}\n")
    assert main(["list", "slides", "--no-config"]) == 0
    assert "drugs" in capsys.readouterr().out.split()     # the built-in abstract, not the broken config


def _fails(args: list[str], capsys) -> list[str]:
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err.splitlines()


def test_a_misspelt_key_names_the_file_and_line_and_suggests(started, capsys):
    (started / "jakdeck.yaml").write_text("content: content.yaml\ntalk: {aspcet: \"4:3\"}\n")
    err = _fails(["build"], capsys)
    assert err == ["jakdeck.yaml:2:8: error: unknown key 'aspcet' in talk (hint: did you mean aspect?)"]
    err = _fails(["build", "--set", "talk.aspcet=4:3"], capsys)
    assert err == ["--set talk.aspcet=4:3: error: unknown config key 'talk.aspcet' (hint: did you mean talk.aspect?)"]


def test_set_values_take_the_key_type(started, capsys):
    err = _fails(["check", "--set", "handout.per_page=3", "--set", "poster.cmyk=maybe", "--set", "talk"], capsys)
    assert err[:3] == ["--set handout.per_page=3: error: handout.per_page must be one of 1, 2 (got 3)",
                       "--set poster.cmyk=maybe: error: poster.cmyk must be true or false (got 'maybe')",
                       "--set talk: error: expected key=value, e.g. --set talk.aspect=4:3"]
    assert main(["check", "--set", "handout.per_page=2", "--set", "talk.slides=[title, background]"]) == 0


@pytest.mark.parametrize("text, want", [
    ("talk:\n  aspect: 4:3\n", 'jakdeck.yaml:2:3: error: talk.aspect must be one of 16:9, 4:3 (got 243) – YAML read '
                               'the unquoted 4:3 as 243 (hint: write it in quotes: "4:3")'),
    ("footer:\n  fill: #C9A227\n", "jakdeck.yaml:2:3: error: 'fill' is empty: YAML reads the unquoted #C9A227 as a "
                                   'comment (hint: write it in quotes: "#C9A227")'),
    ("talk:\n  event: Note: a: b\n", "jakdeck.yaml:2:14: error: invalid YAML: mapping values are not allowed here "
                                     "(hint: a colon followed by a space inside unquoted text starts a key; put "
                                     "the whole text in quotes)"),
    ("talk:\n  slides: [title, conclusions]\n", "jakdeck.yaml:2:19: error: talk.slides names 'conclusions', which is "
                                                "neither a section nor a slide type (hint: did you mean closing?)"),
])
def test_yaml_traps_get_a_hint(started, capsys, text, want):
    (started / "jakdeck.yaml").write_text(text)   # the built-in abstract: it has no section 'conclusion'
    lines = _fails(["check"], capsys)
    assert lines[0].startswith(want), lines


def test_a_base_60_time_given_as_text_keeps_its_digits(started):
    (started / "jakdeck.yaml").write_text("content: content.yaml\ntalk: {event: Meeting, date: 12:30}\n")
    from jakdeck.project import load_project
    assert load_project().config.talk["date"] == "12:30"


def test_a_text_read_as_a_mapping_says_to_quote_it(started, capsys):
    (started / "jakdeck.yaml").write_text("talk:\n  event: {Result: better}\n")
    assert _fails(["check"], capsys)[0] == ("jakdeck.yaml:2:3: error: talk.event must be text, but 'Result: better' "
                                            "was read as a key and its value (hint: put the text in quotes)")


def test_check_reports_problems_of_config_and_content_at_once(started, capsys):
    (started / "jakdeck.yaml").write_text("talk: {aspect: 5:4}\n")
    (started / "content.yaml").write_text("title: T\n")
    lines = _fails(["check", "--content", "content.yaml"], capsys)
    assert any(line.startswith("jakdeck.yaml:1:8: error: talk.aspect") for line in lines)
    assert any(line.startswith("content.yaml:") for line in lines)
    assert lines[-1].startswith("check: ") and lines[-1].endswith("errors")


def test_check_runs_the_layout_and_reports_warnings(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    long = ROOT / "tests" / "fixtures" / "long-section.yaml"
    assert main(["check", "--content", str(long)]) == 0
    err = capsys.readouterr().err.splitlines()
    assert any("does not fit one slide and continues" in line for line in err)
    assert err[-1].startswith("checked in ") and err[-1].endswith("1 warning")
    assert main(["check", "--strict", "--content", str(long)]) == 1
    assert list(tmp_path.iterdir()) == []


def test_schema_validates_the_starter_config_and_rejects_a_misspelt_key(started, capsys):
    capsys.readouterr()
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema == json.loads((started / "jakdeck.schema.json").read_text())
    validator = jsonschema.Draft202012Validator(schema)
    validator.check_schema(schema)
    starter = yaml.safe_load((started / "jakdeck.yaml").read_text())
    assert list(validator.iter_errors(starter)) == []
    full = {"talk": {"aspect": "4:3", "slides": ["title"]}, "poster": {"size": "A1", "columns": 3, "bleed_mm": 3},
            "handout": {"per_page": 2}, "footer": {"size": 14}}
    assert list(validator.iter_errors(full)) == []
    for bad in ({"talk": {"aspcet": "4:3"}}, {"talk": {"aspect": 243}}, {"poster": {"columns": 9}},
                {"handout": {"per_page": 3}}):
        assert list(validator.iter_errors(bad)), bad
    assert schema["properties"]["poster"]["properties"]["bleed_mm"] == {
        "description": "bleed around the trim size, in mm (the page grows by twice this)", "type": "number",
        "minimum": 0, "maximum": 20, "default": 0}


def test_content_schema_validates_the_built_in_and_starter_content(started):
    validator = jsonschema.Draft202012Validator(content_schema())
    for path in (ROOT / "content" / "jak-inhibitors.yaml", started / "content.yaml"):
        assert list(validator.iter_errors(yaml.safe_load(path.read_text()))) == [], path
    assert list(validator.iter_errors({"title": "T"}))   # authors, safety, sections missing
    assert config_schema()["additionalProperties"] is False


def test_list_prints_what_a_config_may_name(started, capsys):
    capsys.readouterr()
    assert main(["list", "themes"]) == 0
    assert {"default", "calibri"} <= set(capsys.readouterr().out.split())
    assert main(["list", "layouts"]) == 0
    assert {"poster", "talk-16x9", "talk-4x3"} <= set(capsys.readouterr().out.split())
    assert main(["list", "templates"]) == 0
    assert {"title", "bullets", "table"} <= set(capsys.readouterr().out.split())
    assert main(["list", "slides"]) == 0
    assert capsys.readouterr().out.split() == ["title", "outline", "background", "conclusion", "take-home",
                                               "closing"]


def test_progress_shows_on_a_terminal_only():
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True
    piped, tty = io.StringIO(), Tty()
    for stream in (piped, tty):
        p = Progress(stream)
        p.step("laying out")
        p.done()
    assert piped.getvalue() == ""
    assert "\rlaying out" in tty.getvalue().replace("  ", "") and tty.getvalue().endswith("\r")


def test_help_does_not_import_the_pipeline():
    code = ("import sys; from jakdeck.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.startswith(('jakdeck.commands', 'jakdeck.project', "
            "'jakdeck.json_schema', 'http.server'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=60).stdout
    assert "usage: jakdeck" in out and out.strip().splitlines()[-1] == "[]"
