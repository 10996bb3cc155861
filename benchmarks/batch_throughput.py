"""Batch throughput of `mockmirror batch` with 1 and 2 worker processes on the same cohort: 20
answers made of the 11 real GRID clips (3 s each; each clip with two questions, the first 20).
Wall time includes each worker loading the models once. Writes
benchmarks/results/batch_throughput-YYYY-MM-DD.{json,md}.

    .venv/bin/python benchmarks/batch_throughput.py [--fixtures ../shared/fixtures] [--answers 20]
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import tempfile
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from mockmirror import __version__
from mockmirror.jobs.batch import read_items, run_batch
from mockmirror.settings import Settings
from results_io import write_dated

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = ("Tell me about a project you are proud of.", "Describe a time you solved a hard problem.")


def cohort_csv(fixtures: Path, answers: int, folder: Path) -> Path:
    clips = sorted((fixtures / "grid_av").glob("*.mpg"))
    rows = [{"file": str(c), "question": q, "candidate_id": f"{i}-{c.stem}"}
            for i, q in enumerate(QUESTIONS) for c in clips][:answers]
    path = folder / "cohort.csv"
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["file", "question", "candidate_id"])
        writer.writeheader()
        writer.writerows(rows)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixtures", type=Path, default=ROOT.parent / "shared" / "fixtures")
    parser.add_argument("--answers", type=int, default=20)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    args = parser.parse_args()
    settings = Settings()
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        source = cohort_csv(args.fixtures, args.answers, Path(tmp))
        items = read_items(source)
        for workers in args.workers:
            started = time.perf_counter()
            result = run_batch(items, Path(tmp) / f"out-{workers}", settings, workers=workers)
            wall = time.perf_counter() - started
            runs.append({"workers": workers, "answers": len(items), "done": result.done,
                         "failed": result.failed, "wall_s": round(wall, 1),
                         "answers_per_min": round(60 * result.done / wall, 2)})
            print(runs[-1], flush=True)
    report = {
        "date": date.today().isoformat(), "mockmirror": __version__, "machine": platform.processor()
        or platform.machine(), "cpus": os.cpu_count(), "clip_s": 3.0, "runs": runs,
        "speed_up": round(runs[0]["wall_s"] / runs[-1]["wall_s"], 2) if len(runs) > 1 else None,
        "note": "each worker loads the models once (included); speech.cpu_threads as set",
    }
    lines = ["# Batch throughput (mockmirror batch)", "",
             f"{report['date']} · {report['cpus']} CPUs · {len(items)} answers of 3 s (GRID clips)", "",
             "| workers | answers | done | wall (s) | answers / min |", "|---|---|---|---|---|"]
    lines += [f"| {r['workers']} | {r['answers']} | {r['done']} | {r['wall_s']} | {r['answers_per_min']} |"
              for r in runs]
    lines += ["", f"Speed-up of {runs[-1]['workers']} workers over {runs[0]['workers']}: "
              f"{report['speed_up']}×",
              "", "Wall time includes each worker process loading the models once."]
    stem = write_dated(args.out, "batch_throughput", report, "\n".join(lines) + "\n")
    print(f"wrote {stem}.json and .md")


if __name__ == "__main__":
    main()
