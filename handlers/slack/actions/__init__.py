"""Bolt listeners for Slack actions."""
