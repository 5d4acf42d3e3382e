"""Slash command listeners."""
