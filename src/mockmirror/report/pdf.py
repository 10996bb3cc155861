"""PDF export: print the HTML report with a headless Chromium (Debian `chromium`), offline.

Chromium lays out the same HTML and SVG the browser shows, so the PDF matches the HTML report;
no PDF library is needed. The browser is found on PATH (or MOCKMIRROR_CHROMIUM); without one the
export fails with a message saying how to install it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from mockmirror.core.types import MockmirrorError

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
TIMEOUT_S = 120.0


class BrowserNotFound(MockmirrorError):
    """No headless Chromium/Chrome to print the PDF with."""


def find_browser() -> str:
    override = os.environ.get("MOCKMIRROR_CHROMIUM")
    if override:
        if shutil.which(override) or Path(override).is_file():
            return override
        raise BrowserNotFound(f"MOCKMIRROR_CHROMIUM={override} is not an executable browser")
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    raise BrowserNotFound(
        "PDF export needs Chromium or Chrome and none was found on PATH "
        "(Debian/Ubuntu: sudo apt-get install chromium; or set MOCKMIRROR_CHROMIUM=/path/to/chrome). "
        "The HTML report works without it: open it in a browser and print to PDF."
    )


def browser_command(browser: str, *flags: str, profile: Path) -> list[str]:
    # --no-sandbox: Chromium's sandbox cannot start as root or inside most containers.
    return [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-extensions",
        "--no-first-run",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        *flags,
    ]


def html_to_pdf(html_path: Path | str, pdf_path: Path | str, timeout_s: float = TIMEOUT_S) -> Path:
    """Print ``html_path`` to ``pdf_path`` (A4, backgrounds on, no header/footer)."""
    html_path, pdf_path = Path(html_path).resolve(), Path(pdf_path).resolve()
    if not html_path.is_file():
        raise MockmirrorError(f"{html_path}: no such HTML report to print")
    browser = find_browser()
    pdf_path.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="mockmirror-chromium-") as profile:
        command = browser_command(
            browser,
            f"--print-to-pdf={pdf_path}",
            "--no-pdf-header-footer",
            "--print-to-pdf-no-header",
            "--virtual-time-budget=5000",
            html_path.as_uri(),
            profile=Path(profile),
        )
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout_s, check=False)
        except subprocess.TimeoutExpired as exc:
            raise MockmirrorError(f"{browser} did not finish printing the PDF in {timeout_s:.0f} s") from exc
    if not pdf_path.is_file() or pdf_path.stat().st_size == 0:
        tail = (done.stderr or "").strip().splitlines()[-3:]
        raise MockmirrorError(f"{browser} wrote no PDF (exit {done.returncode}): {' | '.join(tail)}")
    return pdf_path


def write_pdf(html: str, pdf_path: Path | str, timeout_s: float = TIMEOUT_S) -> Path:
    """Render an HTML string to a PDF (through a temporary file next to nothing else)."""
    with tempfile.TemporaryDirectory(prefix="mockmirror-report-") as folder:
        page = Path(folder) / "report.html"
        page.write_text(html, encoding="utf-8")
        return html_to_pdf(page, pdf_path, timeout_s)
