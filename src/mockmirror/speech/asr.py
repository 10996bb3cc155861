"""Speech to words with timestamps: faster-whisper (Whisper base, int8, CPU) behind guards.

Whisper is a language model as much as an acoustic one: given silence or noise it writes
plausible text ("Thank you.", "Thanks for watching!"). Four guards keep invented words out:

1. No speech from the voice activity detector → Whisper is not run at all.
2. Decoding of a chunk stops once its detected speech is used up (see ``TAIL_SPEECH_S``).
3. Segments that look like hallucinations are dropped: the decoder itself thought there was no
   speech (no-speech probability > 0.4) and was unsure of its text (mean log-probability
   < -0.8), or the text repeats itself (gzip compression ratio > 2.4). On the project fixtures
   real segments stayed at or below 0.25 / -0.76; hallucinated tails were at or above
   0.52 / -1.08.
4. Words that do not overlap any detected speech are dropped; the others are clamped to the
   speech segment they belong to, which also repairs Whisper's habit of starting the first
   word after a silence inside the silence.

Speech is sent to Whisper in chunks of at most 28 s cut in pauses (``plan_chunks``), each with
up to 1 s of surrounding silence, so no 30 s window boundary falls inside a sentence.

Verbatim mode (``fillers=True``) passes an initial prompt full of fillers to every chunk:
Whisper otherwise writes clean prose and silently drops "um" and "uh".
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any, Protocol, TypedDict

from mockmirror.core.arrays import Float32Array, FloatArray
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
# Resume a chunk when Whisper stopped with at least this much detected speech left after its
# last word (at most MAX_RESUMES times), starting RESUME_LEAD_S before the next speech onset.
RESUME_SPEECH_S = 1.0
MAX_RESUMES = 3
RESUME_LEAD_S = 0.3
RESUME_OVERLAP_S = 0.05  # words of a resumed decode that start earlier repeat the last word
# Chunks of speech sent to Whisper: one 30 s window each, with room for the context padding.
MAX_CHUNK_S = 28.0
CHUNK_PAD_S = 1.0  # silence kept either side: Whisper reads speech better with some lead-in
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
        audio: FloatArray,
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
        duration = samples.size / SAMPLE_RATE
        chunks = plan_chunks(speech)
        raw: list[Word] = []
        detected: list[tuple[str, float]] = []
        for index, chunk in enumerate(chunks):
            progress("transcribing", index / len(chunks))
            # Context either side, but never into the neighbouring chunk's speech.
            lo = max(0.0, chunk.start - CHUNK_PAD_S)
            hi = min(duration, chunk.end + CHUNK_PAD_S)
            if index > 0:
                lo = max(lo, (chunks[index - 1].end + chunk.start) / 2)
            if index + 1 < len(chunks):
                hi = min(hi, (chunk.end + chunks[index + 1].start) / 2)
            inside = [s for s in speech if s.end > chunk.start and s.start < chunk.end]
            words, found = self._transcribe_chunk(samples, lo, hi, inside, fillers)
            raw.extend(words)
            detected.append(found)
        progress("transcribing", 1.0)
        words = tag_fillers(align_to_speech(raw, speech))
        best_language = max(detected, key=lambda d: d[1])
        return Transcript(
            text=" ".join(w.text for w in words),
            words=words,
            language=best_language[0] or language,
            language_probability=best_language[1],
        )

    def _transcribe_chunk(
        self, samples: Float32Array, lo: float, hi: float, speech: list[Segment], fillers: bool
    ) -> tuple[list[Word], tuple[str, float]]:
        """Decode a chunk; if Whisper stops early with speech left, resume after the last word.

        Whisper sometimes ends its transcript at a sentence end although speech follows (seen
        with the filler prompt on an 88 s answer: 8 s of speech after a pause went missing).
        """
        words, found = self._decode(samples, lo, hi, speech, fillers)
        for _ in range(MAX_RESUMES):
            if not words or _speech_after(speech, words[-1].end) < RESUME_SPEECH_S:
                break
            start = _resume_point(speech, words[-1].end)
            more, _ = self._decode(samples, start, hi, speech, fillers)
            more = [w for w in more if w.start >= words[-1].end - RESUME_OVERLAP_S]
            if not more:
                break
            words.extend(more)
        return words, found

    def _decode(
        self, samples: Float32Array, lo: float, hi: float, speech: list[Segment], fillers: bool
    ) -> tuple[list[Word], tuple[str, float]]:
        """Words of ``samples[lo:hi]`` (seconds) on the recording's clock, and the language."""
        options = self.settings.speech
        piece = samples[round(lo * SAMPLE_RATE) : round(hi * SAMPLE_RATE)]
        segments, info = self.model.transcribe(
            piece,
            language=options.language,
            beam_size=options.beam_size,
            word_timestamps=True,
            vad_filter=True,
            condition_on_previous_text=False,  # one bad window must not poison the next
            initial_prompt=options.filler_prompt if fillers else None,
            hallucination_silence_threshold=HALLUCINATION_SILENCE_S,
        )
        words: list[Word] = []
        for segment in segments:
            if _looks_hallucinated(segment):  # guard 3
                continue
            words.extend(_words_of(segment.words or [], offset=lo))
            if words and _speech_after(speech, words[-1].end) < TAIL_SPEECH_S:  # guard 2
                break
        return words, (info.language or "", float(info.language_probability or 0.0))


def _resume_point(speech: list[Segment], last_word_end: float) -> float:
    """Where to restart decoding: a little before the next speech onset after the last word,
    or just after the last word when it stopped in the middle of a stretch of speech."""
    later = [s.start for s in speech if s.start >= last_word_end]
    if later:
        return max(last_word_end, min(later) - RESUME_LEAD_S)
    return last_word_end


def plan_chunks(speech: list[Segment], max_s: float = MAX_CHUNK_S) -> list[Segment]:
    """Group speech segments into chunks of at most ``max_s``, cut only in silences.

    Whisper reads 30 s windows. Left to itself, faster-whisper cuts windows wherever 30 s
    ends, and on an assembled answer it lost a whole sentence that straddled the cut. Cutting
    in pauses avoids that, and lets the prompt apply to every chunk (faster-whisper only gives
    ``initial_prompt`` to the first window when not conditioning on previous text). A single
    stretch of speech longer than ``max_s`` without any 0.1 s silence is cut at ``max_s``.
    """
    chunks: list[Segment] = []
    for segment in speech:
        start = segment.start
        while start < segment.end:
            end = min(segment.end, start + max_s)
            if chunks and end - chunks[-1].start <= max_s:
                chunks[-1] = Segment(chunks[-1].start, end)
            else:
                chunks.append(Segment(start, end))
            start = end
    return chunks


class _WhisperWord(Protocol):
    """What is read of a faster-whisper ``Word`` (faster-whisper ships no type hints)."""

    word: str
    start: float
    end: float
    probability: float


class _WhisperSegment(Protocol):
    """What is read of a faster-whisper ``Segment``."""

    no_speech_prob: float
    avg_logprob: float
    compression_ratio: float


def _looks_hallucinated(segment: _WhisperSegment) -> bool:
    unsure_of_speech = (
        segment.no_speech_prob > HALLUCINATION_NO_SPEECH_PROB
        and segment.avg_logprob < HALLUCINATION_LOGPROB
    )
    return unsure_of_speech or segment.compression_ratio > MAX_COMPRESSION_RATIO


def _speech_after(speech: list[Segment], t: float) -> float:
    return sum(max(0.0, s.end - max(s.start, t)) for s in speech)


def _words_of(words: Iterable[_WhisperWord], offset: float) -> list[Word]:
    out = []
    for w in words:
        text = w.word.strip()
        if not normalize(text):  # a lone "." or "-" is not a word
            continue
        start, end = offset + float(w.start), offset + float(w.end)
        out.append(Word(text, start, end, float(w.probability)))
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


class WordRecord(TypedDict):
    word: str
    start: float
    end: float
    probability: float


class TranscriptRecord(TypedDict):
    """``mockmirror transcribe``'s JSON line."""

    text: str
    words: list[WordRecord]
    language: str


def transcript_to_dict(transcript: Transcript) -> TranscriptRecord:
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
