"""Complaints and feedback on Slack and on Teams, the same scenario and assertions: `synpunkt` opens the report
form, bad input comes back as Swedish field errors with nothing stored, a report gets a receipt with its case
number and a triage post with buttons, the department takes and answers it with the same permission checks (a
refusal in Swedish and nothing changed), the post updated in place, the answer reaching the reporter; an
anonymous report stores no identity; the message action fills in the message's text; the statistics."""

from sqlmodel import select

from storage.cases import FeedbackCase
from storage.engine import session_scope
from tests.cases_support import dump_tables
from tests.chat import Chat, Posted, Reply, Value

REPORTER, ANONYMOUS = "kommunchef-arboga", "kommunchef-koping"
IT_HEAD, IT_DEPUTY, OUTSIDER, QUALITY = "it-chef", "it-stf", "specialist-chef", "kvalitetschef"
TRIAGE, PAYROLL_TRIAGE = "C0VMKFITTR", "C0VMKFLOTR"
DESCRIPTION = "Skrivarna i stadshuset har inte fungerat på en vecka."
REPORT: dict[str, Value] = {
    "category": "klagomal",
    "subject": "service:it-drift",
    "member": "arboga",
    "description": DESCRIPTION,
}
REFUSED = "Tyvärr, du har inte behörighet"


def cases(chat: Chat) -> list[FeedbackCase]:
    with session_scope(chat.engine) as session:
        return list(session.exec(select(FeedbackCase).order_by(FeedbackCase.id)).all())


TRIAGE_BUTTONS = {"case_take", "case_reopen", "case_show", "case_confidential"}  # not a form's submit


def triage_post(chat: Chat, channel: str = TRIAGE) -> Posted:
    """The case's triage post: one, updated in place after each step (the forms its buttons open are shown to the
    clicker alone: a Slack modal, a Teams dialog)."""
    [post] = [message for message in chat.delivered(channel) if TRIAGE_BUTTONS & set(message.actions)]
    return post


def report(chat: Chat, person: str = REPORTER, **changes: Value) -> Reply:
    form = chat.open_report_form(person)
    assert form.form is not None
    return chat.submit_form(person, form, REPORT | changes)


def test_the_form_offers_the_categories_and_says_what_becomes_public(chat: Chat):
    form = chat.open_report_form(REPORTER)
    assert "allmän handling" in form.text and "anonym" in form.text
    assert form.errors == {} and set(REPORT) | {"contact", "anonymous", "sensitive"} <= set(chat.shown_values(form))
    assert chat.options(form, "category") == ["klagomal", "synpunkt", "forslag", "berom", "fraga"]
    assert {"service:it-drift", "department:ekonomi"} <= set(chat.options(form, "subject"))


def test_a_report_gets_a_receipt_and_a_triage_post_with_buttons(chat: Chat):
    confirmation = report(chat)
    assert confirmation.errors == {} and "VMKF 2027-0001" in confirmation.text
    [receipt] = chat.delivered(REPORTER)
    assert "VMKF 2027-0001" in receipt.text
    post = triage_post(chat)
    assert DESCRIPTION in post.text and "VMKF 2027-0001" in post.text
    assert {"case_take", "case_assign", "case_answer", "case_close"} <= set(post.actions)
    (case,) = cases(chat)
    assert (case.reporter_user_id, case.department_id, case.member_id) == (chat.reporter_id(REPORTER), "it", "arboga")


def test_bad_input_is_answered_under_the_fields_and_nothing_is_stored(chat: Chat):
    refused = report(chat, subject=None, description="  ")
    assert refused.errors == {
        "subject": "Välj en tjänst eller avdelning i listan.",
        "description": "Beskriv vad det gäller.",
    }
    assert refused.typed["member"] == "arboga" and refused.typed["category"] == "klagomal"
    anonymous_with_contact = report(chat, anonymous=True, contact="070-111 22 33")
    assert "anonym" in anonymous_with_contact.errors["contact"]
    assert anonymous_with_contact.typed["contact"] == "070-111 22 33"
    assert cases(chat) == [] and chat.delivered(TRIAGE) == [] and chat.delivered(REPORTER) == []


def test_the_department_takes_answers_and_closes_the_case_in_place(chat: Chat):
    report(chat)
    (case,) = cases(chat)

    chat.click(IT_HEAD, triage_post(chat), "case_take")
    assert "Status: Tagen" in triage_post(chat).text

    assign = chat.click(IT_HEAD, triage_post(chat), "case_assign")
    assert chat.options(assign, "assignee") == ["it-stf", "it-chef", "kvalitetschef", "forbundschef"]
    assert chat.submit_form(IT_HEAD, assign, {"assignee": "it-stf"}).errors == {}

    answer = chat.click(IT_DEPUTY, triage_post(chat), "case_answer")
    text = "Vi har bytt skrivarna. Hör av dig om det krånglar igen."
    assert chat.submit_form(IT_DEPUTY, answer, {"answer": text}).errors == {}
    assert [m for m in chat.delivered(REPORTER) if text in m.text]

    close = chat.click(IT_DEPUTY, triage_post(chat), "case_close")
    assert chat.submit_form(IT_DEPUTY, close, {"resolution": "Skrivare utbytta."}).errors == {}
    post = triage_post(chat)
    assert "Status: Stängd" in post.text and post.actions == ["case_reopen", "case_confidential"]
    assert [message.raw for message in chat.delivered(TRIAGE)] == [post.raw]  # the forms were the clickers' alone
    (stored,) = cases(chat)
    assert (stored.id, stored.status, stored.assignee, stored.answer) == (case.id, "closed", "it-stf", text)


def test_others_are_refused_in_swedish_and_nothing_changes(chat: Chat):
    report(chat)
    before = triage_post(chat).text
    assert chat.click(OUTSIDER, triage_post(chat), "case_take").text.startswith(REFUSED)
    for action in ("case_answer", "case_close", "case_assign"):
        refused = chat.click(OUTSIDER, triage_post(chat), action)
        assert REFUSED in refused.text and refused.form is None
    answer = chat.click(IT_HEAD, triage_post(chat), "case_answer")  # a form the outsider should never have had
    sneaked = chat.submit_form(OUTSIDER, answer, {"answer": "Jag svarar ändå"})
    assert "behörighet" in sneaked.shown
    (stored,) = cases(chat)
    assert (stored.status, stored.answer) == ("new", None)
    assert triage_post(chat).text == before
    assert [m for m in chat.delivered(REPORTER) if "Jag svarar ändå" in m.text] == []


def test_an_anonymous_report_stores_no_identity(chat: Chat):
    confirmation = report(chat, ANONYMOUS, member="koping", anonymous=True)
    assert "VMKF 2027-0001" in confirmation.text and "anonym" in confirmation.text
    assert triage_post(chat)
    (case,) = cases(chat)
    assert (case.anonymous, case.reporter_user_id, case.contact) == (True, None, None)
    tables = dump_tables(chat.engine)
    assert "VMKF 2027-0001" in tables
    # where the app is installed and who is in the roster (Teams) says nothing of who reported what
    case_tables = "\n".join(line for line in tables.splitlines() if not line.startswith("teams_"))
    assert chat.reporter_id(ANONYMOUS) not in case_tables
    assert chat.delivered(ANONYMOUS) == []  # no receipt: nobody to send it to


def test_the_message_action_fills_in_the_message_and_registers_it(chat: Chat):
    text = "Lönebeskedet för januari kom aldrig fram till oss i Surahammar."
    form = chat.message_action_register(REPORTER, text)
    assert form.form is not None and chat.shown_values(form)["description"] == text
    bad = chat.submit_form(REPORTER, form, REPORT | {"description": text, "subject": "service:lon", "category": None})
    assert "category" in bad.errors and cases(chat) == []
    done = chat.submit_form(REPORTER, form, REPORT | {"description": text, "subject": "service:lon",
                                                        "member": "surahammar"})  # fmt: skip
    assert done.errors == {} and "VMKF 2027-0001" in done.text
    (case,) = cases(chat)
    assert (case.description, case.department_id, case.member_id) == (text, "loner", "surahammar")
    assert text in triage_post(chat, PAYROLL_TRIAGE).text


def test_statistics_help_and_unknown_arguments(chat: Chat):
    report(chat)
    statistics = chat.command(QUALITY, "synpunkt statistik").text
    assert "Synpunkter och klagomål 2027" in statistics and "Registrerade ärenden: 1" in statistics
    assert "Klagomål: 1" in statistics and "IT-avdelningen: 1" in statistics
    assert "Inga synpunkter" in chat.command(QUALITY, "synpunkt statistik 2024").text
    assert "synpunkt statistik" in chat.command(REPORTER, "synpunkt hjälp").text
    assert 'Jag förstår inte "nånting"' in chat.command(REPORTER, "synpunkt nånting").text
    assert 'Jag förstår inte "statistik förra"' in chat.command(REPORTER, "synpunkt statistik förra").text
    assert 'Jag förstår inte "statistik 1999"' in chat.command(REPORTER, "synpunkt statistik 1999").text


def test_the_case_forms_refuse_empty_answers_and_change_nothing(chat: Chat):
    report(chat)
    assign = chat.click(IT_HEAD, triage_post(chat), "case_assign")
    assert chat.submit_form(IT_HEAD, assign, {"assignee": None}).errors.keys() == {"assignee"}
    answer = chat.click(IT_HEAD, triage_post(chat), "case_answer")
    assert chat.submit_form(IT_HEAD, answer, {"answer": "   "}).errors.keys() == {"answer"}
    close = chat.click(IT_HEAD, triage_post(chat), "case_close")
    assert chat.submit_form(IT_HEAD, close, {"resolution": ""}).errors.keys() == {"resolution"}
    (stored,) = cases(chat)
    assert (stored.status, stored.assignee, stored.answer) == ("new", None, None)
    assert "Status: Ny" in triage_post(chat).text


def test_a_confidential_case_is_shown_in_full_only_to_handlers(chat: Chat):
    report(chat)
    chat.click(QUALITY, triage_post(chat), "case_confidential")
    post = triage_post(chat)
    assert "Skrivarna" not in post.text and "case_show" in post.actions
    assert DESCRIPTION in chat.click(IT_DEPUTY, post, "case_show").text
    refused = chat.click(REPORTER, post, "case_show").text
    assert "behörighet" in refused and "Skrivarna" not in refused


def test_a_report_delivered_twice_registers_once(chat: Chat):
    first = report(chat)
    chat.resubmit()  # the platform retries the same submission
    assert "VMKF 2027-0001" in first.text
    assert len(cases(chat)) == 1 and len(chat.delivered(REPORTER)) == 1
    assert "VMKF 2027-0002" not in "\n".join(m.text for m in chat.delivered(TRIAGE))


def test_forged_oversized_texts_are_refused_on_their_field_and_nothing_is_written(chat: Chat):
    forged = "x" * 10_000
    refused = report(chat, description=forged, contact="0" * 201)
    assert refused.errors == {
        "description": "Beskrivningen får vara högst 3\u00a0000 tecken.",
        "contact": "Kontaktuppgiften får vara högst 200 tecken.",
    }
    assert cases(chat) == []
    report(chat)
    before = dump_tables(chat.engine)
    answer = chat.click(IT_DEPUTY, triage_post(chat), "case_answer")
    assert chat.submit_form(IT_DEPUTY, answer, {"answer": forged}).errors == {
        "answer": "Svaret får vara högst 3\u00a0000 tecken."
    }
    close = chat.click(IT_DEPUTY, triage_post(chat), "case_close")
    assert chat.submit_form(IT_DEPUTY, close, {"resolution": forged}).errors == {
        "resolution": "Beskrivningen får vara högst 3\u00a0000 tecken."
    }
    (stored,) = cases(chat)
    assert (stored.status, stored.answer, stored.resolution) == ("new", None, None)
    assert case_rows(dump_tables(chat.engine)) == case_rows(before)


def case_rows(tables: str) -> list[str]:
    """The rows of the case tables (not the outbox, where Teams' forms are posted cards)."""
    return [line for line in tables.splitlines() if line.startswith(("feedback_case", "case_event"))]


def test_a_report_marked_sensitive_is_posted_restricted_from_the_start(chat: Chat):
    report(chat, sensitive=True)
    (case,) = cases(chat)
    assert case.confidential
    post = triage_post(chat)
    assert "VMKF 2027-0001" in post.text and "Klagomål" in post.text
    for secret in ("Skrivarna", "Arboga", "IT-drift", chat.reporter_id(REPORTER)):
        assert secret not in post.text
    assert "case_show" in post.actions
    shown = chat.click(IT_DEPUTY, post, "case_show").text
    assert DESCRIPTION in shown and "Sekretessmarkerad vid anmälan" in shown
