"""Turn face, speech and content measures into evidence-linked feedback."""

from mockmirror.fusion.feedback import Evidence, Feedback, FeedbackPoint, build_feedback

__all__ = ["Evidence", "Feedback", "FeedbackPoint", "build_feedback"]
