"""Follow-up rounds: goals and indicators reported by department heads, reminders, escalation, summaries."""
