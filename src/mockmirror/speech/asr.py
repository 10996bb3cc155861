"""Speech to words with timestamps: faster-whisper (Whisper base, int8, CPU) behind guards.

Whisper is a language model as much as an acoustic one: given silence or noise it writes
plausible text ("Thank you.", "Thanks for watching!"). Four guards keep invented words out:

1. No speech from the voice activity detector → Whisper is not run at all.
2. Decoding stops once the detected speech is used up (see ``TAIL_SPEECH_S``).
3. Segments that look like hallucinations are dropped: the decoder itself thought there was no
   speech (no-speech probability > 0.4) and was unsure of its text (mean log-probability
   < -0.8), or the text repeats itself (gzip compression ratio > 2.4). On the project fixtures
   real segments stayed at or below 0.25 / -0.76; hallucinated tails were at or above
   0.52 / -1.08.
4. Words that do not overlap any detected speech are dropped; the others are clamped to the
   speech segment they belong to, which also repairs Whisper's habit of starting the first
   word after a silence inside the silence.

Verbatim mode (``fillers=True``) passes an initial prompt full of fillers: Whisper otherwise
writes clean prose and silently drops "um" and "uh".
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

import numpy as np

from mockmirror.core.types import ProgressFn, no_progress
from mockmirror.models.registry import ModelError, ModelStore
from mockmirror.settings import Settings
from mockmirror.speech.fillers import normalize, tag_fillers
from mockmirror.speech.track import Segment, Transcript, Word
from mockmirror.speech.vad import SAMPLE_RATE, detect_speech, prepare

SHIPPED_MODEL = "whisper-base"  # the name the model store knows; anything else goes to Whisper

# Guard 3 thresholds (see module docstring for where they come from).
HALLUCINATION_NO_SPEECH_PROB = 0.4
HALLUCINATION_LOGPROB = -0.8
MAX_COMPRESSION_RATIO = 2.4
# faster-whisper skips silences this long before a suspected hallucination (its own guard);
# on the fixtures it also removed slow re-decoding of the silent tail after the last word.
HALLUCINATION_SILENCE_S = 1.0
# Stop reading segments once less than this much detected speech is left after the last word.
# Otherwise faster-whisper re-decodes the silent tail after the last word, which with the filler
# prompt produced "Thank you." or loops ("I'm sorry, I'm sorry…") and cost up to 10 s a clip.
# Whisper ends words up to ~0.4 s early, so the margin is wider than that; the tail decode
# cannot hold more than one short word.
TAIL_SPEECH_S = 0.5
# A word must reach this far into a speech segment to be placed in it (else it only grazes it).
MIN_WORD_OVERLAP_S = 0.05


class Transcriber:
    """Loads the Whisper model once (on first use) and transcribes 16 kHz mono audio."""

    def __init__(self, settings: Settings, store: ModelStore | None = None) -> None:
        self.settings = settings
        self.store = store or ModelStore(settings.model_dir)
        self._model: Any = None  # faster_whisper.WhisperModel, imported lazily

    @property
    def model_source(self) -> str:
        """Directory of the verified shipped model, or the name/path given in the settings."""
        name = self.settings.speech.asr_model
        if name == SHIPPED_MODEL:
            return str(self.store.path(SHIPPED_MODEL))
        return name

    @property
    def model(self) -> Any:
        if self._model is None:
            from faster_whisper import WhisperModel

            speech = self.settings.speech
            source = self.model_source
            try:
                self._model = WhisperModel(
                    source,
                    device="cpu",
                    compute_type=speech.compute_type,
                    cpu_threads=speech.cpu_threads,
                )
            except Exception as exc:  # hub lookups, bad paths, unsupported compute types…
                raise ModelError(
                    f"could not load speech model {speech.asr_model!r}: {exc}"
                ) from exc
        return self._model

    def transcribe(
        self,
        audio: np.ndarray,
        fillers: bool = False,
        speech: list[Segment] | None = None,
        progress: ProgressFn = no_progress,
    ) -> Transcript:
        """Words with timestamps (seconds from the start of ``audio``), fillers tagged.

        ``fillers`` switches on verbatim mode (filler-biased prompt). ``speech`` takes voice
        activity segments already computed by the caller, to avoid running the detector twice.
        """
        language = self.settings.speech.language or ""
        samples = prepare(audio)
        if speech is None:
            speech = detect_speech(samples)
        if not speech:  # guard 1: nothing to transcribe, so nothing can be invented
            return Transcript(text="", words=[], language=language)
        options = self.settings.speech
        segments, info = self.model.transcribe(
            samples,
            language=options.language,
            beam_size=options.beam_size,
            word_timestamps=True,
            vad_filter=True,
            condition_on_previous_text=False,  # one bad window must not poison the next
            initial_prompt=options.filler_prompt if fillers else None,
            hallucination_silence_threshold=HALLUCINATION_SILENCE_S,
        )
        duration = max(samples.size / SAMPLE_RATE, 1e-6)
        raw: list[Word] = []
        for segment in segments:
            progress("transcribing", min(1.0, segment.end / duration))
            if _looks_hallucinated(segment):  # guard 3
                continue
            raw.extend(_words_of(segment.words or []))
            if raw and _speech_after(speech, raw[-1].end) < TAIL_SPEECH_S:  # guard 2
                break
        progress("transcribing", 1.0)
        words = tag_fillers(align_to_speech(raw, speech))
        return Transcript(
            text=" ".join(w.text for w in words),
            words=words,
            language=info.language or language,
            language_probability=float(info.language_probability or 0.0),
        )


def _looks_hallucinated(segment: Any) -> bool:
    unsure_of_speech = (
        segment.no_speech_prob > HALLUCINATION_NO_SPEECH_PROB
        and segment.avg_logprob < HALLUCINATION_LOGPROB
    )
    return unsure_of_speech or segment.compression_ratio > MAX_COMPRESSION_RATIO


def _speech_after(speech: list[Segment], t: float) -> float:
    return sum(max(0.0, s.end - max(s.start, t)) for s in speech)


def _words_of(words: Iterable[Any]) -> list[Word]:
    out = []
    for w in words:
        text = w.word.strip()
        if not normalize(text):  # a lone "." or "-" is not a word
            continue
        out.append(Word(text, float(w.start), float(w.end), float(w.probability)))
    return out


def align_to_speech(words: list[Word], speech: list[Segment]) -> list[Word]:
    """Drop words outside detected speech; clamp the rest to their speech segment (guard 4).

    A word that overlaps several segments belongs to the last one it really reaches into:
    Whisper stretches a word that follows a pause back over the pause, so its true start is the
    later onset.
    """
    aligned: list[Word] = []
    for word in words:
        touching = [s for s in speech if _overlaps(word, s)]
        if not touching:
            continue
        reach = min(MIN_WORD_OVERLAP_S, 0.5 * (word.end - word.start))
        home = next((s for s in reversed(touching) if _overlap(word, s) >= reach), touching[-1])
        start = min(max(word.start, home.start), home.end)
        end = max(min(word.end, home.end), start)
        if aligned and start < aligned[-1].start:  # keep words in time order
            start = aligned[-1].start
            end = max(end, start)
        aligned.append(dataclasses.replace(word, start=round(start, 3), end=round(end, 3)))
    return aligned


def _overlap(word: Word, segment: Segment) -> float:
    return min(word.end, segment.end) - max(word.start, segment.start)


def _overlaps(word: Word, segment: Segment) -> bool:
    if word.end <= word.start:  # zero-length words: Whisper could not place them
        return segment.start <= word.start <= segment.end
    return word.start < segment.end and word.end > segment.start


def transcript_to_dict(transcript: Transcript) -> dict[str, Any]:
    """The CLI's JSON shape.

    ``{"text", "words": [{"word", "start", "end", "probability"}], "language"}``
    """
    return {
        "text": transcript.text,
        "words": [
            {
                "word": w.text,
                "start": round(w.start, 3),
                "end": round(w.end, 3),
                "probability": round(w.probability, 4),
            }
            for w in transcript.words
        ],
        "language": transcript.language,
    }
