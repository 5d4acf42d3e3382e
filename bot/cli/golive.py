"""`samverkan init` and `samverkan doctor`: a starter configuration, and the file checked against Slack."""
