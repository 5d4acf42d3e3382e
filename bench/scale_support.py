"""Shared by the load benchmarks: an association with many people and one DM plan item for all of them."""


def config_text(recipients: int, personal: bool = False) -> str:
    """An association with `recipients` people in one forum and one DM plan item due on 2027-02-01.

    A `personal` message names its recipient, so it is rendered once for each of them.
    """
    greeting = "Hej {{ recipient.label }}!" if personal else "Hej!"
    people = "\n".join(
        f"  - {{id: person-{n:05d}, name: Person {n}, slack_id: U{1_000_000 + n}}}" for n in range(recipients)
    )
    members = ", ".join(f"person-{n:05d}" for n in range(recipients))
    return f"""
association: {{id: bench, name: Benchmark Association, short_name: BENCH, timezone: Europe/Stockholm}}
settings: {{grace_period_hours: 24, default_time: "08:30"}}
people:
  - {{id: owner, name: Item Owner, slack_id: U0OWNER001}}
{people}
roles: {{director: owner, quality_manager: owner}}
members: []
departments: []
forums:
  - id: alla
    name: Alla
    kind: other
    members: [{members}]
plan:
  - id: utskick-alla
    title: Utskick till alla
    purpose: Ett meddelande till alla i forumet.
    audience: {{forums: [alla]}}
    delivery: dm
    schedule: {{rrule: "FREQ=DAILY;COUNT=1", start: 2027-02-01, time: "08:30"}}
    owner: owner
    message: |
      {greeting} Det här är ett utskick till alla i {{{{ association.name }}}}.
"""
