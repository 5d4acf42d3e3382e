"""Bolt listeners for block actions."""
