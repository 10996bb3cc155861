"""`mockmirror score-answer` as a user runs it: a subprocess on real files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

MOCKMIRROR = [sys.executable, "-m", "mockmirror.cli.main"]
QUESTION = "Tell me about a time you disagreed with your manager."
ANSWER = (
    "At my last job as a marketing coordinator for a charity, my manager wanted to spend the whole spring "
    "budget on a printed mailing. My responsibility was the campaign's results. I prepared a one-page "
    "comparison of the last three campaigns and I suggested splitting the budget between letters and email. "
    "The split campaign raised 23 percent more than the previous spring. I learned to bring data and a test, "
    "not just an opinion."
)


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*MOCKMIRROR, "score-answer", *args], capture_output=True, text=True, input=stdin, timeout=300
    )


@pytest.fixture(scope="module")
def answer_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("answers") / "answer.txt"
    path.write_text(ANSWER, encoding="utf-8")
    return path


def test_json_output_has_subscores_evidence_and_overall(answer_file):
    result = run("--question", QUESTION, "--answer-file", str(answer_file), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert 0 <= data["overall_score"] <= 100
    assert set(data["scores"]) >= {"relevance", "structure", "specificity", "ownership", "grammar"}
    assert data["star"]["result"]["present"]
    assert any("23 percent" in cue["text"] for cue in data["scores"]["specificity"]["evidence"])


def test_table_output_and_stdin(answer_file):
    result = run("-q", QUESTION, "-f", "-", stdin=ANSWER)
    assert result.returncode == 0, result.stderr
    assert "Content score:" in result.stdout
    assert "structure" in result.stdout and "STAR+Learning found" in result.stdout


def test_missing_file_is_a_one_line_error(tmp_path):
    result = run("-q", QUESTION, "-f", str(tmp_path / "nope.txt"))
    assert result.returncode == 2
    assert "no such file" in result.stderr and "Traceback" not in result.stderr
