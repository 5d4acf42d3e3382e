"""The communication plan: the working-day calendar, schedules, occurrences and audiences."""
