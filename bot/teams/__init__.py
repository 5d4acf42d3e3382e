"""The Microsoft Teams adapter: the only part of bot/ that talks to the Microsoft 365 Agents SDK."""
