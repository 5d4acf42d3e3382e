"""The board's decision form as a neutral form (a new decision of a meeting, or an edit of one), what a submitted
one holds, the buttons that open it and send a meeting's digests, and the Swedish texts of its field errors."""

import json
import re
from dataclasses import dataclass

from messages.form import ChoiceField, FieldErrors, Form, FormValues, Option, Text, TextField, Toggle, notice
from messages.labels import labels
from messages.message import Button, ButtonStyle
from messages.text_limits import BOARD_CASE_NUMBER, BOARD_SUMMARY, BOARD_TITLE

FORM_KIND = "board_decision"
NEW_ACTION = "board_decision_new"  # value {"meeting": id}: the form for a new decision of the meeting
# Value {"decision": id}. Slack wants the action ids of one message's buttons unique, so each decision's button is
# EDIT_ACTION + ":<decision id>"; the handlers route every action EDIT_ACTIONS matches.
EDIT_ACTION = "board_decision_edit"
EDIT_ACTIONS = re.compile(rf"^{EDIT_ACTION}:\d+$")
RELEASE_ACTION = "board_digests_release"  # value {"meeting": id}
PROTOCOL_BUTTONS_ID = "board_protocol"

ALL = "all"
MEMBER, DEPARTMENT = "member", "department"
PUBLIC, INTERNAL = "public", "internal"

_FORM = labels("board.decisions.form")
FIELD_LABELS = labels("board.decisions.fields")
_CHOICES = labels("board.decisions.choices")
_GROUPS = labels("board.decisions.groups")
ERROR_TEXT = labels("board.decisions.errors")
BUTTONS = labels("board.decisions.buttons")
FORM_TITLE = _FORM["title"]


@dataclass(frozen=True)
class DecisionValues:
    """What the secretary typed and chose, as submitted: nothing checked yet."""

    title: str
    summary: str
    concerns_all: bool
    member_ids: tuple[str, ...]
    department_ids: tuple[str, ...]
    unknown_concerns: bool  # an option value that is none of ours (a forged request)
    visibility: str | None  # PUBLIC, INTERNAL or anything sent
    owner: str | None
    due: str
    case_number: str
    withdraw: bool = False


@dataclass(frozen=True)
class ShownDecision:
    """A stored decision as the edit form shows it."""

    id: int
    revision: int
    title: str
    summary: str
    concerns_all: bool
    member_ids: tuple[str, ...]
    department_ids: tuple[str, ...]
    public: bool
    owner: str | None
    due: str  # YYYY-MM-DD or empty
    case_number: str


def concern_value(kind: str, ident: str) -> str:
    return f"{kind}:{ident}"


def decision_values(values: FormValues) -> DecisionValues:
    """A submitted decision form read back."""
    chosen = values.choices("concerns")
    members, departments, unknown = [], [], False
    for value in chosen:
        kind, _, ident = value.partition(":")
        if kind == MEMBER and ident:
            members.append(ident)
        elif kind == DEPARTMENT and ident:
            departments.append(ident)
        elif value != ALL:
            unknown = True
    return DecisionValues(
        title=values.text("title").strip(),
        summary=values.text("summary").strip(),
        concerns_all=ALL in chosen,
        member_ids=tuple(members),
        department_ids=tuple(departments),
        unknown_concerns=unknown,
        visibility=values.value("visibility"),
        owner=values.value("owner"),
        due=values.text("due").strip(),
        case_number=values.text("case_number").strip(),
        withdraw=values.toggled("withdraw"),
    )


def decision_form(
    *,
    meeting_id: str,
    heading: str,
    members: list[tuple[str, str]],
    departments: list[tuple[str, str]],
    people: list[tuple[str, str]],
    decision: ShownDecision | None = None,
) -> Form:
    """The form for a new decision of the meeting, or for editing `decision`; `members`, `departments` and
    `people` are (id, name) pairs, `heading` the meeting as the form names it (markup)."""
    concerns = (Option(ALL, _FORM["concerns_all"], _GROUPS["all"]),)
    concerns += tuple(Option(concern_value(MEMBER, i), name, _GROUPS["members"]) for i, name in members)
    concerns += tuple(Option(concern_value(DEPARTMENT, i), name, _GROUPS["departments"]) for i, name in departments)
    shown = decision
    chosen: tuple[str, ...] = ()
    if shown is not None:
        chosen = (ALL,) if shown.concerns_all else ()
        chosen += tuple(concern_value(MEMBER, i) for i in shown.member_ids)
        chosen += tuple(concern_value(DEPARTMENT, i) for i in shown.department_ids)
    parts = (
        Text(heading),
        TextField("title", FIELD_LABELS["title"], max_length=BOARD_TITLE, initial=shown.title if shown else ""),
        TextField(
            "summary",
            FIELD_LABELS["summary"],
            multiline=True,
            max_length=BOARD_SUMMARY,
            initial=shown.summary if shown else "",
        ),
        ChoiceField(
            "concerns",
            FIELD_LABELS["concerns"],
            concerns,
            initial=chosen,
            multiple=True,
            placeholder=_FORM["concerns_placeholder"],
        ),
        ChoiceField(
            "visibility",
            FIELD_LABELS["visibility"],
            (Option(PUBLIC, _CHOICES["public"]), Option(INTERNAL, _CHOICES["internal"])),
            initial=((PUBLIC if shown.public else INTERNAL),) if shown else (),
        ),
        ChoiceField(
            "owner",
            FIELD_LABELS["owner"],
            tuple(Option(i, name) for i, name in people),
            initial=(shown.owner,) if shown and shown.owner else (),
            optional=True,
            placeholder=_FORM["owner_placeholder"],
        ),
        TextField(
            "due",
            FIELD_LABELS["due"],
            max_length=10,
            placeholder=_FORM["due_placeholder"],
            initial=shown.due if shown else "",
            optional=True,
            hint=_FORM["due_hint"],
        ),
        TextField(
            "case_number",
            FIELD_LABELS["case_number"],
            max_length=BOARD_CASE_NUMBER,
            placeholder=_FORM["case_number_placeholder"],
            initial=shown.case_number if shown else "",
            optional=True,
        ),
    )
    if shown is not None:
        parts += (Toggle("withdraw", FIELD_LABELS["withdraw"], _CHOICES["withdraw"]),)
    metadata: dict[str, str | int | None] = {"meeting": meeting_id}
    if shown is not None:
        metadata |= {"decision": shown.id, "revision": shown.revision}
    return Form(title=FORM_TITLE, parts=parts, kind=FORM_KIND, submit=_FORM["submit"], metadata=metadata)


def notice_form(text: str) -> Form:
    """The decision form's place taken by a text: loading, a refusal, the confirmation."""
    return notice(FORM_TITLE, text)


def field_errors(problems: dict[str, str]) -> FieldErrors:
    """Swedish texts under the form's fields (field id -> text) for the service's problem codes."""
    return {field: ERROR_TEXT[code] for field, code in problems.items()}


def record_button(meeting_id: str) -> Button:
    """'Registrera beslut' under the secretary's request."""
    value = json.dumps({"meeting": meeting_id})
    return Button(NEW_ACTION, BUTTONS["record"], value, ButtonStyle.PRIMARY, opens_dialog=True)


def protocol_buttons(meeting_id: str, decisions: list[tuple[int, int]], *, release: bool) -> tuple[Button, ...]:
    """[Ändra §n] per decision ((id, position) pairs, in order), [Nytt beslut], and [Skicka sammanfattningarna]
    when `release`."""
    buttons = tuple(
        Button(f"{EDIT_ACTION}:{i}", f"{BUTTONS['edit']} §{position}", json.dumps({"decision": i}), opens_dialog=True)
        for i, position in decisions
    )
    buttons += (Button(NEW_ACTION, BUTTONS["new"], json.dumps({"meeting": meeting_id}), opens_dialog=True),)
    if release:
        buttons += (
            Button(RELEASE_ACTION, BUTTONS["release"], json.dumps({"meeting": meeting_id}), ButtonStyle.PRIMARY),
        )
    return buttons
