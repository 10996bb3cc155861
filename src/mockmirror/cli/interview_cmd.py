"""`mockmirror interview`: a full mock interview in the terminal with typed answers.

Answers are read from standard input line by line; an empty line ends an answer, so a session
can be scripted (``printf 'answer one\\n\\nanswer two\\n\\n' | mockmirror interview --text``). A line
``/skip`` skips the question, ``/quit`` (or the end of input) ends the interview with a summary.
"""

from __future__ import annotations

import json
import secrets
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, TextIO

import typer
from rich.console import Console
from rich.markup import escape

from mockmirror.core.types import MockmirrorError
from mockmirror.interview.bank import RoleFamily

SKIP_COMMANDS = frozenset({"/skip", "/pass"})
QUIT_COMMANDS = frozenset({"/quit", "/exit", "/stop"})


def read_answer(stream: TextIO) -> str | None:
    """Lines up to the first empty line, joined (None at the end of input). A block that is only
    '/skip' or '/quit' is returned as that command, in lower case; typed as the first line of an
    answer, a command acts at once (nobody expects to press Enter twice after '/skip'), and
    blank lines before an answer are passed over."""
    lines: list[str] = []
    while True:
        line = stream.readline()
        if line == "" and not lines:
            return None
        line = line.rstrip("\r\n")
        if not line.strip():
            if lines:
                break
            continue  # blank lines before an answer (an extra Enter) submit nothing
        if not lines and line.strip().lower() in SKIP_COMMANDS | QUIT_COMMANDS:
            return line.strip().lower()
        lines.append(line)
    block = "\n".join(lines)
    command = block.strip().lower()
    return command if command in SKIP_COMMANDS | QUIT_COMMANDS else block


def interview(
    text: Annotated[bool, typer.Option("--text", help="Type your answers (the mode available now).")] = False,
    role: Annotated[
        RoleFamily | None, typer.Option("--role", help="Role family (default: from --jd, else general).")
    ] = None,
    jd: Annotated[
        Path | None, typer.Option("--jd", help="A job description (text file) to aim the questions at.")
    ] = None,
    questions: Annotated[
        int | None, typer.Option("--questions", "-n", min=1, max=30, help="Core questions (default 5).")
    ] = None,
    difficulty: Annotated[
        int | None, typer.Option("--difficulty", min=1, max=3, help="1 (gentle) to 3 (demanding).")
    ] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Same seed, same interview.")] = None,
    exclude: Annotated[
        list[str] | None,
        typer.Option(
            "--exclude", help="Question ids seen recently, oldest first (repeat or comma-separate)."
        ),
    ] = None,
    llm: Annotated[
        str | None,
        typer.Option("--llm", help="Wording backend: none, openai or llama_cpp (default: settings)."),
    ] = None,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Write the transcript and summary here as JSON.")
    ] = None,
) -> None:
    """Run a mock interview in the terminal: questions, adaptive follow-ups, quick feedback, summary."""
    from mockmirror.interview.bank import load_bank
    from mockmirror.interview.factory import new_interview_session
    from mockmirror.interview.plan import PlanRequest, build_plan, request_from_profile
    from mockmirror.settings import Settings

    out = Console(highlight=False, soft_wrap=True)
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    if not text:
        raise MockmirrorError("only typed answers are supported for now: add --text")
    settings = Settings()
    if llm is not None:
        if llm not in ("none", "openai", "llama_cpp"):
            raise MockmirrorError(f"--llm must be none, openai or llama_cpp, not {llm!r}")
        # The command-line choice builds the settings; nothing changes them afterwards.
        settings = settings.model_copy(update={"llm": settings.llm.model_copy(update={"backend": llm})})
    config = settings.interview
    seed = seed if seed is not None else secrets.randbelow(1_000_000)
    recent = tuple(i.strip() for item in exclude or [] for i in item.split(",") if i.strip())
    bank = load_bank()
    unknown = [i for i in recent if i not in bank]
    if unknown:
        err.print(f"[yellow]note:[/] unknown question ids ignored: {', '.join(unknown)}")
    n_core = questions or config.core_questions

    if jd is not None:
        from mockmirror.interview.jd import JobDescriptionReader

        try:
            jd_text = jd.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            raise MockmirrorError(f"{jd}: cannot read the job description ({exc.strerror or exc})") from exc
        profile = JobDescriptionReader().read(jd_text)
        request = request_from_profile(
            profile,
            core_questions=n_core,
            difficulty=difficulty,
            seed=seed,
            recent_ids=recent,
            role=role,
            skill_share=config.skill_share,
        )
        skills = ", ".join(profile.skill_names[:8]) or "none recognised"
        out.print(
            f"[bold]Job:[/] {escape(profile.title or '(no title line)')} · "
            f"family {profile.role_family.value} · "
            f"{profile.seniority.value} ({escape(profile.seniority_evidence)}) · skills: {escape(skills)}"
        )
    else:
        request = PlanRequest(
            role=role or RoleFamily.ANY,
            core_questions=n_core,
            difficulty=difficulty or config.difficulty,
            seed=seed,
            recent_ids=recent,
        )
    plan = build_plan(bank, request)
    for note in plan.notes:
        err.print(f"[yellow]note:[/] {escape(note)}")

    built = new_interview_session(plan, settings, encoder=_encoder(settings, err), tools=None)
    if built.note:
        err.print(f"[yellow]LLM off:[/] {escape(built.note)}.")
    session = built.session
    phraser = session.phraser
    out.print(
        f"[bold]Mock interview[/] · {len(plan.questions)} questions · role {request.role.value} · "
        f"difficulty {request.difficulty} · seed {seed}"
    )
    interactive = sys.stdin.isatty()
    if interactive:
        out.print("[dim]End each answer with an empty line. /skip skips a question, /quit ends.[/]")

    turn = session.start()
    while True:
        if turn.feedback is not None:
            _print_feedback(out, turn.feedback)
        if turn.prompt is not None:
            _print_prompt(out, turn.prompt)
        if session.done:
            break
        reply = read_answer(sys.stdin)
        if not interactive and reply is not None:  # scripted: show what was answered
            shown = " ".join(reply.split())
            out.print(f"[dim]> {escape(shown[:100] + ('…' if len(shown) > 100 else ''))}[/]")
        if reply is None or reply in QUIT_COMMANDS:
            turn = session.stop()
        elif reply in SKIP_COMMANDS:
            turn = session.skip()
        else:
            turn = session.answer(reply)

    summary = session.summary
    assert summary is not None
    out.print()
    out.print("[bold]Summary[/]")
    out.print(escape(summary.text()))
    out.print(f"[dim]Question ids (pass to --exclude next time): {','.join(summary.question_ids)}[/]")
    if phraser.rejections:
        out.print(f"[dim]LLM wording rejected {len(phraser.rejections)} time(s); templates used instead.[/]")
    if json_out is not None:
        record = {
            "seed": seed,
            "role": request.role.value,
            "difficulty": request.difficulty,
            "llm_backend": phraser.name,
            "plan": [
                {"id": q.id, "stage": q.stage.value, "text": q.text, "skill": q.skill} for q in plan.questions
            ],
            "transcript": [
                {
                    "question_id": r.planned.id,
                    "exchanges": [
                        {"prompt": e.prompt, "answer": e.answer, "follow_up": e.follow_up}
                        for e in r.exchanges
                    ],
                }
                for r in session.records
            ],
            "summary": asdict(summary),
        }
        json_out.write_text(json.dumps(record, indent=2, default=str) + "\n", encoding="utf-8")
        out.print(f"JSON: {json_out}")


def _encoder(settings, err: Console):
    """The sentence encoder for the off-topic gate, or None (with a note) when not installed."""
    from mockmirror.language.embedding import SHIPPED_MODEL, SentenceEncoder
    from mockmirror.models import ModelStore

    store = ModelStore(settings.model_dir)
    name = settings.content.embedding_model
    if name == SHIPPED_MODEL and not store.is_ready(SHIPPED_MODEL):
        err.print(
            "[yellow]note:[/] sentence encoder not installed (mockmirror models install): no off-topic check."
        )
        return None
    return SentenceEncoder(name, store)


def _print_prompt(out: Console, prompt) -> None:
    if prompt.kind == "goodbye":
        out.print(f"\n[bold]Interviewer:[/] {escape(prompt.text)}")
        return
    label = {"question": f"Q{prompt.number}/{prompt.total}", "closing": "Closing", "follow_up": "Follow-up"}
    out.print(f"\n[bold]{label[prompt.kind]}[/] {escape(prompt.text)}")


def _print_feedback(out: Console, feedback) -> None:
    if feedback.stage.value == "warm_up" and not feedback.follow_ups and feedback.answered:
        return  # the warm-up is for settling in
    out.print(f"[cyan]  ↳ {escape(feedback.text)}[/]")
    if feedback.answered and (feedback.star_missing or feedback.follow_ups):
        points = "; ".join(feedback.strong_answer_points)
        out.print(f"[dim]    A strong answer: {escape(points)}.[/]")
