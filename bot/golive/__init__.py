"""Going live: the Slack scopes the code needs, the starter configuration (`init`) and the checks of `doctor`."""
