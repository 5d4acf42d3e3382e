"""What users type to the bot's commands, whichever chat platform they type it in (labels.toml)."""

from messages.labels import label_list

HELP_WORDS = frozenset(label_list("commands.help_words"))  # what a user may type for a command's help
