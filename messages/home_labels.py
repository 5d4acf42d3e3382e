"""The personal view's labels (labels.toml [home.*])."""

from messages.labels import labels

GROUP_TITLES = labels("home.titles")  # by kind of task
MORE_POINTERS = labels("home.pointers")  # where the tasks cut from the view are listed, by kind
