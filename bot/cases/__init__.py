"""Feedback and complaints (synpunktshantering): registration, routing, handling, deadlines and statistics."""
