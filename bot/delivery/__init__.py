"""Getting messages out: expanding due occurrences into the outbox and sending outbox rows to Slack."""
