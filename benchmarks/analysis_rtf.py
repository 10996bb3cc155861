"""Real-time factor of the whole answer analysis (wall time / media duration), with machine info.

Runs on a GRID clip and on a ~40 s answer assembled from all GRID clips with known silences
(1.5 s before the first word, one 2.5 s pause), and checks the measured latency and pause
against that ground truth. Both paths run in the same process, one after the other on each file
so they see the same machine load: "one process" (speech, then face) and "face in processes"
(analysis.face_in_processes: face and hands/body in two children beside speech). "quick s" is
when speech and content were ready (the web app's quick feedback). Writes
benchmarks/results/analysis_rtf-YYYY-MM-DD.{json,md}.

    .venv/bin/python benchmarks/analysis_rtf.py [--fixtures ../shared/fixtures]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from mockmirror import __version__
from mockmirror.analysis.pipeline import AnswerAnalyzer, QuickAnalysis
from mockmirror.media.compose import compose_answer
from mockmirror.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
LEAD_S, PAUSE_S, GAP_S = 1.5, 2.5, 0.4
QUESTION = "Tell me about a project you are proud of."


def machine_info() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "mockmirror": __version__,
        # Other work on the machine inflates wall time; the 1-minute load average says how much.
        "load_average_1min_at_start": round(os.getloadavg()[0], 2),
    }


def run_one(analyzer: AnswerAnalyzer, path: Path, mode: str) -> dict:
    load = round(os.getloadavg()[0], 2)
    quick: list[QuickAnalysis] = []
    started = time.perf_counter()
    result = analyzer.analyze(path, question=QUESTION, on_quick=quick.append)
    wall = time.perf_counter() - started
    duration = result.media.duration
    return {
        "file": path.name,
        "mode": mode,
        "load_average_1min_before": load,
        "quick_s": round(quick[0].seconds, 2) if quick else None,
        "duration_s": round(duration, 2),
        "wall_s": round(wall, 2),
        "real_time_factor": round(wall / duration, 3),
        "stages_s": {k: round(v, 2) for k, v in result.timings_s.items()},
        "words": result.speech.summary.word_count,
        "face_visible_ratio": round(result.face.summary.face_visible_ratio, 3),
        "response_latency_s": result.speech.summary.response_latency_s,
        "long_pauses": [
            (round(e.start, 2), round(e.end, 2)) for e in result.speech.events if e.kind == "long_pause"
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixtures", type=Path, default=ROOT.parent / "shared" / "fixtures")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each path on the 40 s answer")
    args = parser.parse_args()
    grid = args.fixtures / "grid_av"
    clips = sorted(grid.glob("*.mpg"))
    settings = Settings()
    modes = {
        "one process": settings.model_copy(update={"analysis": settings.analysis.model_copy(
            update={"face_in_processes": False})}),
        "face in processes": settings,
    }
    analyzers = {mode: AnswerAnalyzer(s) for mode, s in modes.items()}
    # Warm-up: model loading (and starting the children) is a one-off cost reported separately.
    first_call_s = {}
    for mode, analyzer in analyzers.items():
        started = time.perf_counter()
        analyzer.analyze(clips[0], question=QUESTION)
        first_call_s[mode] = round(time.perf_counter() - started, 2)

    runs = [run_one(analyzer, clips[0], mode) for mode, analyzer in analyzers.items()]
    with tempfile.TemporaryDirectory() as tmp:
        answer = Path(tmp) / "assembled_answer.mp4"
        gaps = [GAP_S] * (len(clips) - 1)
        gaps[len(gaps) // 2] = PAUSE_S
        parts = compose_answer(clips, gaps, answer, lead_s=LEAD_S)
        pause_start = parts[len(gaps) // 2].end
        for _ in range(args.repeat):
            for mode, analyzer in analyzers.items():
                run = run_one(analyzer, answer, mode)
                run["ground_truth"] = {
                    "first_clip_starts_s": LEAD_S,
                    "long_pause_s": [pause_start, pause_start + PAUSE_S],
                    "note": "latency truth = lead + the clip's own leading silence",
                }
                runs.append(run)
    for analyzer in analyzers.values():
        analyzer.close()

    result = {
        "date": date.today().isoformat(),
        "machine": machine_info(),
        "first_call_with_model_loading_s": first_call_s,
        "runs": runs,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    stem = args.out / f"analysis_rtf-{result['date']}"
    stem.with_suffix(".json").write_text(json.dumps(result, indent=2) + "\n")
    lines = [
        f"# Answer analysis speed ({result['date']})",
        "",
        f"Machine: {result['machine']['cpu']}, {result['machine']['cores']} cores, 1-min load average "
        f"{result['machine']['load_average_1min_at_start']} at start. "
        f"First call incl. model loading: {first_call_s}.",
        "",
        "| file | path | load before | duration s | wall s | RTF | quick s | speech s | face s "
        "| hands/body s | content s |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in runs:
        st = r["stages_s"]
        lines.append(
            f"| {r['file']} | {r['mode']} | {r['load_average_1min_before']} | {r['duration_s']} "
            f"| {r['wall_s']} | {r['real_time_factor']} | {r['quick_s']} | {st.get('speech', 0)} "
            f"| {st.get('face', 0)} | {st.get('hands_body', '-')} | {st.get('content', 0)} |"
        )
    stem.with_suffix(".md").write_text("\n".join(lines) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
