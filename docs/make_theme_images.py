"""Make docs/images/theme-<name>.png for the README: the title slide and a figure slide of each built-in theme.

Run from the repository root:
    .venv/bin/python docs/make_theme_images.py
It builds the default content once per theme, has LibreOffice draw the talk and poppler rasterise it.
Needs LibreOffice (soffice) and poppler (pdftoppm).
"""

import glob
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

THEMES = ("default", "calibri", "dark", "high-contrast")


def shot(theme: str, tmp: Path, slides=(1, 3)) -> Image.Image:
    work = tmp / theme
    work.mkdir()
    (work / "c.yaml").write_text(f"theme: {theme}\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "jakdeck", "build", "--config", str(work / "c.yaml"), "--out",
                    str(work / "out")], check=True, capture_output=True)
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to", "pdf",
                    "--outdir", str(work), str(work / "out" / "talk.pptx")], check=True, capture_output=True)
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(work / "talk.pdf"), str(work / "slide")], check=True)
    pages = sorted(glob.glob(str(work / "slide-*.png")))
    shots = [Image.open(pages[i - 1]).convert("RGB") for i in slides]
    w, h = shots[0].size
    gap = 10
    sheet = Image.new("RGB", (len(shots) * (w + gap) + gap, h + 2 * gap), (228, 232, 238))
    for i, im in enumerate(shots):
        sheet.paste(im, (gap + i * (w + gap), gap))
    return sheet


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for theme in THEMES:
            out = Path("docs/images") / f"theme-{theme}.png"
            shot(theme, Path(tmp)).quantize(colors=128, dither=Image.Dither.NONE).save(out, optimize=True)
            print(out, out.stat().st_size // 1024, "kB")


if __name__ == "__main__":
    main()
