"""Readers for the reference transcripts of the shared speech fixtures (tests, benchmarks).

Each reader returns ``Reference(audio path, text)`` items; folder layouts are described in
``../shared/fixtures/README.md``. Nothing here is used at run time.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

GRID_ALIGN_UNITS_PER_S = 25_000  # GRID .align files count time in 1/25000 s


@dataclass(frozen=True, slots=True)
class Reference:
    audio: Path
    text: str


@dataclass(frozen=True, slots=True)
class AlignedWord:
    text: str
    start: float
    end: float


def grid_references(grid_dir: Path) -> list[Reference]:
    """GRID clips (16 kHz WAVs in audio_16k/) with their transcripts.csv text."""
    with (grid_dir / "transcripts.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [
        Reference(
            grid_dir / "audio_16k" / Path(row["file"]).with_suffix(".wav").name, row["transcript"]
        )
        for row in rows
    ]


def grid_alignment(align_path: Path) -> list[AlignedWord]:
    """Words of a GRID .align file (silences left out), in seconds."""
    words = []
    for line in align_path.read_text(encoding="utf-8").splitlines():
        start, end, text = line.split()
        if text != "sil":
            words.append(
                AlignedWord(
                    text, int(start) / GRID_ALIGN_UNITS_PER_S, int(end) / GRID_ALIGN_UNITS_PER_S
                )
            )
    return words


def sphinx_references(folder: Path) -> list[Reference]:
    """PocketSphinx ``*.transcription`` lines: "<s> ten of clubs </s> (001)"."""
    references = []
    for transcription in sorted(folder.glob("*.transcription")):
        for line in transcription.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            text, _, file_id = line.rpartition("(")
            text = text.replace("<s>", " ").replace("</s>", " ")
            references.append(
                Reference(folder / f"{file_id.strip(' )')}.wav", " ".join(text.split()))
            )
    return references


def text_file_references(folder: Path) -> list[Reference]:
    """One ``NAME.txt`` reference beside ``NAME.wav`` (goforward)."""
    return [
        Reference(txt.with_suffix(".wav"), txt.read_text(encoding="utf-8").strip())
        for txt in sorted(folder.glob("*.txt"))
        if txt.with_suffix(".wav").exists()
    ]


def tsv_references(folder: Path) -> list[Reference]:
    """``transcripts*.tsv`` with file/reference columns (speech_more); "(partial)" dropped."""
    references = []
    for tsv in sorted(folder.glob("transcripts*.tsv")):
        with tsv.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                text = row["reference"].replace("(partial)", " ")
                references.append(Reference(folder / row["file"], " ".join(text.split())))
    return references


def speech_sets(fixtures_dir: Path) -> dict[str, list[Reference]]:
    """Every reference set the speech benchmark and tests use, by name."""
    return {
        "grid": grid_references(fixtures_dir / "grid_av"),
        "cards": sphinx_references(fixtures_dir / "speech" / "cards"),
        "goforward": text_file_references(fixtures_dir / "speech" / "goforward"),
        "speech_more": tsv_references(fixtures_dir / "speech_more"),
    }
