"""End of an interview answer → quick feedback, next question, full report, replay (web app).

Uploads answers of about 10, 60 and 120 s (GRID clips joined with 0.4 s gaps) to the real app
(FastAPI TestClient, real models) and polls the answer every 0.1 s from the moment the upload is
accepted (in the live flow the recording streams in during the answer, so that is the end of
the answer): when the transcript and pace are stored ("quick"), when the interviewer's next turn
is ("next question"), when the report with the face is ("report") and when the replay copy is
("replay"). Both analysis paths run in the same process (face in child processes, and one
process) so they see the same machine load. Writes
benchmarks/results/answer_turnaround-YYYY-MM-DD.{json,md}.

    .venv/bin/python benchmarks/answer_turnaround.py [--fixtures ../shared/fixtures]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date
from itertools import cycle, islice
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from fastapi.testclient import TestClient

from mockmirror.media.compose import compose_answer
from mockmirror.settings import Settings
from mockmirror.web import create_app

sys.path.insert(0, str(Path(__file__).resolve().parent))
from analysis_rtf import machine_info
from results_io import write_dated

ROOT = Path(__file__).resolve().parents[1]
GAP_S, CLIP_S = 0.4, 3.0
POLL_S = 0.1
INTERVIEW = {"core_questions": 3, "warm_up": False, "closing": False, "max_follow_ups": 0,
             "seed": 11, "consent": {"camera": True, "microphone": True, "keep_recording": True}}


def compose(clips: list[Path], seconds: float, target: Path) -> Path:
    count = max(1, round(seconds / (CLIP_S + GAP_S)))
    chosen = list(islice(cycle(clips), count))
    compose_answer(chosen, [GAP_S] * (count - 1), target, lead_s=1.0)
    return target


def turnaround(client: TestClient, path: Path) -> dict:
    session = client.post("/api/sessions", json=INTERVIEW).json()
    with open(path, "rb") as handle:
        response = client.post(f"/api/sessions/{session['id']}/answers",
                               files={"file": (path.name, handle, "video/mp4")})
    response.raise_for_status()
    start, answer_id = time.perf_counter(), response.json()["id"]
    load = round(os.getloadavg()[0], 2)
    marks: dict[str, float] = {}
    stages: list[tuple[float, str, float]] = []
    while "replay" not in marks:
        answer = client.get(f"/api/answers/{answer_id}").json()
        now = round(time.perf_counter() - start, 2)
        if not stages or stages[-1][1] != answer["stage"]:
            stages.append((now, answer["stage"], answer["progress"]))
        if answer["transcript"] and "quick" not in marks:
            marks["quick"] = now
        if (answer.get("dialogue_feedback") or {}).get("next_prompt") and "next" not in marks:
            marks["next"] = now
        if answer["status"] == "done" and "report" not in marks:
            marks["report"] = now
        if answer["status"] == "done" and answer["stage"] == "done":
            marks["replay"] = now
        if answer["status"] == "failed":
            raise RuntimeError(answer["error"])
        time.sleep(POLL_S)
    return {"duration_s": answer["duration_s"], "load_average_1min": load, **marks,
            "stages": stages}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixtures", type=Path, default=ROOT.parent / "shared" / "fixtures")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    parser.add_argument("--seconds", type=float, nargs="+", default=[10.0, 60.0, 120.0])
    args = parser.parse_args()
    clips = sorted((args.fixtures / "grid_av").glob("*.mpg"))
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        answers = [compose(clips, s, Path(tmp) / f"answer_{s:g}s.mp4") for s in args.seconds]
        for in_processes in (True, False):
            settings = Settings()
            settings.web.data_dir = Path(tmp) / f"data-{in_processes}"
            settings.web.max_upload_mb = 500.0
            settings.analysis.face_in_processes = in_processes
            mode = "face in processes" if in_processes else "one process"
            with TestClient(create_app(settings)) as client:
                turnaround(client, answers[0])  # warm-up: models load (and children start)
                for path in answers:
                    runs.append({"mode": mode, "file": path.name, **turnaround(client, path)})
    report = {"date": date.today().isoformat(), "machine": machine_info(), "runs": runs}
    lines = [
        f"# End of answer → feedback ({report['date']})", "",
        f"Machine: {report['machine']['cpu']}, {report['machine']['cores']} cores. Seconds from the "
        "accepted upload; one run each (not a p95).", "",
        "| answer s | path | load | quick feedback s | next question s | report s | replay s |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in runs:
        lines.append(f"| {r['duration_s']:.0f} | {r['mode']} | {r['load_average_1min']} | "
                     f"{r.get('quick')} | {r.get('next')} | {r.get('report')} | {r.get('replay')} |")
    write_dated(args.out, "answer_turnaround", report, "\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
