"""Act 2: a board meeting, from its preparation reminders through the secretary's decisions and the digests to the
acknowledgements, the reminder, the director's escalation and `/direktion kvittenser`."""

from datetime import UTC, datetime, timedelta

from bot.acknowledgements.reminders import working_days_after
from bot.board.deadlines import reminder_times
from bot.board.meetings import board_of, find_meeting
from bot.board.secretary import request_time
from bot.config.model import AssociationConfig
from bot.demo.payloads import Answers
from bot.demo.stage import Stage
from bot.demo.transcript import Act
from messages.board_form import FORM_KIND
from messages.swedish import date_long

MEETING_ID = "direktion-2027-04"  # Thursday 22 April 2027
SECRETARY, OWNER = "sekreterare", "it-chef"
ACKNOWLEDGING, FROM_REMINDER = "koping", "arboga"  # one acknowledges at once, the other once reminded
BUDGET: Answers = {
    "title": "Budgetramar 2028",
    "summary": "Direktionen fastställde budgetramarna för 2028. Medlemsavgifterna höjs med 2,1 procent.",
    "concerns": ["all"],
    "visibility": "public",
    "owner": None,
    "due": None,
    "case_number": "VMKF 2027/31",
}
ARCHIVE: Answers = {
    "title": "Gemensamt e-arkiv",
    "summary": "E-arkivet upphandlas gemensamt för de kommuner som tar tjänsten. IT-avdelningen leder arbetet.",
    "concerns": ["member:koping", "member:kungsor", "member:surahammar", "department:it"],
    "visibility": "internal",
    "owner": OWNER,
    "due": "2027-09-30",
    "case_number": "VMKF 2027/34",
}
# the secretary's first try: nobody chosen that the decision concerns, and a date in words
WRONG: Answers = {"concerns": [], "due": "sista september"}
WRONG_LABEL = 'skickar formuläret utan att välja vilka beslutet gäller och med datumet "sista september"'


def first_reminder(config: AssociationConfig) -> datetime:
    """When the act begins: the meeting's first preparation reminder (the end of time without one)."""
    meeting = find_meeting(config, MEETING_ID)
    times = reminder_times(config, meeting) if meeting is not None else {}
    return min(times.values(), default=datetime.max.replace(tzinfo=UTC))


def play(stage: Stage) -> Act:
    config = stage.config
    board = board_of(config)
    meeting = find_meeting(config, MEETING_ID)
    assert meeting is not None and board.leadership_group is not None
    director = config.roles["director"]
    leadership = config.forum(board.leadership_group)
    chair = config.chair_on(meeting.date)
    stage.start(
        f"Akt 2 – Direktionens möte {date_long(meeting.date)}",
        [
            f"Före mötet påminns förbundschefen och avdelningscheferna om ärendena, {chair.name if chair else ''} "
            "(ordförandekommun) och presidiet om beredningen, och kallelsen går till direktionens kanal. Dagen "
            f"efter registrerar {stage.person(SECRETARY).name.lower()} besluten (först med fel) och skickar "
            "sammanfattningarna: varje medlemskommun får det som gäller den, ledningsgruppen alla beslut med "
            "ansvariga, personalen de interna och offentliga, allmänheten de offentliga. "
            f"{config.member(ACKNOWLEDGING).name} kvitterar direkt, {config.member(FROM_REMINDER).name} efter en "
            "påminnelse, de andra inte alls: förbundschefen får veta vilka som saknas.",
        ],
        hide_plan=True,
        show_preparation=True,
    )
    stage.at(first_reminder(config) - timedelta(days=1, hours=1))
    stage.let_in(director, leadership.channel or "")  # act 1 showed the app kept out of the leadership group's
    stage.advance_to(request_time(config, meeting))  # the reminders at their times, then the secretary's request

    secretary_dm = stage.dm(SECRETARY)
    stage.at(request_time(config, meeting) + timedelta(minutes=30))
    form = stage.press_for_form(SECRETARY, secretary_dm, "board_decision_new", FORM_KIND)
    fields = ", ".join(stage.field_labels(form))
    stage.action(SECRETARY, f"klickar på [Registrera beslut] i {stage.own_chat}", f"Formuläret öppnas: {fields}")
    wrong = stage.submit(SECRETARY, form, {**BUDGET, **WRONG}, "VDEMOB1")
    lines = [f"• {error.label}: {error.text}" for error in wrong.errors]
    stage.action(SECRETARY, WRONG_LABEL, f"{stage.platform_name} visar felen vid fälten:\n" + "\n".join(lines))
    stage.action(SECRETARY, "skickar formuläret", stage.submit(SECRETARY, form, BUDGET, "VDEMOB2").text)
    form = stage.press_for_form(SECRETARY, secretary_dm, "board_decision_new", FORM_KIND)
    stage.action(SECRETARY, "klickar på [Registrera beslut] igen och fyller i nästa beslut", "")
    stage.action(SECRETARY, "skickar formuläret", stage.submit(SECRETARY, form, ARCHIVE, "VDEMOB3").text)

    stage.at(stage.clock.now() + timedelta(minutes=15))
    stage.command(SECRETARY, "/direktion", "protokoll")
    stage.click_in_answer(SECRETARY, "board_digests_release", "Skicka sammanfattningarna")
    released_at = stage.clock.now()

    stage.at(released_at + timedelta(days=3))  # Monday morning
    acknowledging = config.member(ACKNOWLEDGING)
    _acknowledge(stage, acknowledging.acknowledger, acknowledging.channel or "", f"kanalen för {acknowledging.name}")

    remind_at = working_days_after(config, released_at, board.follow_up.remind_working_days)
    stage.advance_to(remind_at)
    reminded = config.member(FROM_REMINDER)
    stage.at(remind_at + timedelta(hours=2))
    _acknowledge(stage, reminded.acknowledger, stage.dm(reminded.acknowledger), f"påminnelsen i {stage.own_chat}")

    escalate_at = working_days_after(config, released_at, board.follow_up.escalate_working_days)
    stage.advance_to(escalate_at)
    stage.at(escalate_at + timedelta(minutes=30))
    stage.command(director, "/direktion", "kvittenser")
    return stage.act


def _acknowledge(stage: Stage, person_id: str, place: str, where: str) -> None:
    """[Kvitterat] clicked in `place`; waits for the digest (and the reminder) to show it."""
    updates = stage.update_count()
    stage.action(person_id, f"klickar på [Kvitterat] i {where}", "")
    stage.click(person_id, place, "acknowledge")
    stage.wait(lambda: stage.update_count() > updates)
