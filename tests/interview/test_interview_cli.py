"""`mockmirror interview --text` as a user runs it: a real subprocess fed answers on stdin."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .fake_openai import GOOD, FakeOpenAIServer

CLI = [str(Path(sys.executable).with_name("mockmirror"))]
JDS = Path(__file__).with_name("jds")

STRONG = (
    "Last year at my previous job our support team kept arguing about who owned which tickets. "
    "My task was to get us working as one group again before the busy season. "
    "I set up a shared board and I organised a weekly review. "
    "As a result, tickets waiting over a day fell by 30 percent. I learned to agree ownership early."
)
VAGUE = "I am a people person and I think communication is really important."


def run(*args: str, stdin: str = "", env: dict | None = None, timeout: float = 300):
    return subprocess.run(
        [*CLI, *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env={**os.environ, **(env or {})},
    )


def script(*answers: str) -> str:
    """One answer per block: its lines, then an empty line."""
    return "".join(f"{answer}\n\n" for answer in answers)


def test_a_full_scripted_interview(tmp_path):
    out_json = tmp_path / "interview.json"
    answers = [
        "I trained as a chemist and moved into support, where I found I liked fixing the causes of problems.",
        VAGUE,  # first core question: asks for a specific example
        STRONG,
        "/skip",
        "What does the first month in this team usually look like?",
    ]
    result = run(
        "interview",
        "--text",
        "--questions",
        "2",
        "--seed",
        "5",
        "--json",
        str(out_json),
        stdin=script(*answers),
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Q1/4" in out and "Q2/4" in out and "Q3/4" in out and "Closing" in out
    assert "Follow-up" in out
    assert "The story has its" in out
    assert "Summary" in out and "Questions answered: 3 of 4 (1 skipped)" in out
    assert "end of our practice interview" in out
    record = json.loads(out_json.read_text())
    assert record["seed"] == 5 and len(record["plan"]) == 4
    assert record["summary"]["follow_ups_asked"] >= 1
    kinds = [e["follow_up"] for t in record["transcript"] for e in t["exchanges"] if e["follow_up"]]
    # The vague answer is either flagged off-topic or asked for an example (the encoder decides which).
    assert kinds[0] in ("specific_example", "off_topic")
    # Same seed, same questions.
    again = run("interview", "--text", "--questions", "2", "--seed", "5", stdin="/quit\n")
    ids_line = [line for line in again.stdout.splitlines() if line.startswith("Question ids")]
    assert ids_line and record["plan"][0]["id"] in ids_line[0]


def test_job_description_and_end_of_input(tmp_path):
    result = run(
        "interview",
        "--text",
        "--jd",
        str(JDS / "software_senior.txt"),
        "-n",
        "3",
        "--seed",
        "2",
        stdin=script(STRONG),
    )
    assert result.returncode == 0, result.stderr
    assert "Job: Senior Backend Engineer" in result.stdout and "family software" in result.stdout
    assert "senior" in result.stdout and "Python" in result.stdout
    # Input ran out after one answer: the interview ends early with a summary, not a crash.
    assert "ended early" in result.stdout and "Traceback" not in result.stderr


def test_excluded_questions_are_not_asked():
    first = run("interview", "--text", "--role", "nursing", "-n", "4", "--seed", "1", stdin="/quit\n")
    ids = next(line for line in first.stdout.splitlines() if line.startswith("Question ids")).split(": ")[1]
    second = run(
        "interview",
        "--text",
        "--role",
        "nursing",
        "-n",
        "4",
        "--seed",
        "1",
        "--exclude",
        ids,
        stdin="/quit\n",
    )
    assert second.returncode == 0, second.stderr
    new_ids = next(line for line in second.stdout.splitlines() if line.startswith("Question ids")).split(
        ": "
    )[1]
    assert not set(new_ids.split(",")) & set(ids.split(","))


def test_llm_backend_over_http_rewords_follow_ups():
    with FakeOpenAIServer() as server:
        env = {"MOCKMIRROR_LLM__BASE_URL": server.base_url, "MOCKMIRROR_LLM__MODEL": "good"}
        result = run(
            "interview",
            "--text",
            "--llm",
            "openai",
            "-n",
            "1",
            "--seed",
            "3",
            stdin=script("Yes.", ""),
            env=env,
        )
        assert result.returncode == 0, result.stderr
        assert GOOD in result.stdout
        assert server.requests and server.requests[0]["body"]["model"] == "good"


def test_user_errors_are_one_line_exit_2(tmp_path):
    no_text = run("interview")
    assert no_text.returncode == 2 and "--text" in no_text.stderr
    missing = run("interview", "--text", "--jd", str(tmp_path / "nope.txt"))
    assert missing.returncode == 2 and "cannot read the job description" in missing.stderr
    empty = tmp_path / "empty.txt"
    empty.write_text("\n")
    blank = run("interview", "--text", "--jd", str(empty))
    assert blank.returncode == 2 and "too few words" in blank.stderr
    for result in (no_text, missing, blank):
        assert "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    bad_llm = run("interview", "--text", "--llm", "llama_cpp", "-n", "1", stdin="/quit\n")
    assert bad_llm.returncode == 0 and "LLM off" in bad_llm.stderr


def test_a_command_on_the_first_line_acts_at_once():
    import io

    from mockmirror.cli.interview_cmd import read_answer

    typed = io.StringIO("My answer\nsecond line\n\n/skip\n\n/QUIT\n\n\nlast words\n")
    assert read_answer(typed) == "My answer\nsecond line"
    assert read_answer(typed) == "/skip"
    assert read_answer(typed) == "/quit"
    assert read_answer(typed) == "last words"
    assert read_answer(typed) is None
    # Inside an answer "/skip" is just text.
    assert read_answer(io.StringIO("I said\n/skip\n\n")) == "I said\n/skip"
