"""Prompt evaluation: scoring records against gold, gates, candidate recall, the review page."""
