"""The fake Slack workspace, signed Slack requests and `samverkan demo`: run the bot with no Slack account."""
