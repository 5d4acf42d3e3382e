"""Slack renderers of the neutral message and form models: Block Kit and modals, within Slack's limits."""
