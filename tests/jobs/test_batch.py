"""`mockmirror batch` on real GRID recordings: reports per answer, a summary, a cohort report;
a bad file gets a row that says why; a second run resumes."""

from __future__ import annotations

import csv
import json

from typer.testing import CliRunner

from mockmirror.cli.main import app
from mockmirror.jobs.batch import read_items, run_batch

QUESTION = "Tell me about a project you are proud of."


def _csv(tmp_path, fixtures_dir):
    (tmp_path / "notes.txt.mp4").write_text("this is not a recording")
    rows = [
        {"file": str(fixtures_dir / "grid_av" / "sbwe5n.mpg"), "question": QUESTION, "candidate_id": "c1",
         "question_end_s": "0"},
        {"file": str(fixtures_dir / "grid_av" / "lbax4n.mpg"), "question": QUESTION, "candidate_id": "c2",
         "question_end_s": "0.5"},
        {"file": "notes.txt.mp4", "question": QUESTION, "candidate_id": "c3", "question_end_s": ""},
        {"file": "missing.mp4", "question": QUESTION, "candidate_id": "c4", "question_end_s": ""},
    ]
    path = tmp_path / "cohort.csv"
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_batch_writes_reports_summary_and_cohort_and_resumes(tmp_path, fixtures_dir, settings):
    source = _csv(tmp_path, fixtures_dir)
    out = tmp_path / "out"
    items = read_items(source)
    assert [i.candidate_id for i in items] == ["c1", "c2", "c3", "c4"] and items[1].question_end_s == 0.5
    seen = []
    first = run_batch(items, out, settings, workers=1, on_row=lambda row, n, total: seen.append((n, total)))
    assert (first.done, first.failed, first.skipped) == (2, 2, 0) and seen[-1] == (4, 4)
    with (out / "summary.csv").open() as handle:
        rows = {r["candidate_id"]: r for r in csv.DictReader(handle)}
    for good in ("c1", "c2"):
        assert rows[good]["status"] == "done" and rows[good]["verdict"]
        report = json.loads((out / rows[good]["json"]).read_text())
        assert report["question"] == QUESTION
        assert (out / rows[good]["html"]).read_text().startswith("<!")
        assert float(rows[good]["words_per_minute"]) > 0
    assert rows["c3"]["status"] == "failed" and "notes.txt.mp4" in rows["c3"]["reason"]
    assert rows["c4"]["status"] == "failed" and rows["c4"]["reason"] == "missing.mp4: file not found"
    cohort = json.loads((out / "cohort.json").read_text())
    assert (cohort["answers"], cohort["analysed"], cohort["failed"]) == (4, 2, 2)
    pace = next(d for d in cohort["distributions"] if d["measure"] == "words_per_minute")
    assert pace["n"] == 2 and pace["min"] <= pace["median"] <= pace["max"]
    page = (out / "cohort.html").read_text()
    assert "does not rank" in page and "c1" not in page and "sbwe5n" not in page  # no one named

    # Resume: the two done are skipped, the two failed tried again (and fail again, saying why).
    (tmp_path / "missing.mp4").write_bytes((fixtures_dir / "grid_av" / "pwij3p.mpg").read_bytes())
    second = run_batch(read_items(source), out, settings, workers=1)
    assert (second.done, second.failed, second.skipped) == (1, 1, 2)


def test_batch_command_on_a_folder_reports_progress_and_one_bad_file(tmp_path, fixtures_dir):
    folder = tmp_path / "recordings"
    folder.mkdir()
    (folder / "a.mpg").write_bytes((fixtures_dir / "grid_av" / "swiz3n.mpg").read_bytes())
    (folder / "broken.wav").write_bytes(b"RIFF....WAVEfmt nonsense")
    result = CliRunner().invoke(app, ["batch", str(folder), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "1 analysed, 1 failed, 0 already done" in result.output and "broken.wav" in result.output
