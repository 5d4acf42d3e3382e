"""A one-person association to put plan items in, and a DM plan item to that person (`chef`)."""


def one_person_association(*, settings: str = "", more: str = "") -> str:
    """The association file up to `plan:`: `chef` holds both required roles; `settings` and `more` are YAML lines
    (`more`, such as forums or events, goes just before the plan)."""
    return f"""
association: {{id: test, name: Testförbundet, short_name: TF}}
{settings}people: [{{id: chef, name: Chefen, slack_id: U0VMKF0001}}]
roles: {{director: chef, quality_manager: chef}}
members: []
departments: []
{more}plan:
"""


def dm_item(
    item_id: str,
    schedule: str,
    *,
    title: str,
    purpose: str = "Ett test.",
    message: str = "Hej",
    non_working_day: str | None = None,
) -> str:
    """A plan item sending `message` to `chef` as a DM on `schedule` (a YAML mapping)."""
    rule = f"    non_working_day: {non_working_day}\n" if non_working_day else ""
    return f"""\
  - id: {item_id}
    title: {title}
    purpose: {purpose}
    audience: {{people: [chef]}}
    delivery: dm
    schedule: {schedule}
    owner: chef
    message: {message}
{rule}"""
