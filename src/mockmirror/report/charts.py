"""Inline SVG charts for the HTML report: no JavaScript library, no network, printable.

Colours are the Okabe–Ito palette (safe for the common colour-vision deficiencies); every track
also differs by shape or position, and each chart carries a text title/description.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

from mockmirror.core.clock import clock
from mockmirror.face.track import EXPRESSIONS
from mockmirror.report.document import AnswerReport
from mockmirror.settings import SpeechSettings

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
    return clock(t, tenths=abs(t - round(t)) > 1e-6)


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
        rows.append(("Speech", marks))
        fillers = []
        pauses = []
        for e in speech.events:
            if e.kind == "filler":
                x = scale.x(e.start)
                fillers.append(
                    f'<path class="seek" data-t="{e.start:.2f}" d="M{x:.1f},6 l7,14 h-14 z" '
                    f'fill="{OKABE_ITO["orange"]}" stroke="#000" stroke-width="0.5">'
                    f"<title>filler “{escape(e.label)}” at {_fmt(e.start)}</title></path>"
                )
            elif e.kind in ("pause", "long_pause"):
                long = e.kind == "long_pause"
                pauses.append(
                    _rect(
                        scale.x(e.start),
                        scale.x(e.end),
                        6 if long else 12,
                        ROW_H - 12 if long else 6,
                        OKABE_ITO["vermillion"] if long else OKABE_ITO["grey"],
                        f"{'long pause' if long else 'pause'} {e.duration:.1f} s at {_fmt(e.start)}",
                        e.start,
                    )
                )
        rows.append((f"Fillers ▲ {len(fillers)}", fillers))
        rows.append(("Pauses", pauses))
        rows.append(("Pace (WPM)", _pace_marks(report, scale)))
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
                        expression_colour(label),
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
        emotions = report.fusion is None or report.fusion.policy.expression_labels == "emotion"
        rows.append(("Expression" if emotions else "Face config.", expression))
        blinks = [
            f'<line class="seek" data-t="{e.start:.2f}" x1="{scale.x(e.start):.1f}" y1="6" '
            f'x2="{scale.x(e.start):.1f}" y2="{ROW_H - 6}" stroke="#000" stroke-width="2">'
            f"<title>blink at {_fmt(e.start)}</title></line>"
            for e in face.events
            if e.kind == "blink"
        ]
        rows.append(("Blinks", blinks))
        body_kinds = {"hand_over_face": ("hand over the face", OKABE_ITO["purple"], 6),
                      "gesture": ("hand gesture", OKABE_ITO["green"], 14),
                      "posture_shift": ("posture shift", OKABE_ITO["grey"], 14)}
        body_marks = [
            _rect(scale.x(e.start), scale.x(e.end), top, ROW_H - 2 * top, colour,
                  f"{words} {_fmt(e.start)}–{_fmt(e.end)}", e.start)
            for e in face.events if e.kind in body_kinds
            for words, colour, top in [body_kinds[e.kind]]
        ]
        if body_marks:
            rows.append(("Hands & body", body_marks))

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
    width, bar_h, gap, label_w = 440, 16, 6, 190
    rows = sorted(distribution, key=_expression_order)
    height = len(rows) * (bar_h + gap)
    desc = ", ".join(f"{n} {distribution[n]:.0%}" for n in rows)
    parts = [
        f'<svg class="bars" viewBox="0 0 {width} {height}" role="img" aria-label="Expression '
        f'distribution: {escape(desc)}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, name in enumerate(rows):
        y = i * (bar_h + gap)
        w = (width - label_w - 50) * distribution[name]
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 12}" text-anchor="end" class="tick">{escape(name)}</text>'
        )
        parts.append(
            f'<rect x="{label_w}" y="{y}" width="{max(w, 1):.1f}" height="{bar_h}" '
            f'fill="{expression_colour(name)}"><title>{name} {distribution[name]:.0%}</title></rect>'
        )
        parts.append(
            f'<text x="{label_w + w + 4:.1f}" y="{y + 12}" class="tick">{distribution[name]:.0%}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


# ---- pace track, expression names, radar, gaze heatmap, session bars ------------------------------


def _expression_order(name: str) -> int:
    from mockmirror.fusion.fuse import OBSERVABLE_EXPRESSIONS

    observable = list(OBSERVABLE_EXPRESSIONS.values())
    if name in EXPRESSIONS:
        return EXPRESSIONS.index(name)
    return observable.index(name) if name in observable else 99


def expression_colour(name: str) -> str:
    """The same colour for a class whether it is named as an emotion or as a facial configuration."""
    from mockmirror.fusion.fuse import OBSERVABLE_EXPRESSIONS

    if name in EXPRESSION_COLOURS:
        return EXPRESSION_COLOURS[name]
    back = {v: k for k, v in OBSERVABLE_EXPRESSIONS.items()}
    return EXPRESSION_COLOURS.get(back.get(name, ""), "#999999")


def pace_band(report: AnswerReport) -> tuple[float, float]:
    """The target pace band in WPM: the pace cue's ``reference_range`` (the settings' band when the
    report was made), else the default ``SpeechSettings.pace_band_wpm`` (reports before 1.5)."""
    if report.fusion is not None:
        pace = next((c for i in report.fusion.indicators for c in i.cues if c.name == "pace"), None)
        if pace is not None and pace.reference_range is not None:
            low, high = pace.reference_range
            return float(low), float(high)
    low, high = SpeechSettings.model_fields["pace_band_wpm"].default
    return float(low), float(high)


def _pace_marks(report: AnswerReport, scale: _Scale) -> list[str]:
    """One bar per timed phrase, its height the phrase's pace (0–250 WPM), the target band shaded."""
    from mockmirror.fusion.cues import phrases

    top = 250.0
    low, high = pace_band(report)

    def y(wpm: float) -> float:
        return ROW_H - 2 - (ROW_H - 4) * min(wpm, top) / top

    marks = [
        f'<rect x="{LABEL_W}" y="{y(high):.1f}" width="{PLOT_W}" height="{y(low) - y(high):.1f}" '
        f'fill="#DCEBF5"><title>target pace {low:.0f}–{high:.0f} WPM</title></rect>'
    ]
    for p in phrases(report.speech.transcript.words):
        colour = OKABE_ITO["blue"] if low <= p.wpm <= high else OKABE_ITO["orange"]
        x0, x1 = scale.x(p.start), scale.x(p.end)
        marks.append(
            f'<rect class="seek pace" data-t="{p.start:.2f}" x="{x0:.1f}" y="{y(p.wpm):.1f}" '
            f'width="{max(x1 - x0, 1):.1f}" height="{ROW_H - 2 - y(p.wpm):.1f}" fill="{colour}">'
            f"<title>{p.wpm:.0f} WPM, {_fmt(p.start)}–{_fmt(p.end)}</title></rect>"
        )
    return marks


def radar_svg(axes: list[tuple[str, float | None]], title: str = "Sub-scores") -> str:
    """A radar (spider) chart of 0–100 scores; axes without a score are drawn dashed, at 0."""
    if len(axes) < 3:
        return ""
    width, size, radius, cx, cy = 560, 420, 130, 280, 200
    n = len(axes)

    def point(i: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * i / n
        r = radius * value / 100
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    desc = "; ".join(f"{name} {'not measured' if v is None else f'{v:.0f}'}" for name, v in axes)
    parts = [
        f'<svg class="radar" viewBox="0 0 {width} {size - 10}" role="img" aria-label="{escape(title)}: '
        f'{escape(desc)}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for ring in (25, 50, 75, 100):
        ring_pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, ring) for i in range(n)))
        parts.append(f'<polygon points="{ring_pts}" fill="none" stroke="#D0D0D0" stroke-width="1"/>')
    for i, (name, value) in enumerate(axes):
        x, y = point(i, 100)
        dash = ' stroke-dasharray="3,3"' if value is None else ""
        parts.append(f'<line x1="{cx}" y1="{cy}" x2="{x:.1f}" y2="{y:.1f}" stroke="#BBB"{dash}/>')
        lx, ly = point(i, 118)
        anchor = "middle" if abs(lx - cx) < 10 else ("start" if lx > cx else "end")
        label = f"{name} {'–' if value is None else f'{value:.0f}'}"
        parts.append(
            f'<text x="{lx:.1f}" y="{ly + 4:.1f}" text-anchor="{anchor}" class="tick axis">'
            f"{escape(label)}</text>"
        )
    shape = " ".join(f"{x:.1f},{y:.1f}" for x, y in (point(i, v or 0.0) for i, (_, v) in enumerate(axes)))
    parts.append(
        f'<polygon class="radar-shape" points="{shape}" fill="{OKABE_ITO["sky"]}" fill-opacity="0.35" '
        f'stroke="{OKABE_ITO["blue"]}" stroke-width="2"/>'
    )
    for i, (name, value) in enumerate(axes):
        if value is not None:
            x, y = point(i, value)
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{OKABE_ITO["blue"]}">'
                f"<title>{escape(name)}: {value:.0f}</title></circle>"
            )
    parts.append("</svg>")
    return "".join(parts)


# Sequential, colour-blind-safe ramp (light yellow → dark blue, viridis-like ends).
HEAT_RAMP = ("#FFFFD9", "#C7E9B4", "#7FCDBB", "#41B6C4", "#1D91C0", "#225EA8", "#0C2C84")


def gaze_cells(
    report: AnswerReport, bin_deg: float = 5.0, limit_deg: float = 30.0
) -> list[tuple[float, float, float]]:
    """(yaw, pitch, seconds) dwell cells: the face package's heatmap when present, else from frames."""
    heat = getattr(report.face, "gaze_heatmap", None)
    if heat is not None and heat.cells:
        return [(float(a), float(b), float(c)) for a, b, c in heat.cells]
    step = 1.0 / report.face.fps if report.face.fps else 0.1
    cells: dict[tuple[float, float], float] = {}
    for f in report.face.frames:
        if f.gaze_yaw_deg is None or f.gaze_pitch_deg is None:
            continue
        yaw = max(-limit_deg, min(limit_deg, f.gaze_yaw_deg))
        pitch = max(-limit_deg, min(limit_deg, f.gaze_pitch_deg))
        key = (round(yaw / bin_deg) * bin_deg, round(pitch / bin_deg) * bin_deg)
        cells[key] = cells.get(key, 0.0) + step
    return [(a, b, round(c, 2)) for (a, b), c in sorted(cells.items(), key=lambda kv: -kv[1])]


def gaze_heatmap_svg(report: AnswerReport) -> str:
    """Where the eyes pointed (degrees from the lens, as the camera sees it) and for how long."""
    cells = gaze_cells(report)
    if not cells:
        return ""
    heat = getattr(report.face, "gaze_heatmap", None)
    bin_deg = float(heat.bin_deg) if heat is not None and heat.cells else 5.0
    limit = max(20.0, max(max(abs(a), abs(b)) for a, b, _ in cells) + bin_deg / 2)
    size, pad = 300, 36
    scale = (size - 2 * pad) / (2 * limit)
    peak = max(c for _, _, c in cells)
    total = sum(c for _, _, c in cells)
    contact = sum(c for a, b, c in cells if math.hypot(a, b) <= 12.0)
    parts = [
        f'<svg class="heatmap" viewBox="0 0 {size} {size}" role="img" aria-label="Gaze heatmap: '
        f"{contact / total:.0%} of the measured time within 12 degrees of the camera; the longest dwell "
        f'{peak:.1f} s" xmlns="http://www.w3.org/2000/svg"><title>Gaze heatmap</title>',
        f'<rect x="{pad}" y="{pad}" width="{size - 2 * pad}" height="{size - 2 * pad}" fill="#FAFAFA" '
        'stroke="#CCC"/>',
    ]
    for yaw, pitch, seconds in cells:
        level = HEAT_RAMP[min(len(HEAT_RAMP) - 1, int((len(HEAT_RAMP) - 1) * seconds / peak + 0.5))]
        # Camera view: the person's left (+yaw) appears on the image's right.
        x = size / 2 + (yaw - bin_deg / 2) * scale
        y = size / 2 - (pitch + bin_deg / 2) * scale
        parts.append(
            f'<rect class="cell" x="{x:.1f}" y="{y:.1f}" width="{bin_deg * scale:.1f}" '
            f'height="{bin_deg * scale:.1f}" fill="{level}" stroke="#fff" stroke-width="0.5">'
            f"<title>yaw {yaw:+.0f}°, pitch {pitch:+.0f}°: {seconds:.1f} s</title></rect>"
        )
    r = 12.0 * scale
    parts.append(
        f'<circle cx="{size / 2}" cy="{size / 2}" r="{r:.1f}" fill="none" stroke="#000" '
        'stroke-dasharray="4,3"><title>eye-contact zone (12°)</title></circle>'
    )
    parts.append(
        f'<text x="{size / 2}" y="{pad - 10}" text-anchor="middle" class="tick">up</text>'
        f'<text x="{size / 2}" y="{size - pad + 22}" text-anchor="middle" class="tick">down</text>'
        f'<text x="{pad - 6}" y="{size / 2 + 4}" text-anchor="end" class="tick">◀</text>'
        f'<text x="{size - pad + 6}" y="{size / 2 + 4}" class="tick">▶</text>'
        f'<text x="{size / 2}" y="{size / 2 + 4}" text-anchor="middle" class="tick">camera</text>'
    )
    parts.append("</svg>")
    return "".join(parts)


def score_bars_svg(rows: list[tuple[str, float | None]], title: str) -> str:
    """Horizontal 0–100 bars (session report: overall score per answer)."""
    width, bar_h, gap, label_w = 520, 18, 8, 150
    height = max(1, len(rows)) * (bar_h + gap)
    desc = ", ".join(f"{n} {'not scored' if v is None else f'{v:.0f}'}" for n, v in rows)
    parts = [
        f'<svg class="bars" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}: '
        f'{escape(desc)}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, (name, value) in enumerate(rows):
        y = i * (bar_h + gap)
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end" class="tick">{escape(name)}</text>'
        )
        w = (width - label_w - 50) * (value or 0) / 100
        parts.append(
            f'<rect x="{label_w}" y="{y}" width="{max(w, 1):.1f}" height="{bar_h}" '
            f'fill="{OKABE_ITO["blue"]}">'
            f"<title>{escape(name)}: {'not scored' if value is None else f'{value:.0f}'}</title></rect>"
        )
        label = "–" if value is None else f"{value:.0f}"
        parts.append(f'<text x="{label_w + w + 4:.1f}" y="{y + 13}" class="tick">{label}</text>')
    parts.append("</svg>")
    return "".join(parts)
