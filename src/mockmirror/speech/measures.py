"""Delivery measures from speech segments and words: latency, pauses, pace, fillers, trust.

Pure functions on the hand-off types, so each formula can be tested without a model.
Times come from voice activity detection where it matters (onsets, pauses): Whisper's word
timestamps are good to a word, not to the tenth of a second.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import pairwise

from mockmirror.core.types import Event, Reliability
from mockmirror.speech.fillers import find_fillers
from mockmirror.speech.track import Segment, Word
from mockmirror.speech.vad import merge_close

# Per-minute rates over less than this much answer are noise, not pace.
MIN_SPAN_FOR_RATE_S = 1.0

# Reliability: below these the measures are shown with a warning (see ``reliability``).
LITTLE_SPEECH_S = 3.0
LOW_WORD_PROBABILITY = 0.5
LOW_LEVEL_DBFS = -45.0  # quiet laptop microphones sit around -30; -45 is barely above hiss
SOME_CLIPPING = 0.001  # share of speech samples on flat tops
HEAVY_CLIPPING = 0.01


@dataclass(frozen=True, slots=True)
class Pause:
    start: float
    end: float

    @property
    def duration(self) -> float:
        return self.end - self.start


def answer_onset(
    segments: list[Segment], words: list[Word], question_end_s: float = 0.0
) -> float | None:
    """When the answer starts: the first speech segment after the question that holds a word.

    Requiring a recognised word keeps a cough or a chair creak from counting as the answer.
    Without any words (another language, mumbling) the first speech segment is used. Speech
    already under way when the question ends gives ``question_end_s`` itself (latency 0).
    """
    after = [s for s in segments if s.end > question_end_s]
    if not after:
        return None
    with_words = [s for s in after if any(_within(w, s) for w in words)]
    first = (with_words or after)[0]
    return max(first.start, question_end_s)


def find_pauses(segments: list[Segment], min_pause_s: float, after_s: float = 0.0) -> list[Pause]:
    """Silences of at least ``min_pause_s`` between speech, from ``after_s`` on.

    Leading silence is response latency and trailing silence is the end of the recording;
    neither is a pause.
    """
    runs = [s for s in merge_close(segments, min_pause_s) if s.end > after_s]
    return [Pause(a.end, b.start) for a, b in pairwise(runs)]


def pause_events(pauses: list[Pause], long_pause_s: float) -> list[Event]:
    events = []
    for p in pauses:
        kind = "long_pause" if p.duration >= long_pause_s else "pause"
        events.append(
            Event(
                kind,
                round(p.start, 3),
                round(p.end, 3),
                round(p.duration, 3),
                f"{p.duration:.1f} s pause",
            )
        )
    return events


# Whisper writes one long "uhm" now and then as two words ("Er, um..."), up to 0.4 s apart
# within the one sound (seen on espeak "um": 6 of 10 split). Filled pauses with no other word
# between them and no silence either (the same speech segment) are one hesitation; without
# segments, those written back to back (≤ 0.1 s apart).
SAME_HESITATION_GAP_S = 0.1
FILLED_PAUSE_LABELS = frozenset({"um", "uh", "er", "ah", "hmm"})


def filler_events(words: list[Word], segments: list[Segment] | None = None) -> list[Event]:
    """One event per filler (a two-word "you know" is one event), labelled with its word.

    Two filled pauses in a row that are one hesitation (see above) are one event, labelled
    "um" if either part is "um" (the nasal ending tells it from "uh"), else as the first part.
    """
    events: list[Event] = []
    last_index = -2
    for match in find_fillers(words):
        span = words[match.first : match.last + 1]
        confidence = sum(w.probability for w in span) / len(span)
        event = Event("filler", span[0].start, span[-1].end, None, match.label, round(confidence, 3))
        last = events[-1] if events else None
        if (
            last is not None
            and match.first == last_index + 1
            and last.label in FILLED_PAUSE_LABELS
            and event.label in FILLED_PAUSE_LABELS
            and _one_sound(last.end, event.start, segments)
        ):
            label = "um" if "um" in (last.label, event.label) else last.label
            confidence = round(((last.confidence or 0.0) + (event.confidence or 0.0)) / 2, 3)
            events[-1] = Event("filler", last.start, event.end, None, label, confidence)
        else:
            events.append(event)
        last_index = match.last
    return events


def _one_sound(end: float, start: float, segments: list[Segment] | None) -> bool:
    if start - end <= SAME_HESITATION_GAP_S:
        return True
    return segments is not None and any(s.start <= end and start <= s.end for s in segments)


def fillers_by_word(events: list[Event]) -> dict[str, int]:
    counts = Counter(e.label for e in events if e.kind == "filler")
    return dict(counts.most_common())


def per_minute(count: int, span_s: float) -> float | None:
    """``count`` per minute over ``span_s`` seconds, or None when the span is too short."""
    if span_s < MIN_SPAN_FOR_RATE_S:
        return None
    return round(count * 60.0 / span_s, 1)


def reliability(
    speaking_time_s: float,
    words: list[Word],
    mean_level_dbfs: float | None,
    clipped_fraction: float,
    narrow_band: bool = False,
) -> Reliability:
    """0..1 trust in the speech measures, with the reasons it is lower than 1.

    Factors multiply, so two problems weigh more than one.
    """
    score, reasons = 1.0, []
    if speaking_time_s <= 0.0:
        return Reliability(0.0, ("no speech detected",))
    if speaking_time_s < LITTLE_SPEECH_S:
        score *= max(0.4, speaking_time_s / LITTLE_SPEECH_S)
        reasons.append(f"little speech ({speaking_time_s:.1f} s): rates are rough")
    if not words:
        score *= 0.2
        reasons.append("speech detected but no words recognised (another language or noise?)")
    else:
        mean_probability = sum(w.probability for w in words) / len(words)
        if mean_probability < LOW_WORD_PROBABILITY:
            score *= 0.6
            reasons.append(
                f"low recognition confidence (mean word probability {mean_probability:.2f})"
            )
    if mean_level_dbfs is not None and mean_level_dbfs < LOW_LEVEL_DBFS:
        score *= 0.6
        reasons.append(f"very low recording level ({mean_level_dbfs:.0f} dBFS during speech)")
    if clipped_fraction >= HEAVY_CLIPPING:
        score *= 0.5
        reasons.append(f"heavy clipping ({clipped_fraction:.1%} of speech samples): too loud")
    elif clipped_fraction >= SOME_CLIPPING:
        score *= 0.8
        reasons.append(f"some clipping ({clipped_fraction:.1%} of speech samples)")
    if narrow_band:
        score *= 0.9
        reasons.append(
            "narrow-band audio (almost nothing above 4 kHz: a telephone line or an old "
            "recording): words are less reliable"
        )
    return Reliability(round(score, 3), tuple(reasons))


def _within(word: Word, segment: Segment) -> bool:
    middle = (word.start + word.end) / 2
    return segment.start <= middle <= segment.end
