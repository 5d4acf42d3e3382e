"""Getting messages out: expanding due occurrences into the outbox and sending its rows through the sender of
each row's platform (bot/delivery/platform.py)."""
