"""Act 4: a complaint from report to answer, an anonymous report, the deadlines and the statistics."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.demo.payloads import Answers
from bot.demo.stage import Stage
from bot.demo.transcript import Act

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
        "Akt 4 – Synpunkter och klagomål",
        [
            f"{stage.person(REPORTER).name} lämnar ett klagomål {stage.via('/synpunkt', 'med')}, får kvitto med "
            "ärendenummer, och "
            f"IT-avdelningen tar och besvarar det från triagekanalen. {stage.person(ANONYMOUS_REPORTER).name} "
            "lämnar en anonym synpunkt till Löneavdelningen, som ingen tar i tid: påminnelse och eskalering.",
        ],
        hide_plan=True,
    )
    stage.advance_to(day)

    _report(stage, REPORTER, COMPLAINT, "VDEMO10", it_triage)
    stage.at(day + timedelta(minutes=20))
    before = len(stage.texts_in(stage.dm(ANONYMOUS_REPORTER)))
    _report(stage, ANONYMOUS_REPORTER, ANONYMOUS, "VDEMO11", loner_triage)
    receipts = len(stage.texts_in(stage.dm(ANONYMOUS_REPORTER))) - before
    stage.action(ANONYMOUS_REPORTER, "väntar på kvitto", f"Direktmeddelanden från boten om ärendet: {receipts}.")

    stage.at(day + timedelta(hours=3))
    updates = stage.update_count()
    stage.action(TAKER, "klickar på [Ta ärendet] i triagekanalen", "")
    stage.click(TAKER, it_triage, "case_take")
    stage.wait(lambda: stage.update_count() > updates)  # the triage message shows who took it
    stage.advance_to(datetime.combine(day.date() + timedelta(days=1), time(8, 30), tzinfo=zone))

    stage.at(datetime.combine(day.date() + timedelta(days=1), time(14, 0), tzinfo=zone))
    stage.action(ANSWERER, "klickar på [Svara] i triagekanalen", "")
    form = stage.press_for_form(ANSWERER, it_triage, "case_answer", "case_answer")
    stage.action(ANSWERER, "får svarsformuläret", stage.form_text(form))
    reporter_dm = stage.dm(REPORTER)
    submitted = stage.submit(ANSWERER, form, {"answer": ANSWER}, "VDEMO12")
    stage.action(ANSWERER, "skickar svaret", "\n\n".join(filter(None, [ANSWER, submitted.text])))
    stage.wait(lambda: any(ANSWER in text for text in stage.texts_in(reporter_dm)))

    stage.advance_to(datetime.combine(day.date() + timedelta(days=3), time(8, 30), tzinfo=zone))
    stage.at(datetime.combine(day.date() + timedelta(days=3), time(9, 0), tzinfo=zone))
    stage.command(config.roles["quality_manager"], "/synpunkt", "statistik")
    return stage.act


def _report(stage: Stage, person_id: str, answers: Answers, key: str, triage: str) -> None:
    """/synpunkt, then the form filled in and sent; waits for the triage post (and the receipt)."""
    posted = len(stage.texts_in(triage))
    form = stage.open_form(person_id, "/synpunkt", "case_report")
    stage.action(person_id, stage.typed("/synpunkt"), "Formuläret öppnas: " + ", ".join(stage.field_labels(form)))
    submitted = stage.submit(person_id, form, answers, key)
    stage.action(person_id, "skickar formuläret", submitted.text)
    stage.wait(lambda: len(stage.texts_in(triage)) > posted)
