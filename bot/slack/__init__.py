"""The Slack adapter: the Bolt app and its HTTP serving, the Web API client, the sender, the directory of users,
the go-live doctor. The only part of bot/ that imports slack_sdk or slack_bolt."""
