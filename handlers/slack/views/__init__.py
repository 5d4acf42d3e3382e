"""Bolt listeners for modal submissions."""
