"""Debian's Chromium for the browser tests, installed with apt-get when missing (CI runs as root)."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

INSTALL_CHROMIUM = Path(__file__).resolve().parents[2] / ".ci" / "install-chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium() -> str:
    """The path of a Chromium binary, installing Debian's package first if there is none."""
    found = os.environ.get("GRAPHKIT_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    subprocess.run(["bash", str(INSTALL_CHROMIUM)], check=True, timeout=900)
    return "/usr/bin/chromium"
