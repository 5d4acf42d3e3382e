"""Act 3: a follow-up round, from the invitations through the form, reminders and escalation to the summary."""

from datetime import timedelta

from bot.demo.payloads import Answers
from bot.demo.stage import FormShown, Stage
from bot.demo.transcript import Act
from bot.followup.rounds import find_round, indicators_for, round_times
from messages.followup_form import FORM_CALLBACK, OPEN_FORM_ACTION

ROUND_ID = "t1-2027"
FIRST, SECOND, DELEGATING, SILENT = "it", "loner", "specialist", "ekonomi"  # departments of the example
Answer = tuple[str, str, str | None, str | None]  # status, value, comment, planned actions
# What each department that answers reports, indicator by indicator: departments differ, as they would.
ANSWERS: dict[str, dict[str, Answer]] = {
    FIRST: {
        "nki": (
            "at_risk",
            "66,5",
            "Färre nöjda med supporten under bytet av ärendesystem.",
            "Kundträffar i alla fyra kommuner i maj.",
        ),
        "it-svarstid": ("met", "88", "Stabilt efter nyrekryteringen.", None),
        "arenden-i-tid": ("partly_met", "87", "Toppar vid årsskiftet.", None),
        "budgetavvikelse": ("met", "120", "Vakanser under våren.", None),
        "sjukfranvaro": ("met", "4,2", None, None),
        "hme": ("met", "79", None, None),
        "utvecklingsinsats": ("met", "Nytt ärendesystem för IT-supporten", "Infört i alla fyra kommuner.", None),
    },
    SECOND: {
        "nki": ("met", "74", "Nöjdare efter de nya lönebeskeden.", None),
        "arenden-i-tid": ("met", "93", "Färre frågor om lönebesked än i fjol.", None),
        "lonefel": ("met", "1,4", None, None),
        "budgetavvikelse": ("partly_met", "-40", "Dyrare licenser för lönesystemet.", "Omförhandlas i höst."),
        "sjukfranvaro": ("at_risk", "5,8", "Två långa sjukskrivningar.", "Stöd från företagshälsovården."),
        "hme": ("met", "81", None, None),
        "utvecklingsinsats": ("met", "Självservice för lönebesked", "Införd i två av fyra kommuner.", None),
    },
}
DEFAULT_ANSWER: Answer = ("met", "80", None, None)
# the IT head's first try: words for a number, a percentage over 100, and no planned actions for an indicator at risk
WRONG: Answers = {"nki|value": "sjuttio", "it-svarstid|value": "130 %", "nki|actions": None}
WRONG_LABEL = 'skickar formuläret med NKI "sjuttio", svarstid "130 %" och NKI i risk men inga åtgärder'


def play(stage: Stage) -> Act:
    config = stage.config
    round_ = find_round(config, ROUND_ID)
    assert round_ is not None, f"the example configuration has no follow-up round {ROUND_ID}"
    times = round_times(config, round_)
    first, second, delegating, silent = (config.department(d) for d in (FIRST, SECOND, DELEGATING, SILENT))
    stage.start(
        f"Akt 3 – Uppföljning: {round_.name}",
        [
            f"Uppföljningen öppnar {times.opens_at:%Y-%m-%d %H:%M} med {stage.a_dm} och en formulärknapp till varje "
            f"avdelningschef; sista dag är {times.deadline}. {first.name} svarar från knappen (först med fel), "
            f"{second.name} {stage.via('/uppfoljning', 'från')}, chefen för {delegating.name} lämnar över till sin "
            f"ställföreträdare som sedan är tyst, och {silent.name} svarar inte alls: påminnelser, eskalering till "
            f"kvalitetschefen, och när uppföljningen stänger en sammanställning med {stage.summary_files}.",
        ],
        hide_plan=True,
    )
    stage.advance_to(times.opens_at)

    stage.at(times.opens_at + timedelta(hours=1))
    form = stage.press_for_form(first.head, stage.dm(first.head), OPEN_FORM_ACTION, FORM_CALLBACK)
    stage.action(first.head, f"klickar på [Öppna formuläret] i {stage.own_chat}", stage.describe_form(form))
    _submit(stage, first.head, form, {**_good(stage, FIRST), **WRONG}, "VDEMO1")
    _submit(stage, first.head, form, _good(stage, FIRST), "VDEMO2")

    stage.at(times.opens_at + timedelta(days=1, hours=2))
    form = stage.open_form(second.head, "/uppfoljning", FORM_CALLBACK)
    stage.action(second.head, stage.typed("/uppfoljning"), stage.describe_form(form))
    _submit(stage, second.head, form, _good(stage, SECOND), "VDEMO3")

    stage.at(times.opens_at + timedelta(days=2, hours=1))
    stage.command(delegating.head, "/uppfoljning", "delegera")
    stage.tick(stage.clock.now() + timedelta(minutes=1))  # the scheduler's next pass sends the hand-over DM

    for _, reminder_at in times.reminders:
        stage.advance_to(reminder_at)
    stage.advance_to(times.escalation_at)
    stage.at(times.escalation_at + timedelta(minutes=30))
    quality_manager = config.roles["quality_manager"]
    stage.command(quality_manager, "/uppfoljning", "status")
    stage.advance_to(times.closes_at)
    stage.accept_files(quality_manager)
    return stage.act


def _good(stage: Stage, department_id: str) -> Answers:
    """Plausible answers for every indicator of the department (status, value, comment, actions)."""
    answers: Answers = {}
    for _, indicator in indicators_for(stage.config, department_id):
        status, value, comment, actions = ANSWERS.get(department_id, {}).get(indicator.id, DEFAULT_ANSWER)
        answers[f"{indicator.id}|status"] = status
        answers[f"{indicator.id}|value"] = value
        answers[f"{indicator.id}|comment"] = comment
        answers[f"{indicator.id}|actions"] = actions
    return answers


def _submit(stage: Stage, person_id: str, form: FormShown, answers: Answers, key: str) -> None:
    submitted = stage.submit(person_id, form, answers, key)
    if submitted.errors:
        lines = [f"• {error.section}, {error.label}: {error.text}" for error in submitted.errors]
        stage.action(person_id, WRONG_LABEL, f"{stage.platform_name} visar felen vid fälten:\n" + "\n".join(lines))
    else:
        stage.action(person_id, "skickar formuläret", submitted.text)
