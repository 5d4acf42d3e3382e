"""Rendering neutral messages and forms as Adaptive Cards for Microsoft Teams."""
