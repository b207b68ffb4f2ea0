"""Render the county and enterprise HTML reports and photograph them with headless Chromium.

    python benchmarks/screenshot.py [OUTDIR]        # default: build/screenshots

Writes <name>.html and <name>.png (1280×1600, the first screen and a bit) for the failing county
example and the failing power-plant self-audit, in Chinese, so a reviewer can check that the
verdict, its reason and the 整改清单 are on the first screen. Needs the Debian package
``chromium`` (``apt-get install chromium fonts-noto-cjk``); without it the script says so and
exits 2. Nothing is fetched from the network: the reports are self-contained.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHOTS = [
    ("county-fail", "examples/jining-county-fail.xlsx", ["--policy", "jining-carbon-peak",
                                                         "--params", "examples/jining-params.yaml"]),
    ("enterprise-fail", "examples/enterprise/yuncheng-power-plant.xlsx", ["--policy", "yuncheng-energy-saving-14fyp"]),
]


def browser() -> str | None:
    return next((p for p in (shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")) if p), None)


def main(out: Path) -> int:
    exe = browser()
    if exe is None:
        print("screenshot: no chromium on PATH (apt-get install chromium fonts-noto-cjk)", file=sys.stderr)
        return 2
    out.mkdir(parents=True, exist_ok=True)
    for name, src, args in SHOTS:
        page = out / f"{name}.html"
        subprocess.run([sys.executable, "-m", "cbcheck", "check", src, *args, "--lang", "zh", "-o", str(page), "-q"],
                       cwd=ROOT, check=False)
        png = out / f"{name}.png"
        subprocess.run([exe, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                        "--window-size=1280,1600", f"--screenshot={png}", page.resolve().as_uri()],
                       check=True, capture_output=True, timeout=120)
        print(png)
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build" / "screenshots"))
