"""Inline SVG charts for the HTML report: no JavaScript library, no network, printable.

Colours are the Okabe–Ito palette (safe for the common colour-vision deficiencies); every track
also differs by shape or position, and each chart carries a text title/description.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from mockmirror.face.track import EXPRESSIONS
from mockmirror.report.document import AnswerReport

OKABE_ITO = {
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "grey": "#999999",
}
EXPRESSION_COLOURS = {
    "angry": OKABE_ITO["vermillion"],
    "disgust": OKABE_ITO["green"],
    "fear": OKABE_ITO["purple"],
    "happy": OKABE_ITO["orange"],
    "neutral": "#C8C8C8",
    "sad": OKABE_ITO["blue"],
    "surprise": OKABE_ITO["sky"],
}

LABEL_W = 110  # left gutter for track names
PLOT_W = 860
ROW_H = 30
ROW_GAP = 8


@dataclass(frozen=True, slots=True)
class _Scale:
    duration: float

    def x(self, t: float) -> float:
        t = min(max(t, 0.0), self.duration)
        return LABEL_W + PLOT_W * t / self.duration if self.duration > 0 else LABEL_W


def _tick_step(duration: float) -> float:
    for step in (0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300):
        if duration / step <= 12:
            return step
    return 600


def _fmt(t: float) -> str:
    """m:ss, or m:ss.s where the axis steps by fractions of a second."""
    if abs(t - round(t)) > 1e-6:
        return f"{int(t // 60)}:{t % 60:04.1f}"
    return f"{int(round(t) // 60)}:{int(round(t) % 60):02d}"


def _rect(x0: float, x1: float, y: float, h: float, fill: str, title: str, t: float, extra: str = "") -> str:
    width = max(x1 - x0, 1.0)
    return (
        f'<rect class="seek" data-t="{t:.2f}" x="{x0:.1f}" y="{y:.1f}" width="{width:.1f}" '
        f'height="{h:.1f}" fill="{fill}" {extra}><title>{escape(title)}</title></rect>'
    )


def timeline_svg(report: AnswerReport) -> str:
    """One SVG with a time axis and a row per cue track; clicking a mark seeks the recording."""
    duration = max(report.input.duration_s, 0.1)
    scale = _Scale(duration)
    rows: list[tuple[str, list[str]]] = []
    speech, face = report.speech, report.face

    if speech.available:
        marks = [
            _rect(
                scale.x(s.start),
                scale.x(s.end),
                8,
                ROW_H - 16,
                OKABE_ITO["blue"],
                f"speaking {_fmt(s.start)}–{_fmt(s.end)}",
                s.start,
            )
            for s in speech.segments
        ]
        for e in speech.events:
            if e.kind == "filler":
                x = scale.x(e.start)
                marks.append(
                    f'<path class="seek" data-t="{e.start:.2f}" d="M{x:.1f},2 l5,9 h-10 z" '
                    f'fill="{OKABE_ITO["orange"]}" stroke="#000" stroke-width="0.5">'
                    f"<title>filler “{escape(e.label)}” at {_fmt(e.start)}</title></path>"
                )
            elif e.kind == "long_pause":
                marks.append(
                    _rect(
                        scale.x(e.start),
                        scale.x(e.end),
                        ROW_H - 7,
                        5,
                        OKABE_ITO["vermillion"],
                        f"long pause {e.duration:.1f} s",
                        e.start,
                    )
                )
        rows.append(("Speech · fillers ▲", marks))
        if speech.volume_series:
            points = " ".join(
                f"{scale.x(t):.1f},{ROW_H - 2 - (ROW_H - 4) * (min(max(db, -60.0), 0.0) + 60) / 60:.1f}"
                for t, db in speech.volume_series
            )
            rows.append(
                (
                    "Volume (dB)",
                    [
                        f'<polyline points="{points}" fill="none" stroke="{OKABE_ITO["green"]}" '
                        f'stroke-width="1.5"><title>loudness, dBFS (-60 to 0)</title></polyline>'
                    ],
                )
            )

    if face.available and face.frames:
        step = 1.0 / face.fps if face.fps else 0.1
        contact, smile_pts, expression = [], [], []
        for frame in face.frames:
            x0, x1 = scale.x(frame.t), scale.x(frame.t + step)
            if not frame.face_found:
                contact.append(
                    _rect(x0, x1, 6, ROW_H - 12, "#E0E0E0", f"no face at {_fmt(frame.t)}", frame.t)
                )
                continue
            if frame.eye_contact is not None:
                colour = OKABE_ITO["sky"] if frame.eye_contact else OKABE_ITO["orange"]
                label = "eye contact" if frame.eye_contact else "looking away"
                height = ROW_H - 12 if frame.eye_contact else ROW_H - 20
                contact.append(_rect(x0, x1, 6, height, colour, f"{label} at {_fmt(frame.t)}", frame.t))
            if frame.smile is not None:
                smile_pts.append(f"{scale.x(frame.t):.1f},{ROW_H - 2 - (ROW_H - 4) * frame.smile:.1f}")
            if frame.expression:
                label = max(frame.expression, key=frame.expression.get)
                expression.append(
                    _rect(
                        x0,
                        x1,
                        6,
                        ROW_H - 12,
                        EXPRESSION_COLOURS.get(label, "#999"),
                        f"{label} {frame.expression[label]:.0%} at {_fmt(frame.t)}",
                        frame.t,
                    )
                )
        rows.append(("Eye contact", contact))
        smile_marks = [
            _rect(
                scale.x(e.start), scale.x(e.end), 2, ROW_H - 4, "#FCE8B2", f"smile {_fmt(e.start)}", e.start
            )
            for e in face.events
            if e.kind == "smile"
        ]
        if smile_pts:
            smile_marks.append(
                f'<polyline points="{" ".join(smile_pts)}" fill="none" '
                f'stroke="{OKABE_ITO["vermillion"]}" stroke-width="1.5">'
                "<title>smile level 0–1</title></polyline>"
            )
        rows.append(("Smile", smile_marks))
        rows.append(("Expression", expression))
        blinks = [
            f'<line class="seek" data-t="{e.start:.2f}" x1="{scale.x(e.start):.1f}" y1="6" '
            f'x2="{scale.x(e.start):.1f}" y2="{ROW_H - 6}" stroke="#000" stroke-width="2">'
            f"<title>blink at {_fmt(e.start)}</title></line>"
            for e in face.events
            if e.kind == "blink"
        ]
        rows.append(("Blinks", blinks))

    height = len(rows) * (ROW_H + ROW_GAP) + 30
    parts = [
        f'<svg class="timeline" viewBox="0 0 {LABEL_W + PLOT_W + 10} {height}" role="img" '
        f'aria-labelledby="tl-title tl-desc" xmlns="http://www.w3.org/2000/svg">',
        '<title id="tl-title">Timeline of the answer</title>',
        f'<desc id="tl-desc">{escape(_timeline_description(report))}</desc>',
    ]
    for i, (name, marks) in enumerate(rows):
        y = i * (ROW_H + ROW_GAP)
        parts.append(f'<g class="track" data-track="{escape(name)}" transform="translate(0,{y})">')
        parts.append(f'<rect x="{LABEL_W}" y="0" width="{PLOT_W}" height="{ROW_H}" fill="#F7F7F7"/>')
        parts.append(
            f'<text x="{LABEL_W - 8}" y="{ROW_H / 2 + 4}" text-anchor="end" '
            f'class="track-label">{escape(name)}</text>'
        )
        parts.extend(marks)
        parts.append("</g>")
    axis_y = len(rows) * (ROW_H + ROW_GAP) + 4
    step = _tick_step(duration)
    tick = 0.0
    while tick <= duration + 1e-6:
        x = scale.x(tick)
        parts.append(f'<line x1="{x:.1f}" y1="{axis_y - 4}" x2="{x:.1f}" y2="{axis_y + 2}" stroke="#555"/>')
        parts.append(
            f'<text x="{x:.1f}" y="{axis_y + 16}" text-anchor="middle" class="tick">{_fmt(tick)}</text>'
        )
        tick += step
    parts.append(
        f'<line id="playhead" x1="{LABEL_W}" y1="0" x2="{LABEL_W}" y2="{axis_y}" '
        'stroke="#000" stroke-width="1" stroke-dasharray="3,2" visibility="hidden"/>'
    )
    parts.append("</svg>")
    return "".join(parts)


def _timeline_description(report: AnswerReport) -> str:
    s = report.summary
    bits = [f"{report.input.duration_s:.1f} s answer"]
    if s.words_per_minute is not None:
        bits.append(f"{s.words_per_minute:.0f} words per minute")
    bits.append(f"{s.filler_count} fillers, {s.pause_count} pauses")
    if s.eye_contact_ratio is not None:
        bits.append(f"eye contact {s.eye_contact_ratio:.0%}")
    if s.smile_ratio is not None:
        bits.append(f"smiling {s.smile_ratio:.0%} of the time")
    return "; ".join(bits) + "."


def expression_bars_svg(distribution: dict[str, float]) -> str:
    """Horizontal bars of the mean expression probabilities."""
    width, bar_h, gap, label_w = 360, 16, 6, 70
    rows = [name for name in EXPRESSIONS if name in distribution]
    height = len(rows) * (bar_h + gap)
    desc = ", ".join(f"{n} {distribution[n]:.0%}" for n in rows)
    parts = [
        f'<svg class="bars" viewBox="0 0 {width} {height}" role="img" aria-label="Expression '
        f'distribution: {escape(desc)}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, name in enumerate(rows):
        y = i * (bar_h + gap)
        w = (width - label_w - 50) * distribution[name]
        parts.append(f'<text x="{label_w - 6}" y="{y + 12}" text-anchor="end" class="tick">{name}</text>')
        parts.append(
            f'<rect x="{label_w}" y="{y}" width="{max(w, 1):.1f}" height="{bar_h}" '
            f'fill="{EXPRESSION_COLOURS[name]}"><title>{name} {distribution[name]:.0%}</title></rect>'
        )
        parts.append(
            f'<text x="{label_w + w + 4:.1f}" y="{y + 12}" class="tick">{distribution[name]:.0%}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
