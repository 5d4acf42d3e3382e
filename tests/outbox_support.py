"""The association the outbox and sender tests share: three people, a forum with a channel, a weekly letter."""

WEEKLY_LETTER = """\
  - id: veckobrev
    title: Veckobrev
    purpose: Veckans nyheter till direktionen.
    audience: {forums: [direktion]}
    delivery: channel
    schedule: {rrule: "FREQ=WEEKLY;BYDAY=MO", start: 2027-01-04, time: "09:00"}
    owner: komm
    message: Veckans nyheter finns på intranätet.
"""


def outbox_config(*, settings: str = "", more_people: str = "", more_plan: str = "") -> str:
    """The shared association file, with a `settings` line, more people and more plan items (YAML lines) added."""
    return f"""
association: {{id: test, name: Testförbundet, short_name: TF}}
{settings}people:
  - {{id: chef, name: Förbundschefen, slack_id: U0VMKF0001}}
  - {{id: kval, name: Kvalitetschefen, slack_id: U0VMKF0002}}
  - {{id: komm, name: Kommunikatören, email: kommunikator@vmkf.example}}
{more_people}roles: {{director: chef, quality_manager: kval}}
members: [{{id: arboga, name: Arboga kommun, chief: chef, channel: C0ARBOGA01}}]
departments: [{{id: it, name: IT-avdelningen, head: kval, channel: C0VMKFIT01}}]
forums: [{{id: direktion, name: Direktionen, kind: board, channel: C0DIREKTIO, members: [chef, kval]}}]
plan:
{WEEKLY_LETTER}{more_plan}"""
