"""The outbox on Teams: the shared association moved to Teams, installed in the fake Bot Connector's tenant."""

from sqlalchemy import Engine
from sqlmodel import select

from bot.config import parse_config
from bot.config.model import AssociationConfig
from bot.delivery import keys
from bot.delivery.outbox_rows import message_rows
from bot.delivery.platform import Senders
from bot.delivery.sender import Sender
from bot.demo.fake_teams import FakeBotConnector, personal_conversation_id
from bot.demo.fake_teams_tenant import install_for, object_id_for_email
from bot.people import Recipient, person_recipient
from bot.tick import TickReport, run_tick
from messages.message import File, Message
from storage import outbox
from storage.engine import session_scope
from storage.outbox import Delivery
from tests.conftest import local
from tests.outbox_support import outbox_config

TOKEN = "test-bot-framework-token"
NOW = local(2027, 2, 1, 9, 0)
CHEF = "11111111-1111-4111-8111-111111111111"
KVAL = "22222222-2222-4222-8222-222222222222"
KOMM_EMAIL = "kommunikator@vmkf.example"
KOMM = object_id_for_email(KOMM_EMAIL)
DIREKTION = "19:direktion@thread.tacv2"
ARBOGA = "19:arboga@thread.tacv2"
IT = "19:it@thread.tacv2"
CHEF_CHAT = personal_conversation_id(CHEF)
KOMM_CHAT = personal_conversation_id(KOMM)
KVAL_CHAT = personal_conversation_id(KVAL)
DM_PLAN = """\
  - id: paminnelse
    title: Påminnelse till kvalitetschefen
    purpose: Kvalitetschefen påminns varje måndag.
    audience: {people: [kval]}
    delivery: dm
    schedule: {rrule: "FREQ=WEEKLY;BYDAY=MO", start: 2027-01-04, time: "09:00"}
    owner: chef
    message: Glöm inte veckans sammanställning.
"""


def teams_config_text(**kwargs: str) -> str:
    """The shared association file (tests/outbox_support.py) with everyone and every channel on Teams."""
    text = outbox_config(**kwargs)
    for old, new in (
        (
            "association: {id: test, name: Testförbundet, short_name: TF}",
            "association: {id: test, name: Testförbundet, short_name: TF}\nplatforms: [teams]",
        ),
        ("slack_id: U0VMKF0001", f"teams_id: {CHEF}"),
        ("slack_id: U0VMKF0002", f"teams_id: {KVAL}"),
        ("email: kommunikator@vmkf.example}", "email: kommunikator@vmkf.example, platform: teams}"),
        ("channel: C0DIREKTIO", f'channel: "teams:{DIREKTION}"'),
        ("channel: C0ARBOGA01", f'channel: "teams:{ARBOGA}"'),
        ("channel: C0VMKFIT01", f'channel: "teams:{IT}"'),
    ):
        assert old in text
        text = text.replace(old, new)
    return text


def teams_config(**kwargs: str) -> AssociationConfig:
    return parse_config(teams_config_text(**kwargs))


INSTALLED_AT = local(2027, 1, 4, 8, 0)


def install(engine: Engine, fake: FakeBotConnector, config: AssociationConfig, skip: tuple[str, ...] = ()) -> None:
    """The app installed for everyone (but `skip`) and in every channel the association names, before the tests'
    Monday."""
    install_for(engine, fake, config, INSTALLED_AT, skip)


def tick(engine: Engine, senders: Senders, config: AssociationConfig, now=NOW) -> TickReport:
    return run_tick(engine, senders, config, now)


def rows(engine: Engine, source: str = "plan") -> list[Delivery]:
    with session_scope(engine) as session:
        return list(session.exec(select(Delivery).where(Delivery.source == source).order_by(Delivery.id)))


def texts(activities: list[dict]) -> list[str]:
    """Every text an activity shows: its text, and each Adaptive Card's TextBlocks, joined."""
    return ["\n".join(_texts(activity)) for activity in activities]


def _texts(node: object) -> list[str]:
    if isinstance(node, dict):
        found = [node["text"]] if isinstance(node.get("text"), str) else []
        return found + [text for key, value in node.items() if key != "text" for text in _texts(value)]
    if isinstance(node, list):
        return [text for item in node for text in _texts(item)]
    return []


FILES = (
    File("svar.csv", "Alla svar (CSV)", "fråga;svar\n1;ja\n".encode()),
    File("svar.xlsx", "Alla svar (Excel)", b"PK\x03\x04xlsx"),
)


def queue_files(engine: Engine, recipient: Recipient) -> int:
    """A follow-up summary with its CSV and Excel queued for `recipient`, owned by Kommunikatören; its row id."""
    parts = message_rows(
        key=keys.followup_summary("t1-2027", to_board=False),
        recipient=recipient,
        message=Message(heading="Sammanställning", text="Svaren finns i filerna.", files=FILES),
        due_at=NOW,
        now=NOW,
        owner="komm",
    )
    with session_scope(engine) as session:
        outbox.enqueue(session, parts)
        return outbox.row_id(session, parts[0])


def files_sent_to_kval(engine: Engine, senders: Senders, config: AssociationConfig) -> int:
    """The summary with its files sent to Kvalitetschefen (the message, then a consent card per file); its row id."""
    row_id = queue_files(engine, person_recipient(config.person("kval")))
    Sender(engine, senders, config).send_rows([row_id], NOW)
    return row_id
