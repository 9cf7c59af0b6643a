"""``jakdeck serve``: a page of the talk's slides and the poster on 127.0.0.1, rebuilt as inputs change.

The images are the preview renderer's PNGs, held in memory.  The page polls ``/version`` and
reloads when a rebuild has finished.  The server binds the loopback address only.
"""

from __future__ import annotations

import argparse
import html
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from ..errors import JakdeckError
from .watch import Watcher, input_files

HOST = "127.0.0.1"

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title} – jakdeck</title>
<style>
body {{ font-family: sans-serif; margin: 1.5rem; background: #eceef1; color: #1e2228; }}
.slides {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(420px, 1fr)); gap: 1rem; }}
figure {{ margin: 0; }} img {{ width: 100%; border: 1px solid #a0a4aa; background: white; }}
figcaption {{ text-align: center; }} .poster img {{ max-width: 900px; }} .error {{ color: #a0141e; }}
</style></head>
<body data-version="{version}">
<h1>{title}</h1>
{errors}
<h2>Slides</h2><div class="slides">{slides}</div>
<h2>Poster</h2><figure class="poster"><img src="/poster.png?v={version}" alt="The poster"></figure>
<script>
const version = {version};
function loaded() {{
  const imgs = [...document.images];
  document.body.dataset.loaded = imgs.filter(i => i.complete && i.naturalWidth > 0).length;
  document.body.dataset.images = imgs.length;
}}
for (const img of document.images) img.addEventListener("load", loaded);
loaded();
setInterval(async () => {{
  try {{
    const r = await fetch("/version", {{cache: "no-store"}});
    if ((await r.json()).version !== version) location.reload();
  }} catch (e) {{}}
}}, 500);
</script></body></html>
"""


class State:
    """The latest preview: its PNGs, a version that grows with every rebuild, and the last errors."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.files: dict[str, bytes] = {}
        self.version = 0
        self.title = "jakdeck"
        self.errors: list[str] = []

    def page(self) -> bytes:
        with self.lock:
            slides = sorted(n for n in self.files if n.startswith("slide-"))
            figs = "".join(f'<figure><img src="/{n}?v={self.version}" alt="Slide {i + 1}">'
                           f"<figcaption>{i + 1}</figcaption></figure>" for i, n in enumerate(slides))
            errors = "".join(f'<p class="error">{html.escape(e)}</p>' for e in self.errors)
            return PAGE.format(title=html.escape(self.title), version=self.version, slides=figs,
                               errors=errors).encode("utf-8")


def make_handler(state: State) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            path = self.path.split("?", 1)[0].lstrip("/")
            if path in ("", "index.html"):
                self._send(200, "text/html; charset=utf-8", state.page())
            elif path == "version":
                with state.lock:
                    body = json.dumps({"version": state.version}).encode()
                self._send(200, "application/json", body)
            else:
                with state.lock:
                    data = state.files.get(path)
                if data is None:
                    self._send(404, "text/plain", b"not found")
                else:
                    self._send(200, "image/png", data)

        def _send(self, code: int, kind: str, body: bytes) -> None:
            self.send_response(code)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet
            pass
    return Handler


def serve(args: argparse.Namespace) -> int:
    from ..build import Session, default_content_path, load_inputs
    from ..project import load_project
    from .preview import preview_files, preview_scenes

    state = State()
    known: set[Path] = set()
    session, content = Session(), [None]

    def say(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    def rebuild(moved: list[Path]) -> set[Path]:
        start = time.perf_counter()
        if any(p != content[0] for p in moved):   # not only the content: load theme and layouts again
            session.forget()
        session.next_build()
        try:
            project = load_project(args.config, args.no_config, args.sets)
            known.update(input_files(args, project.config_file, project.config, {}))
            content[0] = Path(args.content or project.config.data.get("content") or default_content_path())
            inputs = load_inputs(args.content, project.config, session)
            scenes = preview_scenes(inputs, session)
            files = preview_files(scenes, args.dpi)
        except JakdeckError as exc:
            known.update(input_files(args, args.config, None, {}))
            with state.lock:
                state.errors = [d.format() for d in exc.diagnostics]
                state.version += 1
            raise
        with state.lock:
            state.files, state.title, state.errors = files, inputs.doc.title, []
            state.version += 1
        say(f"rebuilt the preview in {time.perf_counter() - start:.2f} s: {len(scenes['talk'].pages)} slides "
            "and the poster")
        return input_files(args, project.config_file, project.config, scenes)

    server = ThreadingHTTPServer((HOST, args.port), make_handler(state))
    server.daemon_threads = True
    watcher = Watcher(rebuild, say, lambda: set(known))
    watcher.once()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    print(f"serving http://{HOST}:{server.server_address[1]}/ (Ctrl-C stops)", flush=True)
    try:
        watcher.loop()
    except KeyboardInterrupt:
        say("stopped")
    finally:
        server.shutdown()
        server.server_close()
    return 0
