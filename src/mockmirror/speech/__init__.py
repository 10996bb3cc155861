"""Speech: words with timestamps, voice activity, pauses, pace, fillers and loudness.

Entry points: ``analyzer.SpeechAnalyzer`` (one answer → ``track.SpeechTrack``) and
``asr.Transcriber`` (audio → ``track.Transcript``; ``asr.transcript_to_dict`` for JSON).
Nothing is imported here so that importing the hand-off types stays cheap.
"""
