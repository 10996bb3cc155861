"""The package's public names (what the web app will import) all resolve, lazily."""

from __future__ import annotations

import subprocess
import sys

import mockmirror.interview as interview


def test_every_public_name_resolves():
    for name in interview.__all__:
        assert getattr(interview, name) is not None, name
    assert "InterviewSession" in dir(interview)


def test_importing_the_bank_does_not_load_the_nlp_stack():
    code = (
        "import sys, mockmirror.interview.bank; "
        "print(any(m.startswith(('spacy', 'mockmirror.language', 'httpx')) for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
