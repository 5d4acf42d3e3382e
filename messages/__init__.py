"""Everything a user reads: Swedish Jinja2 templates, mrkdwn escaping, Block Kit builders, splitting."""
