// @ts-check
// JSDoc types of the API payloads the page reads (the server's pydantic models in web/schemas.py,
// web/routes/config.py and the session report of web/routes/reports.py). Types only: nothing runs.

/**
 * GET /api/config: the server's settings the page needs (it copies none of them).
 * @typedef {object} UiConfig
 * @property {string[]} roles
 * @property {boolean} emotion_inference_allowed
 * @property {number} max_upload_mb
 * @property {[number, number]} pace_band_wpm
 * @property {number} poll_interval_s
 * @property {number} report_poll_interval_s
 * @property {{answer_end_quiet_s: number, answer_min_speech_s: number, nudge_show_s: number, cue_min_interval_s: number}} live
 * @property {{cue_show_s: number, event_min_s: number}} replay
 */

/**
 * @typedef {object} Consent
 * @property {boolean} camera
 * @property {boolean} microphone
 * @property {boolean} keep_recording
 * @property {boolean} [emotion_inference]
 */

/**
 * The interview's settings chosen on the home page (POST /api/sessions, with the consent).
 * @typedef {object} Draft
 * @property {string} role
 * @property {string} job_description
 * @property {number} core_questions
 * @property {number} difficulty
 * @property {number} max_follow_ups
 * @property {boolean} warm_up
 * @property {boolean} closing
 */

/**
 * @typedef {object} Prompt
 * @property {string} kind  "question", "follow_up", "goodbye", …
 * @property {string} text
 * @property {number} number
 * @property {number} total
 */

/**
 * @typedef {object} Cue  a live nudge as stored with the answer
 * @property {number} t
 * @property {string} kind
 * @property {string} message
 */

/**
 * @typedef {object} Measures
 * @property {number | null} [words_per_minute]
 * @property {number | null} [filler_count]
 * @property {number | null} [eye_contact_ratio]
 * @property {number | null} [longest_pause_s]
 */

/**
 * The interviewer's feedback on one answer (interview/feedback.py).
 * @typedef {object} InterviewFeedback
 * @property {string} [headline]
 * @property {boolean} [answered]
 * @property {boolean} [final]
 * @property {string[]} [notes]
 * @property {string[]} [strong_answer_points]
 */

/**
 * @typedef {object} Answer  GET /api/answers/{id}
 * @property {string} id
 * @property {string} session_id
 * @property {string} question
 * @property {"recording" | "queued" | "analysing" | "done" | "failed"} status
 * @property {string} stage
 * @property {number} progress
 * @property {string | null} error
 * @property {number | null} duration_s
 * @property {string} transcript
 * @property {Measures | null} measures
 * @property {Cue[]} cues
 * @property {{feedback?: InterviewFeedback | null, next_prompt?: Prompt | null} | null} dialogue_feedback
 * @property {string | null} report_html_url
 * @property {string | null} recording_url
 */

/**
 * @typedef {object} Session  GET /api/sessions/{id}
 * @property {string} id
 * @property {string} created_at
 * @property {string} kind
 * @property {string} role
 * @property {string} job_title
 * @property {string} state
 * @property {Prompt | null} prompt
 * @property {Consent} consent
 * @property {boolean} calibrated
 * @property {Answer[]} answers
 */

/**
 * @typedef {object} TimedEvent  one of the report's events (core/types.py Event)
 * @property {string} kind
 * @property {number} start
 * @property {number} end
 * @property {number | null} [value]
 * @property {string} [label]
 */

/** @typedef {{text: string, start: number, end: number}} Word */

/**
 * @typedef {object} FeedbackPoint  (fusion/feedback.py)
 * @property {string} message
 * @property {string} [headline]
 * @property {string} [phrased]
 * @property {string} [tip]
 * @property {{start: number, end: number, label: string}[]} [evidence]
 */

/** @typedef {{strengths: FeedbackPoint[], improvements: FeedbackPoint[], notes?: string[]}} Feedback */

/**
 * @typedef {Answer & {
 *   feedback: Feedback | null, events: TimedEvent[], words: Word[], content_score: number | null,
 *   overall_score: number | null, verdict: string | null, verdict_headline: string | null, counts: boolean
 * }} ReportAnswer
 */

/**
 * @typedef {object} SessionReport  GET /api/sessions/{id}/report
 * @property {Session} session
 * @property {ReportAnswer[]} answers
 * @property {{answers: number, counted: number, overall_score: number | null, content_score: number | null}} figures
 * @property {{words_per_minute: number | null, filler_rate_per_min: number | null, eye_contact_ratio: number | null, response_latency_s: number | null}} averages
 * @property {string | null} session_report_html_url
 */

/**
 * @typedef {object} DashboardPoint
 * @property {string} session_id
 * @property {string} date
 * @property {number | null} words_per_minute
 * @property {number | null} filler_rate_per_min
 * @property {number | null} eye_contact_ratio
 * @property {number | null} content_score
 */

/** @typedef {{name: string, answers: number, mean_content_score: number}} Competency */

/**
 * @typedef {object} Dashboard  GET /api/dashboard
 * @property {DashboardPoint[]} sessions
 * @property {Competency[]} best_competencies
 * @property {Competency[]} worst_competencies
 * @property {string} next_practice
 */

/**
 * A message from the live socket (docs/web.md, "WebSocket protocol"); "closed" is the page's own.
 * @typedef {object} LiveMessage
 * @property {"ready" | "cue" | "ended" | "calibrated" | "frame" | "closed" | "error"} type
 * @property {string} [message]
 * @property {string} [answer_id]
 * @property {string} [job_id]
 */

export {};
