"""Swedish names of case categories, statuses and history steps, and the statistics' headings (labels.toml)."""

from messages.labels import labels

CATEGORY_LABELS = labels("case.categories")
STATUS_LABELS = labels("case.statuses")
EVENT_LABELS = labels("case.events")
STATISTICS_HEADING = labels("case.headings")["statistics"]
DIGEST_HEADING = labels("case.headings")["digest"]
