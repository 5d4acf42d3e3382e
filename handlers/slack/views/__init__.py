"""Bolt listeners for Slack views."""
