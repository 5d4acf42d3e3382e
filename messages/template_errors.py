"""Why a plan message could not be filled in, in Swedish, for the item's owner.

One table of Jinja's and Python's errors, as the outbox stores them ('template: …' or the bare message), in the
way messages.deliveries explains Slack's error codes: the owner reads what is wrong in a sentence they can act on;
the raw English error stays in the bot's log for the operator. An error we do not recognise gets a general sentence.
"""

import re
from collections.abc import Sequence

from messages.labels import labels
from messages.mrkdwn import Mrkdwn
from messages.render import render

_SENTENCES = labels("plan.template_errors")
_GENERAL = Mrkdwn(_SENTENCES["general"])

# (pattern in the error's text, the sentence): the first that matches explains it.
_CAUSES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"division by zero|modulo by zero"), _SENTENCES["division_by_zero"]),
    (re.compile(r"range too big", re.I), _SENTENCES["range_too_big"]),
    (re.compile(r"is unsafe"), _SENTENCES["unsafe"]),
    (re.compile(r"unsupported operand|can only concatenate|not supported between"), _SENTENCES["mixed_types"]),
    (re.compile(r"object is not (iterable|callable|subscriptable)"), _SENTENCES["wrong_use"]),
]
_NAMED = re.compile(r"^'([^']+)' is undefined$|has no attribute '([^']+)'")


def explain_template_error(stored: str | None, missing: Sequence[str] = ()) -> Mrkdwn:
    """The Swedish cause of a template error; `missing` names what the template uses that this occurrence lacks
    (event for an item that is not tied to a meeting, chair outside the rotation)."""
    error = (stored or "").strip().removeprefix("template:").strip()
    for pattern, sentence in _CAUSES:
        if pattern.search(error):
            return Mrkdwn(sentence)
    named = _NAMED.search(error)
    if named is None and "None" not in error:
        return _GENERAL
    names = list(missing) or [name for name in (named.groups() if named else ()) if name]
    return Mrkdwn(render("template_error_missing", names=names))
