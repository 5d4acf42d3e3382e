"""Slack's rendering of the neutral message model: Block Kit, split at Slack's limits."""
