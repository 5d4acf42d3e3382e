"""The follow-up service: validation, revisions, duplicates, who may do what, status, delegation, history."""

import json
from datetime import date

import pytest
from sqlalchemy import event, select

from bot.config.followup_model import Indicator
from bot.errors import NotAllowed
from bot.followup import answers as answering
from bot.followup import service
from bot.followup.notices import summary_rows
from bot.followup.rounds import indicators_for
from bot.followup.schedule import enqueue_due_followup
from bot.followup.summary import compile_summary
from bot.followup.validation import AnswerInput, InvalidAnswers, clean_answers
from bot.replays import Replayed
from messages.followup_form import answer_form
from messages.slack.form import modal
from storage import followup as store
from storage.engine import session_scope
from storage.followup import FollowupAnswer, FollowupRevision
from storage.outbox import Delivery
from storage.requests import ProcessedRequest
from tests.conftest import local
from tests.service_calls import by

OPEN = local(2027, 5, 10, 10, 0)


def full_answers(config, department_id: str, value: str = "80") -> dict[str, AnswerInput]:
    answers = {}
    for _, indicator in indicators_for(config, department_id):
        text = "Ny rutin för ärendehantering" if indicator.unit == "text" else value
        answers[indicator.id] = AnswerInput(status="met", value=text, comment="Enligt plan")
    return answers


def enqueue_due_followup_at(engine, config, now) -> str:
    """The text of the escalation DM to the quality manager queued by the round's producer at `now`."""
    with session_scope(engine) as session:
        enqueue_due_followup(session, config, local(2027, 5, 3, 8, 35))
        enqueue_due_followup(session, config, now)
        rows = session.scalars(select(Delivery).where(Delivery.occurrence_key == "escalation")).all()
    return "\n".join(row.text for row in rows)


def submit(engine, config, person_id, department_id, inputs, key, now=OPEN):
    with session_scope(engine) as session:
        person = config.person(person_id) if person_id else None
        return answering.submit(
            **by(session, config, person),
            round_id="t1-2027",
            department_id=department_id,
            inputs=inputs,
            now=now,
            request_key=key,
        )


def submit_nki_edit(engine, config, person_id: str, nki: AnswerInput) -> answering.SubmitResult:
    """The IT department's full answers submitted again (request key k2) with the NKI answer changed."""
    return submit(engine, config, person_id, "it", full_answers(config, "it") | {"nki": nki}, "k2")


def test_invalid_answers_name_each_field_and_store_nothing(engine, example_config):
    inputs = full_answers(example_config, "it")
    inputs["nki"] = AnswerInput(status="at_risk", value="hög", comment="", actions="")
    inputs["it-svarstid"] = AnswerInput(status="met", value="120")
    inputs["sjukfranvaro"] = AnswerInput(status=None, value="4,5")
    with pytest.raises(InvalidAnswers) as caught:
        submit(engine, example_config, "it-chef", "it", inputs, "k1")
    assert caught.value.errors == {
        ("nki", "value"): "not_index",
        ("nki", "actions"): "actions_required",
        ("it-svarstid", "value"): "percent_range",
        ("sjukfranvaro", "status"): "status_missing",
    }
    with session_scope(engine) as session:
        assert session.scalars(select(FollowupAnswer)).all() == []


def test_edit_keeps_every_revision_and_a_duplicate_is_stored_once(engine, example_config):
    first = submit(engine, example_config, "it-chef", "it", full_answers(example_config, "it"), "k1")
    assert len(first.changed) == 7 and first.unanswered == []
    with pytest.raises(Replayed):
        submit(engine, example_config, "it-chef", "it", full_answers(example_config, "it"), "k1")
    nki_edit = AnswerInput(status="at_risk", value="65,5", comment="Sämre svar från Kungsör", actions="Kundmöten")
    second = submit_nki_edit(engine, example_config, "it-stf", nki_edit)
    assert second.changed == ["nki"]
    with session_scope(engine) as session:
        nki = session.scalars(select(FollowupAnswer).where(FollowupAnswer.indicator_id == "nki")).one()
        revisions = session.scalars(
            select(FollowupRevision).where(FollowupRevision.indicator_id == "nki").order_by(FollowupRevision.revision)
        ).all()
        count = len(session.scalars(select(FollowupAnswer)).all())
    assert (nki.value_number, nki.status, nki.revision, nki.submitted_by) == (65.5, "at_risk", 2, "it-stf")
    assert [(r.revision, r.submitted_by) for r in revisions] == [(1, "it-chef"), (2, "it-stf")]
    assert json.loads(revisions[1].changes) == {
        "status": ["met", "at_risk"],
        "value_number": [80.0, 65.5],
        "comment": ["Enligt plan", "Sämre svar från Kungsör"],
        "actions": [None, "Kundmöten"],
    }
    assert count == 7


@pytest.mark.parametrize("person_id", ["kommunikator", "ekonomi-chef", "kvalitetschef", None])
def test_only_head_or_deputy_may_answer(engine, example_config, person_id):
    with pytest.raises(NotAllowed):
        submit(engine, example_config, person_id, "it", full_answers(example_config, "it"), "k1")
    with session_scope(engine) as session:
        assert session.scalars(select(FollowupAnswer)).all() == []


def test_no_answers_outside_the_round(engine, example_config):
    with pytest.raises(service.RoundNotOpen):
        submit(engine, example_config, "it-chef", "it", full_answers(example_config, "it"), "k1", local(2027, 6, 1))


def test_status_for_the_quality_manager_and_for_a_head(engine, example_config):
    submit(engine, example_config, "it-chef", "it", full_answers(example_config, "it"), "k1")
    with session_scope(engine) as session:
        everything = service.round_status(
            **by(session, example_config, example_config.person("kvalitetschef")), now=OPEN
        )
        own = service.round_status(**by(session, example_config, example_config.person("lon-chef")), now=OPEN)
        with pytest.raises(NotAllowed):
            service.round_status(**by(session, example_config, example_config.person("kommunikator")), now=OPEN)
    assert {(d.department.id, d.complete) for d in everything[0].departments} == {
        ("it", True),
        ("specialist", False),
        ("loner", False),
        ("ekonomi", False),
    }
    assert [d.department.id for d in own[0].departments] == ["loner"]


def test_delegation_to_a_named_person_or_the_deputy(engine, example_config):
    with session_scope(engine) as session:
        handed = service.delegate(
            **by(session, example_config, example_config.person("ekonomi-chef")),
            target=example_config.person("lon-stf"),
            now=OPEN,
        )
        assert [(r.id, d.id, p.id) for r, d, p in handed] == [("t1-2027", "ekonomi", "lon-stf")]
        with pytest.raises(service.NoDeputy):
            service.delegate(
                **by(session, example_config, example_config.person("ekonomi-chef")), target=None, now=OPEN
            )
        with pytest.raises(NotAllowed):
            service.delegate(**by(session, example_config, example_config.person("it-stf")), target=None, now=OPEN)
        dms = session.scalars(select(Delivery).where(Delivery.occurrence_key.like("delegated:%"))).all()
    assert [(d.recipient, d.occurrence_key) for d in dms] == [("person:lon-stf", "delegated:ekonomi:lon-stf")]
    submit(engine, example_config, "lon-stf", "ekonomi", full_answers(example_config, "ekonomi"), "k1")


def test_history_of_an_indicator_across_rounds(engine, example_config):
    submit(engine, example_config, "it-chef", "it", full_answers(example_config, "it", "71"), "k1")
    submit(engine, example_config, "lon-chef", "loner", full_answers(example_config, "loner", "74"), "k2")
    with session_scope(engine) as session:
        view = service.history(**by(session, example_config, example_config.person("forbundschef")), text="NKI")
        own = service.history(**by(session, example_config, example_config.person("it-stf")), text="nki")
        with pytest.raises(service.UnknownIndicator):
            service.history(**by(session, example_config, example_config.person("forbundschef")), text="okänd")
    assert view.indicator.id == "nki"
    assert [(r.id, [(d.id, a.value_number) for d, a in rows]) for r, rows in view.rows] == [
        ("t1-2027", [("it", 71.0), ("loner", 74.0)])
    ]
    assert [[d.id for d, _ in rows] for _, rows in own.rows] == [["it"]]


def test_summary_reads_with_two_statements_answers_and_revisions(engine, example_config):
    submit(engine, example_config, "it-chef", "it", full_answers(example_config, "it"), "k1")
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        with session_scope(engine) as session:
            summary = compile_summary(session, example_config, example_config.followup_rounds[0])
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 2
    assert [d.id for d in summary.answered] == ["it"]
    assert {d.id for d in summary.missing} == {"specialist", "loner", "ekonomi"}


def test_next_round_is_prefilled_with_last_rounds_answer_and_compared_with_it(engine, example_config):
    answers = full_answers(example_config, "it")
    answers["nki"] = AnswerInput(status="at_risk", value="66,5", comment="Färre svar", actions="Kundträffar")
    submit(engine, example_config, "it-chef", "it", answers, "k1")
    interim = local(2027, 9, 2, 10, 0)
    with session_scope(engine) as session:
        data = answering.form_data(
            **by(session, example_config, example_config.person("it-chef")),
            round_id="delar-2027",
            department_id="it",
            now=interim,
        )
    view = modal(answer_form(data))
    nki_blocks = [b for b in view["blocks"] if b.get("block_id", "").startswith("nki|")]
    assert nki_blocks[1]["element"]["initial_value"] == "66,5"
    assert nki_blocks[0]["element"]["initial_option"]["value"] == "at_risk"
    context = next(b for b in view["blocks"] if b["type"] == "section" and "Nöjd kund-index" in b["text"]["text"])
    assert "Tertialuppföljning 1 2027: 66,5 (befaras ej uppnås)" in context["text"]["text"]

    answers["nki"] = AnswerInput(status="met", value="71", comment="Bättre", actions=None)
    with session_scope(engine) as session:
        person = example_config.person("it-chef")
        answering.submit(
            **by(session, example_config, person),
            round_id="delar-2027",
            department_id="it",
            inputs=answers,
            now=interim,
            request_key="k2",
        )
        summary = compile_summary(session, example_config, example_config.followup_rounds[1])
    nki = summary.goals[0].indicators[0]
    assert (nki.cells[0].change, nki.cells[0].on_target) == (4.5, True)


@pytest.mark.parametrize(
    ("unit", "typed", "stored"),
    [("number", "1 200", 1200.0), ("number", "-3,5", -3.5), ("percent", "85 %", 85.0), ("index", "72", 72.0)],
)
def test_values_are_read_the_swedish_way(unit, typed, stored):
    indicator = Indicator(id="x", name="X", unit=unit)
    [answer] = clean_answers({"x": indicator}, {"x": AnswerInput(status="met", value=typed)})
    assert answer.value_number == stored


def test_a_text_value_needs_no_number_but_comments_have_a_limit():
    indicator = Indicator(id="x", name="X", unit="text")
    with pytest.raises(InvalidAnswers) as caught:
        clean_answers({"x": indicator}, {"x": AnswerInput(status="met", value="Ny rutin", comment="x" * 3001)})
    assert caught.value.errors == {("x", "comment"): "too_long"}


@pytest.mark.parametrize(
    ("unit", "typed", "code"),
    [
        ("number", "1" * 400, "not_number"),  # float() gives inf
        ("number", "1" * 20, "number_range"),
        ("number", "12 %", "not_number"),
        ("index", "72 %", "not_index"),
    ],
    ids=["overflow", "too-large", "number-with-percent", "index-with-percent"],
)
def test_values_that_are_not_finite_numbers_of_the_unit_are_refused(unit, typed, code):
    indicator = Indicator(id="x", name="X", unit=unit)
    with pytest.raises(InvalidAnswers) as caught:
        clean_answers({"x": indicator}, {"x": AnswerInput(status="met", value=typed)})
    assert caught.value.errors == {("x", "value"): code}


def test_a_saved_value_comes_back_exactly_in_the_form(engine, example_config):
    answers = full_answers(example_config, "it")
    answers["sjukfranvaro"] = AnswerInput(status="met", value="3,456")
    answers["budgetavvikelse"] = AnswerInput(status="met", value="-12 500,25")
    submit(engine, example_config, "it-chef", "it", answers, "k1")
    with session_scope(engine) as session:
        data = answering.form_data(
            **by(session, example_config, example_config.person("it-chef")),
            round_id="t1-2027",
            department_id="it",
            now=OPEN,
        )
    prefilled = {
        b["block_id"]: b["element"].get("initial_value") for b in modal(answer_form(data))["blocks"] if "block_id" in b
    }
    assert (prefilled["sjukfranvaro|value"], prefilled["budgetavvikelse|value"]) == ("3,456", "-12500,25")
    again = submit(engine, example_config, "it-chef", "it", {"sjukfranvaro": AnswerInput("met", "3,456")}, "k2")
    assert again.changed == []


def test_a_half_answered_department_is_incomplete_in_summary_status_and_escalation(engine, example_config):
    answers = full_answers(example_config, "it")
    submit(engine, example_config, "it-chef", "it", {key: answers[key] for key in list(answers)[:3]}, "k1")
    submit(engine, example_config, "lon-chef", "loner", full_answers(example_config, "loner"), "k2")
    with session_scope(engine) as session:
        summary = compile_summary(session, example_config, example_config.followup_rounds[0])
        status = service.round_status(**by(session, example_config, example_config.person("kvalitetschef")), now=OPEN)
        rows = summary_rows(example_config, summary, OPEN, on_request=True)
    assert [d.id for d in summary.answered] == ["loner"]
    assert [d.id for d in summary.missing] == ["it", "specialist", "ekonomi"]
    assert {d.department.id: d.complete for d in status[0].departments}["it"] is False
    text = rows[0]["text"]
    assert "Fullständiga svar från 1 av 4 avdelningar" in text
    assert "IT-avdelningen (3 av 7 indikatorer besvarade), Specialistavdelningen, Ekonomiavdelningen" in text
    escalated = enqueue_due_followup_at(engine, example_config, local(2027, 5, 21, 8, 35))
    assert "IT-avdelningen – IT-chefen (exempel) (3 av 7 indikatorer besvarade)" in escalated


def stale_first_read(monkeypatch, times: int) -> None:
    """The first `times` reads of a department's answers miss what a concurrent submission just saved."""
    real, calls = store.answers_for, []

    def answers_for(session, round_ids, department_id):
        calls.append(department_id)
        return [] if len(calls) <= times else real(session, round_ids, department_id)

    monkeypatch.setattr(store, "answers_for", answers_for)


def test_two_first_submissions_at_once_become_two_revisions(engine, example_config, monkeypatch):
    submit(engine, example_config, "it-stf", "it", full_answers(example_config, "it"), "k1")
    stale_first_read(monkeypatch, times=1)
    nki_edit = AnswerInput(status="at_risk", value="65", comment="Färre svar", actions="Kundmöten")
    result = submit_nki_edit(engine, example_config, "it-chef", nki_edit)
    assert result.changed == ["nki"]
    with session_scope(engine) as session:
        nki = session.scalars(select(FollowupAnswer).where(FollowupAnswer.indicator_id == "nki")).one()
        revisions = session.scalars(select(FollowupRevision).where(FollowupRevision.indicator_id == "nki")).all()
    assert (nki.value_number, nki.revision, nki.submitted_by) == (65.0, 2, "it-chef")
    assert sorted((r.revision, r.submitted_by) for r in revisions) == [(1, "it-stf"), (2, "it-chef")]


def test_answers_that_keep_changing_under_a_submission_leave_nothing_half_written(engine, example_config, monkeypatch):
    submit(engine, example_config, "it-stf", "it", full_answers(example_config, "it"), "k1")
    stale_first_read(monkeypatch, times=2)
    with pytest.raises(answering.ConcurrentSubmission):
        submit(engine, example_config, "it-chef", "it", full_answers(example_config, "it", "90"), "k2")
    with session_scope(engine) as session:
        assert {a.submitted_by for a in session.scalars(select(FollowupAnswer))} == {"it-stf"}
        assert session.get(ProcessedRequest, "k2") is None


def test_history_is_refused_before_any_indicator_is_listed(engine, example_config):
    with session_scope(engine) as session, pytest.raises(NotAllowed):
        service.history(**by(session, example_config, example_config.person("kommunikator")), text="okänd")


def test_someone_handed_a_round_sees_that_departments_history(engine, example_config):
    with session_scope(engine) as session:
        head, helper = example_config.person("ekonomi-chef"), example_config.person("kommunikator")
        service.delegate(**by(session, example_config, head), target=helper, now=OPEN)
    submit(engine, example_config, "kommunikator", "ekonomi", full_answers(example_config, "ekonomi", "72"), "k1")
    submit(engine, example_config, "it-chef", "it", full_answers(example_config, "it", "71"), "k2")
    with session_scope(engine) as session:
        view = service.history(**by(session, example_config, helper), text="nki")
    assert [[(d.id, a.value_number) for d, a in rows] for _, rows in view.rows] == [[("ekonomi", 72.0)]]


def test_the_report_takes_the_latest_opened_of_the_open_rounds(engine, example_config):
    first = example_config.followup_rounds[0]
    later = first.model_copy(update={"id": "extra-2027", "name": "Extra 2027", "opens": date(2027, 5, 5)})
    config = example_config.model_copy(update={"followup_rounds": [later, first]})
    with session_scope(engine) as session:
        assert (
            service.request_report(**by(session, config, config.person("kvalitetschef")), now=OPEN).id == "extra-2027"
        )
