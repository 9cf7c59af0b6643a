"""Make docs/images/overview.png for the README: four slides and the poster, as LibreOffice and poppler draw them.

Run from the repository root after `jakdeck build`:
    python docs/make_readme_image.py output/talk.pptx output/poster.pdf
Needs LibreOffice (soffice) and poppler (pdftoppm).
"""

import glob
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image


def main(talk: str, poster: str, slides=(1, 4, 7, 11)) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to",
                        "pdf", "--outdir", tmp, talk], check=True, capture_output=True)
        subprocess.run(["pdftoppm", "-r", "48", "-png", str(Path(tmp) / (Path(talk).stem + ".pdf")),
                        f"{tmp}/slide"], check=True)
        subprocess.run(["pdftoppm", "-r", "24", "-png", poster, f"{tmp}/poster"], check=True)
        pages = sorted(glob.glob(f"{tmp}/slide-*.png"))
        shots = [Image.open(pages[i - 1]).convert("RGB") for i in slides]
        post = Image.open(sorted(glob.glob(f"{tmp}/poster-*.png"))[0]).convert("RGB")
        sw, sh = shots[0].size
        gap = 16
        ph = 2 * sh + gap
        post = post.resize((round(post.width * ph / post.height), ph))
        sheet = Image.new("RGB", (2 * sw + post.width + 4 * gap, ph + 2 * gap), (228, 232, 238))
        for i, im in enumerate(shots):
            sheet.paste(im, (gap + (i % 2) * (sw + gap), gap + (i // 2) * (sh + gap)))
        sheet.paste(post, (3 * gap + 2 * sw, gap))
        out = Path("docs/images/overview.png")
        sheet.save(out, optimize=True)
        print(out)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
