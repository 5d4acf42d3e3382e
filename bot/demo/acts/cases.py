"""Act 3: a complaint from report to answer, an anonymous report, the deadlines and the statistics."""

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.demo.payloads import Answers, button_click, view_submission
from bot.demo.stage import Stage
from bot.demo.transcript import Act, plain

DAY = (2027, 6, 1)  # a Tuesday after the follow-up round has closed
REPORTER, ANONYMOUS_REPORTER = "kommunchef-arboga", "kommunchef-surahammar"
TAKER, ANSWERER = "it-chef", "it-stf"
COMPLAINT: Answers = {
    "category": "klagomal",
    "subject": "service:it-drift",
    "member": "arboga",
    "description": "Skrivarna i stadshuset har inte fungerat sedan i torsdags. Felanmälan har inte fått något svar.",
    "contact": "Ring gärna 0589-870 00",
}
ANONYMOUS: Answers = {
    "category": "synpunkt",
    "subject": "department:loner",
    "member": "surahammar",
    "description": "Lönebeskedet är svårt att förstå när man har jobbat OB. Kan det förklaras bättre?",
    "anonymous": ["anonymous"],
}
ANSWER = "Vi har bytt två skrivare och lagat kön på servern. Hör av dig om det krånglar igen!"


def play(stage: Stage) -> Act:
    config = stage.config
    zone = ZoneInfo(config.association.timezone)
    day = datetime(*DAY, 10, 0, tzinfo=zone)
    it_triage, loner_triage = (config.cases.routing_for(d).triage_channel for d in ("it", "loner"))
    stage.start(
        "Akt 3 – Synpunkter och klagomål",
        [
            f"{stage.person(REPORTER).name} lämnar ett klagomål med /synpunkt, får kvitto med ärendenummer, och "
            f"IT-avdelningen tar och besvarar det från triagekanalen. {stage.person(ANONYMOUS_REPORTER).name} "
            "lämnar en anonym synpunkt till Löneavdelningen, som ingen tar i tid: påminnelse och eskalering.",
        ],
        hide_plan=True,
    )
    stage.advance_to(day)

    _report(stage, REPORTER, COMPLAINT, "VDEMO10", it_triage)
    stage.at(day + timedelta(minutes=20))
    before = len(stage.messages_in(stage.dm(ANONYMOUS_REPORTER)))
    _report(stage, ANONYMOUS_REPORTER, ANONYMOUS, "VDEMO11", loner_triage)
    receipts = len(stage.messages_in(stage.dm(ANONYMOUS_REPORTER))) - before
    stage.action(ANONYMOUS_REPORTER, "väntar på kvitto", f"Direktmeddelanden från boten om ärendet: {receipts}.")

    stage.at(day + timedelta(hours=3))
    updates = len(stage.fake.calls_to("chat.update"))
    _click(stage, TAKER, it_triage, "case_take", "klickar på [Ta ärendet] i triagekanalen")
    stage.wait(lambda: len(stage.fake.calls_to("chat.update")) > updates)  # the triage message shows who took it
    stage.advance_to(datetime.combine(day.date() + timedelta(days=1), time(8, 30), tzinfo=zone))

    stage.at(datetime.combine(day.date() + timedelta(days=1), time(14, 0), tzinfo=zone))
    before = stage.view_count()
    _click(stage, ANSWERER, it_triage, "case_answer", "klickar på [Svara] i triagekanalen")
    form = stage.wait_for_view(before, "case_answer")
    stage.action(ANSWERER, "får svarsformuläret", plain(form))
    reporter_dm = stage.dm(REPORTER)
    reply = stage.interaction(view_submission(stage.user_id(ANSWERER), form, {"answer": ANSWER}, "VDEMO12"))
    stage.action(ANSWERER, "skickar svaret", "\n\n".join(filter(None, [ANSWER, plain(reply.get("view") or {})])))
    stage.wait(lambda: any(ANSWER in m["text"] for m in stage.messages_in(reporter_dm)))

    stage.advance_to(datetime.combine(day.date() + timedelta(days=3), time(8, 30), tzinfo=zone))
    stage.at(datetime.combine(day.date() + timedelta(days=3), time(9, 0), tzinfo=zone))
    stage.command(config.roles["quality_manager"], "/synpunkt", "statistik")
    return stage.act


def _report(stage: Stage, person_id: str, answers: Answers, view_id: str, triage: str) -> None:
    """/synpunkt, then the form filled in and sent; waits for the triage post (and the receipt)."""
    before, posted = stage.view_count(), len(stage.messages_in(triage))
    stage.command(person_id, "/synpunkt")
    form = stage.wait_for_view(before, "case_report")
    fields = [b["label"]["text"] for b in form["blocks"] if b.get("type") == "input"]
    stage.action(person_id, "/synpunkt", "Formuläret öppnas: " + ", ".join(fields))
    reply = stage.interaction(view_submission(stage.user_id(person_id), form, answers, view_id))
    stage.action(person_id, "skickar formuläret", plain(reply.get("view") or {}) or str(reply))
    stage.wait(lambda: len(stage.messages_in(triage)) > posted)


def _click(stage: Stage, person_id: str, channel: str, action_id: str, what: str) -> None:
    """`person_id` clicks a button on the latest message in `channel`."""
    message: dict[str, Any] = stage.messages_in(channel)[-1]
    stage.action(person_id, what, "")
    stage.interaction(button_click(stage.user_id(person_id), message, action_id, stage.fake.response_url))
