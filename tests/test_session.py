"""A build --watch session reuses what it loaded and rendered, and still writes what a fresh build would."""

from __future__ import annotations

import shutil

import pytest

from jakdeck import build as build_module
from jakdeck.build import Session, build, default_content_path


def _counting(monkeypatch) -> list[str]:
    """Count the renderer calls of the builds that follow."""
    calls: list[str] = []
    real = build_module.renderer

    def counted(fmt):
        draw = real(fmt)

        def drawn(scene, options):
            calls.append(fmt)
            return draw(scene, options)
        return drawn

    monkeypatch.setattr(build_module, "renderer", counted)
    return calls


def test_an_unchanged_scene_is_not_rendered_again_and_gives_the_same_bytes(monkeypatch):
    session = Session()
    first = build(session=session)
    calls = _counting(monkeypatch)
    again = build(session=session)
    assert calls == []
    assert again.files == first.files


def test_a_content_edit_in_a_session_gives_what_a_fresh_build_gives(tmp_path, monkeypatch):
    content = tmp_path / "content.yaml"
    shutil.copy(default_content_path(), content)
    session = Session()
    build(content, session=session)
    text = content.read_text(encoding="utf-8")
    assert "Recent advances" in text
    content.write_text(text.replace("Recent advances", "Latest advances", 1), encoding="utf-8")
    calls = _counting(monkeypatch)
    edited = build(content, session=session)
    assert "pptx" in calls and "pdf" in calls              # talk and poster show the title: drawn again
    assert "svg" not in calls and "png" not in calls       # the figures did not change: kept
    fresh = build(content)
    assert edited.files == fresh.files
    assert edited.files["talk.pptx"] != build(default_content_path()).files["talk.pptx"]


def test_forget_drops_loaded_parts_and_rendered_files(tmp_path, monkeypatch):
    session = Session()
    build(session=session)
    assert session.loaded and session.rendered
    session.forget()
    assert not session.loaded and not session.rendered
    calls = _counting(monkeypatch)
    build(session=session)
    assert {"pptx", "pdf", "svg", "png"} <= set(calls)


def test_the_theme_is_kept_by_name_so_another_theme_is_loaded(tmp_path):
    from jakdeck.project import load_project
    session = Session()
    default = build(session=session)
    dark = build(config=load_project(no_config=True, sets=["theme=dark"]).config, session=session)
    assert dark.files["talk.pptx"] != default.files["talk.pptx"]
    assert dark.files == build(config=load_project(no_config=True, sets=["theme=dark"]).config).files


def test_rendering_on_two_threads_gives_the_bytes_and_order_of_one(monkeypatch):
    from jakdeck import forked
    monkeypatch.setattr(forked, "cores", lambda: 1)    # one process, one thread
    serial = build(handout=True, poster_pptx=True)
    monkeypatch.setattr(forked, "cores", lambda: 2)    # the poster forked, renderers on two threads
    threaded = build(handout=True, poster_pptx=True)
    assert list(threaded.files) == list(serial.files)
    assert threaded.files == serial.files
    assert list(serial.files)[:2] == ["talk.pptx", "poster.pdf"]


def test_a_session_lists_only_the_faces_of_this_build(tmp_path):
    """A session's typesetters remember faces earlier builds needed; a scene lists what it draws."""
    content = tmp_path / "content.yaml"
    text = default_content_path().read_text(encoding="utf-8")
    hangul = text.replace("Recent advances", "최근 Recent advances", 1)
    assert hangul != text
    session = Session()
    content.write_text(hangul, encoding="utf-8")
    with_hangul = build(content, session=session)
    assert any("fallback" in f.key for f in with_hangul.scenes["talk"].fonts)
    content.write_text(text, encoding="utf-8")
    latin = build(content, session=session)
    assert not any("fallback" in f.key for f in latin.scenes["talk"].fonts + latin.scenes["poster"].fonts)
    assert latin.files == build(content).files


# Edits a user makes while watching, each as (old, new) text of the default content: the title, a
# paragraph, a key point, a table cell, a chart value, a figure's drugs, one that adds lines (spans of
# every later section move), a section removed, and back to the start.
EDITS = [
    ("Recent advances in", "Latest advances in"),
    ("blocking the activity of Janus kinases", "blocking the action of Janus kinases"),
    ("- JAK inhibitors block this relay, damping many inflammatory cytokines at once",
     "- JAK inhibitors block this relay, damping many inflammatory cytokines at once and for long"),
    ('"Rinvoq"', '"Rinvoq (tablet)"'),
    ("values: [80, 73, 63, 61.0]", "values: [80, 73, 66, 61.0]"),
    ("drugs: [upadacitinib, abrocitinib, baricitinib]", "drugs: [upadacitinib, abrocitinib]"),
    ("    heading: Atopic dermatitis\n", "    heading: Atopic dermatitis\n    # a note\n    # and one more\n"),
    ("  - id: comparison\n", "  - id: comparison\n    priority: -5\n"),
]


def _edited(text: str, upto: int) -> str:
    for old, new in EDITS[:upto]:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def test_a_session_through_many_edits_writes_what_fresh_builds_write(tmp_path):
    """Whatever a session remembers between builds, each build's bytes and warnings are a fresh build's."""
    content = tmp_path / "content.yaml"
    original = default_content_path().read_text(encoding="utf-8")
    session = Session()
    steps = list(range(len(EDITS) + 1)) + [3, 0]   # forward through every edit, then back
    for upto in steps:
        content.write_text(_edited(original, upto), encoding="utf-8")
        watched = build(content, session=session, handout=True, poster_pptx=True)
        fresh = build(content, handout=True, poster_pptx=True)
        assert watched.files.keys() == fresh.files.keys()
        for name in fresh.files:
            assert watched.files[name] == fresh.files[name], (upto, name)
        assert watched.warnings == fresh.warnings, upto


def test_a_measured_image_warns_in_every_build_of_a_session(tmp_path):
    """Warnings given while the poster measured a section come back with the remembered units; a tall
    image, whose height is a share of its column's, follows a header that grows with the title."""
    from PIL import Image as PILImage
    PILImage.new("RGB", (60, 200), "white").save(tmp_path / "small.png")
    text = default_content_path().read_text(encoding="utf-8")
    marker = "    blocks:\n      - table:\n          header: [Drug,"
    assert marker in text
    text = text.replace(marker, "    blocks:\n      - image: {path: " + str(tmp_path / "small.png") +
                        ", alt: A white square, caption: A small picture}\n" + marker[len("    blocks:\n"):], 1)
    for chart in ("efficacy-ad", "efficacy-aa"):   # room on the poster for the image
        text = text.replace(f"  - id: {chart}\n    priority: -1", f"  - id: {chart}\n    outputs: [talk]", 1)
    content = tmp_path / "content.yaml"
    session = Session()
    heights = set()
    for title in ("Recent advances", "Latest advances", "Recent and rather important advances, for the clinic,",
                  "Recent advances"):
        content.write_text(text.replace("Recent advances", title, 1), encoding="utf-8")
        watched = build(content, session=session)
        assert any("ppi on the poster" in w.message for w in watched.warnings)
        fresh = build(content)
        assert watched.warnings == fresh.warnings and watched.files == fresh.files
        heights.add(fresh.scenes["poster"].pages[0].find("header/band")[0].box.h)
    assert len(heights) == 2   # the long title took another line


def test_a_rebuild_composes_only_what_the_edit_touched(tmp_path, monkeypatch):
    """After an edit of one section, the talk recomposes that section's slides only, and the poster
    re-measures that section only: the others come from the session's memo."""
    import jakdeck.compose_poster
    import jakdeck.compose_talk
    content = tmp_path / "content.yaml"
    original = default_content_path().read_text(encoding="utf-8")
    content.write_text(original, encoding="utf-8")
    session = Session()
    build(content, session=session)
    planned, measured = [], []
    real_slides, real_units = jakdeck.compose_talk.slides_of, jakdeck.compose_poster.units
    monkeypatch.setattr(jakdeck.compose_talk, "slides_of", lambda flow, plan: planned.append(plan.unit)
                        or real_slides(flow, plan))
    monkeypatch.setattr(jakdeck.compose_poster, "units", lambda m, section, *a: measured.append(section.id)
                        or real_units(m, section, *a))
    content.write_text(original.replace("blocking the activity of Janus kinases",
                                        "blocking the action of Janus kinases", 1), encoding="utf-8")
    edited = build(content, session=session)
    assert set(planned) == {"jak-inhibitors"}
    assert set(measured) == {"jak-inhibitors"}
    assert edited.files == build(content).files


@pytest.fixture
def worker_session(tmp_path, monkeypatch):
    """A session with a worker (forking allowed, whatever this machine), a content file holding the
    default content, and that content's text; the worker is stopped afterwards."""
    from jakdeck import forked
    monkeypatch.setattr(forked, "available", lambda: True)
    content = tmp_path / "content.yaml"
    original = default_content_path().read_text(encoding="utf-8")
    content.write_text(original, encoding="utf-8")
    session = Session(workers=True)
    yield session, content, original
    session.close()


def test_a_session_with_a_worker_makes_the_poster_there_and_writes_what_fresh_builds_write(worker_session,
                                                                                          monkeypatch):
    import jakdeck.compose_poster
    session, content, original = worker_session
    first = build(content, session=session)
    assert session.worker is not None and session.worker.alive   # forked after the first build
    assert first.files == build(content).files
    real = jakdeck.compose_poster.compose_poster
    # from now on the poster cannot be composed in this process: the worker (forked before) composes it
    monkeypatch.setattr(jakdeck.compose_poster, "compose_poster", lambda *a, **k: pytest.fail("in the parent"))
    for upto in (1, 2, 5, 0):
        content.write_text(_edited(original, upto), encoding="utf-8")
        watched = build(content, session=session)
        monkeypatch.setattr(jakdeck.compose_poster, "compose_poster", real)
        fresh = build(content)
        monkeypatch.setattr(jakdeck.compose_poster, "compose_poster", lambda *a, **k: pytest.fail("in the parent"))
        assert watched.files == fresh.files, upto
        assert watched.warnings == fresh.warnings and watched.scenes == fresh.scenes
    session.close()
    assert session.worker is None


def test_a_worker_that_died_is_replaced_and_the_build_goes_on(worker_session):
    import os
    import signal
    session, content, original = worker_session
    build(content, session=session)
    dead = session.worker.pid
    os.kill(dead, signal.SIGKILL)
    content.write_text(_edited(original, 1), encoding="utf-8")
    watched = build(content, session=session)       # the poster made here, this once
    assert watched.files == build(content).files
    assert session.worker is not None and session.worker.alive and session.worker.pid != dead
    with pytest.raises(ChildProcessError):          # the dead one was reaped
        os.waitpid(dead, 0)


def test_a_layout_error_of_either_side_comes_back_from_a_worker_session_and_the_next_edit_builds(worker_session):
    from jakdeck.errors import JakdeckError
    session, content, original = worker_session
    build(content, session=session)
    worker = session.worker
    # a title far too long for the poster's header and the title slide
    content.write_text(original.replace("Recent advances in", "Recent advances in " + "very " * 400, 1),
                       encoding="utf-8")
    with pytest.raises(JakdeckError):
        build(content, session=session)
    assert session.worker is worker and worker.alive and not worker.pending   # still in step
    content.write_text(_edited(original, 2), encoding="utf-8")
    assert build(content, session=session).files == build(content).files


# Configs a session may meet one after another (as a user trying options with --set, or a test): each
# changes something composing reads besides the content.
CONFIGS = [[], ["poster.qr_caption=Read the paper"], ["poster.qr_url=https://example.org/jak"],
           ["poster.layout=poster-takeaway"], ["poster.bleed_mm=3"], ["poster.size=A1", "poster.orientation=landscape"],
           ["poster.columns=2"], ["talk.duration=8"], ["talk.aspect=4:3"], ["poster.qr_caption=Scan me"], []]


@pytest.mark.parametrize("workers", [False, True], ids=["one process", "with a worker"])
def test_a_session_through_configs_and_edits_writes_what_fresh_builds_write(tmp_path, monkeypatch, workers):
    """Nothing a memo keeps outlives a change of what it was made from: the QR code's URL and caption,
    the layout, the paper, bleed, columns, the talk's length and shape, each with content edits."""
    from jakdeck import forked
    from jakdeck.project import load_project
    if workers:
        monkeypatch.setattr(forked, "available", lambda: True)
    content = tmp_path / "content.yaml"
    original = default_content_path().read_text(encoding="utf-8")
    session = Session(workers=workers)
    try:
        for k, sets in enumerate(CONFIGS):
            config = load_project(no_config=True, sets=sets).config
            for upto in (k % 3, 3 + k % 5):
                content.write_text(_edited(original, upto), encoding="utf-8")
                watched = build(content, config, session=session)
                fresh = build(content, config)
                assert watched.files == fresh.files, (sets, upto)
                assert list(watched.files) == list(fresh.files) and watched.warnings == fresh.warnings
        assert (session.worker is not None) == workers
    finally:
        session.close()


def _gc_enabled(session):
    import gc
    return gc.isenabled()


def test_a_sessions_worker_collects_its_garbage_and_forget_stops_it(worker_session):
    """The worker lives as long as the watch: its collector is on (python-pptx leaves cycles), and
    forgetting the session (another theme, layout or config) stops it."""
    import os
    session, content, _ = worker_session
    build(content, session=session)
    assert session.worker.submit(_gc_enabled).result() is True
    pid = session.worker.pid
    session.forget()
    assert session.worker is None
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, 0)


def test_a_worker_that_dies_during_a_build_is_made_up_for_here_even_when_the_talk_fails_its_check(
        worker_session, monkeypatch):
    import os
    import signal

    from jakdeck import forked
    session, content, original = worker_session
    real_submit = forked.Worker.submit

    def submit_and_die(worker, fn, *args):
        real_submit(worker, fn, *args)
        os.kill(worker.pid, signal.SIGKILL)   # dies with the call sent
        return worker

    build(content, session=session)
    monkeypatch.setattr(forked.Worker, "submit", submit_and_die)
    content.write_text(_edited(original, 1), encoding="utf-8")
    assert build(content, session=session).files == build(content, threads=False).files   # (no fork)
    real_check = build_module.scene_problems
    monkeypatch.setattr(build_module, "scene_problems", lambda scene, memo=None: (
        ["a problem in the talk"] if scene.kind == "talk" else real_check(scene, memo)))
    content.write_text(_edited(original, 2), encoding="utf-8")
    with pytest.raises(build_module.LayoutCheckFailed) as caught:
        build(content, session=session)
    assert [d.message for d in caught.value.diagnostics] == ["layout check failed: a problem in the talk"]


SIDE_PANEL = """kind: poster
name: my-poster
extends: poster
grid:
  columns: [4, 1]
  rows: [auto, fill, auto, 45mm]
  areas:
    - header header
    - body   side
    - body   qr
    - footer footer
regions:
  body: {min_width: 170mm}
  side: {kind: flow, sections: [references], fill: table_stripe}
  qr: {kind: qr}
"""


def test_a_side_panel_is_laid_out_again_when_an_edit_elsewhere_changes_the_body_size(tmp_path):
    """Two flows share one body size: an edit of the main flow that changes it changes the side panel
    too, though the panel's own sections did not change."""
    from jakdeck.project import load_project
    layout = tmp_path / "my-poster.yaml"
    layout.write_text(SIDE_PANEL, encoding="utf-8")
    config = load_project(no_config=True, sets=[f"poster.layout={layout}"]).config
    content = tmp_path / "content.yaml"
    original = default_content_path().read_text(encoding="utf-8")
    # a chart section off the poster, its line kept (the panel's section keeps its place in the file)
    shorter = original.replace("  - id: efficacy-ad\n    priority: -1", "  - id: efficacy-ad\n    outputs: [talk]", 1)
    assert shorter != original
    session = Session()
    panels = set()
    for text in (original, shorter, original, shorter):
        content.write_text(text, encoding="utf-8")
        watched = build(content, config, session=session)
        fresh = build(content, config)
        assert watched.files == fresh.files
        panel = fresh.scenes["poster"].pages[0].find("section:references")
        panels.add(tuple(p.size for b in panel if hasattr(b, "paragraphs") for p in b.paragraphs))
    assert len(panels) == 2   # the edit did change the panel's type


def test_an_imported_abstract_in_a_session_writes_what_fresh_builds_write(tmp_path):
    """A Markdown abstract is imported again at every save; a longer title (a taller poster header:
    every column shorter) and a paragraph edit still give a fresh build's bytes."""
    from pathlib import Path
    source = (Path(__file__).parent / "fixtures" / "abstracts" / "ten-paragraphs.md").read_text(encoding="utf-8")
    edits = [source,
             source.replace("# Ten short notes on JAK-STAT signalling in the skin",
                            "# Ten short notes on JAK-STAT signalling in the skin, its cells and the drugs that "
                            "block it in daily practice", 1),
             source.replace("small molecules that block", "oral drugs that block", 1),
             source]
    assert len(set(edits)) == 3
    content = tmp_path / "abstract.md"
    session = Session()
    for text in edits:
        content.write_text(text, encoding="utf-8")
        watched = build(content, session=session)
        fresh = build(content)
        assert watched.files == fresh.files and watched.warnings == fresh.warnings
