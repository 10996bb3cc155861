"""Expression accuracy of the fer mini-Xception (ONNX) on all of FER2013 validation (PublicTest).

Protocols on the same 3,589 images (48x48 grey faces, label = folder name):

* ``classify_images`` — what the CLI does: MediaPipe looks for a face; a found face is cropped
  aligned from its landmarks, otherwise the face-sized image is classified whole; with the
  default test-time augmentation (mean over the crop and its mirror image);
* ``classify_images_no_tta`` — the same without the mirror image;
* ``whole_image`` / ``whole_image_no_tta`` — every image classified whole (the model's own
  protocol on FER crops), with and without the mirror image.

Writes benchmarks/results/face_fer_accuracy-YYYY-MM-DD.{json,md}.

    .venv/bin/python benchmarks/face_fer_accuracy.py [--fixtures ../shared/fixtures]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from datetime import date
from pathlib import Path

import cv2
import numpy as np

from mockmirror.face.expression import ExpressionClassifier, classify_images, whole_image_face
from mockmirror.face.track import EXPRESSIONS
from mockmirror.models.registry import ModelStore
from mockmirror.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def machine_info() -> dict:
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version()}


def scores(truth: list[str], predicted: list[str | None]) -> dict:
    """Accuracy and confusion; a missing prediction (no face) counts as wrong."""
    index = {name: i for i, name in enumerate(EXPRESSIONS)}
    confusion = np.zeros((len(EXPRESSIONS), len(EXPRESSIONS)), dtype=int)
    totals = np.zeros(len(EXPRESSIONS), dtype=int)
    for t, p in zip(truth, predicted, strict=True):
        totals[index[t]] += 1
        if p is not None:
            confusion[index[t], index[p]] += 1
    recall = confusion.diagonal() / np.maximum(totals, 1)
    precision = confusion.diagonal() / np.maximum(confusion.sum(axis=0), 1)
    return {
        "accuracy": round(float(confusion.trace() / len(truth)), 4),
        "no_face": sum(1 for p in predicted if p is None),
        "macro_recall": round(float(recall.mean()), 4),
        "per_class": {
            name: {"n": int(totals[i]), "recall": round(float(recall[i]), 3),
                   "precision": round(float(precision[i]), 3)}
            for i, name in enumerate(EXPRESSIONS)
        },
        "confusion_rows_true_cols_predicted": confusion.tolist(),
    }


def markdown(report: dict) -> str:
    lines = [
        f"# FER2013 validation accuracy ({report['date']})",
        "",
        f"{report['images']} images, 7 classes (chance = most frequent class "
        f"{report['majority_baseline']:.1%}). Machine: {report['machine']['cpu']}, "
        f"{report['machine']['cores']} cores.",
        "",
        "| protocol | accuracy | macro recall | ms / image |",
        "|---|---|---|---|",
    ]
    for name, result in report["protocols"].items():
        lines.append(f"| {name} | {result['accuracy']:.1%} | {result['macro_recall']:.1%} | "
                     f"{result['ms_per_image']:.2f} |")
    policy = report["protocols"]["classify_images"]
    sources = {str(k): v for k, v in policy["face_source"].items()}
    lines += ["", f"classify_images face source: {sources} (None = no face: a blank image, "
              "counted as wrong).", ""]
    for name, result in report["protocols"].items():
        lines += [f"## Confusion matrix: {name} (rows = true, columns = predicted)", "",
                  "| true \\ predicted | " + " | ".join(EXPRESSIONS) + " | recall |",
                  "|---" * (len(EXPRESSIONS) + 2) + "|"]
        for label, row in zip(EXPRESSIONS, result["confusion_rows_true_cols_predicted"],
                              strict=True):
            recall = result["per_class"][label]["recall"]
            lines.append(f"| {label} | " + " | ".join(str(v) for v in row) + f" | {recall:.0%} |")
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixtures", type=Path, default=ROOT.parent / "shared" / "fixtures")
    args = parser.parse_args()
    root = args.fixtures / "fer2013" / "validation"
    items = [(path, label) for label in EXPRESSIONS for path in sorted((root / label).iterdir())]
    truth = [label for _, label in items]
    settings = Settings()

    no_tta = settings.model_copy(update={
        "face": settings.face.model_copy(update={"expression_flip_tta": False})})
    policy: dict[str, tuple[list, float]] = {}
    for name, run_settings in (("classify_images", settings), ("classify_images_no_tta", no_tta)):
        started = time.perf_counter()
        results = classify_images([path for path, _ in items], run_settings)
        policy[name] = (results, time.perf_counter() - started)

    faces = np.stack([whole_image_face(cv2.imread(str(path), cv2.IMREAD_GRAYSCALE))
                      for path, _ in items])
    whole: dict[str, tuple[list, float]] = {}
    for name, flip in (("whole_image", True), ("whole_image_no_tta", False)):
        classifier = ExpressionClassifier.from_store(ModelStore(settings.model_dir), flip_tta=flip)
        started = time.perf_counter()
        probs = classifier.predict(faces)
        whole[name] = ([EXPRESSIONS[i] for i in probs.argmax(axis=1)],
                       time.perf_counter() - started)

    counts = {label: truth.count(label) for label in EXPRESSIONS}
    report = {
        "date": date.today().isoformat(),
        "machine": machine_info(),
        "images": len(items),
        "class_counts": counts,
        "majority_baseline": max(counts.values()) / len(items),
        "protocols": {
            **{name: {
                # None: no face (FER2013 has blank images)
                **scores(truth, [r.label for r in results]),
                "ms_per_image": round(1000 * seconds / len(items), 2),
                "face_source": {
                    str(source): sum(1 for r in results if r.face_source == source)
                    for source in ("detected", "whole_image", None)
                },
                "note": "includes reading the file and running the face landmarker",
            } for name, (results, seconds) in policy.items()},
            **{name: {
                **scores(truth, predicted),
                "ms_per_image": round(1000 * seconds / len(items), 2),
                "note": "model inference only (batches of 64, 1 thread)",
            } for name, (predicted, seconds) in whole.items()},
        },
    }
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    stem = out / f"face_fer_accuracy-{report['date']}"
    stem.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n")
    stem.with_suffix(".md").write_text(markdown(report) + "\n")
    print(markdown(report))


if __name__ == "__main__":
    main()
