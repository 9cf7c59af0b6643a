"""A build --watch session reuses what it loaded and rendered, and still writes what a fresh build would."""

from __future__ import annotations

import shutil

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
