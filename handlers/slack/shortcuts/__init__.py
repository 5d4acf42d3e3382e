"""Bolt listeners for Slack shortcuts."""
