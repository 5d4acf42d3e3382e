"""A neutral form: what a feature asks the user to fill in, and what came back, for any chat platform.

Features build a `Form`; `messages/slack/form.py` renders it as a Slack modal (and pages it at Slack's 100 blocks)
and the Teams renderer as an Adaptive Card 1.5. Every part maps onto both:

| part          | Slack                                   | Adaptive Card 1.5                                  |
|---------------|-----------------------------------------|----------------------------------------------------|
| `Text`        | section (context when `subtle`)         | TextBlock (`isSubtle`, small when `subtle`)        |
| `Divider`     | divider                                 | `separator` on the next element                    |
| `TextField`   | input + plain_text_input                | Input.Text (`isMultiline`, `maxLength`, `value`)   |
| `ChoiceField` | input + static_select (option groups)   | Input.ChoiceSet (`choices`, `value`, `isMultiSelect`) |
| `Toggle`      | input + checkboxes with one box         | Input.Toggle (`title`, `value`)                    |
| `hint`        | the input's hint                        | a subtle TextBlock under the input                 |
| `FieldErrors` | `response_action: errors`               | the card sent again with an error text under the input |
| `metadata`    | private_metadata                        | `Action.Execute` `data`, with the form's kind as `verb` |

Adaptive Cards have no option groups: the Teams renderer prefixes an option's title with its group.
A submission comes back as `FormValues`, read by field id whatever the platform. Ids and choice values must not
contain a comma: a multiple Input.ChoiceSet returns its values comma-separated.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from messages.labels import labels

_CLOSE = labels("form")  # a form's button that closes it: 'cancel' for a form, 'close' for a notice
FieldValue = str | tuple[str, ...] | bool | None
Metadata = Mapping[str, str | int | None]
FieldErrors = dict[str, str]  # field id -> the Swedish text shown under that field


@dataclass(frozen=True)
class Text:
    """Read-only text in the neutral markup (the subset of Slack mrkdwn our templates write, values escaped)."""

    markup: str
    subtle: bool = False  # small print beside the fields


@dataclass(frozen=True)
class Divider:
    """A line between groups of parts."""


@dataclass(frozen=True)
class TextField:
    id: str
    label: str
    multiline: bool = False
    max_length: int | None = None
    placeholder: str | None = None
    initial: str = ""
    optional: bool = False
    hint: str | None = None


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    group: str | None = None  # a heading the option is listed under (Slack option groups)


@dataclass(frozen=True)
class ChoiceField:
    id: str
    label: str
    options: tuple[Option, ...]
    initial: tuple[str, ...] = ()  # the values chosen from the start
    multiple: bool = False
    optional: bool = False
    placeholder: str | None = None
    hint: str | None = None
    overflow: str = ""  # markup after "N val till ryms inte i listan." when a platform cannot list every option


@dataclass(frozen=True)
class Toggle:
    """One box to tick: `label` names the field, `title` is the text beside the box."""

    id: str
    label: str
    title: str
    initial: bool = False
    optional: bool = True
    hint: str | None = None


Field = TextField | ChoiceField | Toggle
Part = Text | Divider | Field


@dataclass(frozen=True)
class Paging:
    """Sections a platform may spread over several pages, each page submitted on its own.

    Every page shows the form's `parts` first, then as many whole sections as fit; a page that is not the last
    is submitted with `next_submit`. The renderer adds the page and the page count to the metadata."""

    sections: tuple[tuple[Part, ...], ...]
    next_submit: str


@dataclass(frozen=True)
class Form:
    """A form (`submit` set) or a notice that only says something (`submit` None: it can only be closed).

    `kind` names the form (Slack's callback id, Teams' verb); None for a notice, which is never submitted."""

    title: str
    parts: tuple[Part, ...]
    kind: str | None = None
    submit: str | None = None
    close: str = _CLOSE["cancel"]
    metadata: Metadata = field(default_factory=dict)
    paging: Paging | None = None


def notice(title: str, markup: str, close: str = _CLOSE["close"]) -> Form:
    """A form that only says something: loading, a refusal, a confirmation."""
    return Form(title=title, parts=(Text(markup),), close=close)


def fields_of(parts: tuple[Part, ...]) -> tuple[Field, ...]:
    """The input fields among `parts`, in order."""
    return tuple(part for part in parts if isinstance(part, TextField | ChoiceField | Toggle))


@dataclass(frozen=True)
class FormValues:
    """What a submitted form carried, by field id: text and single choices as str or None, multiple choices as a
    tuple, a toggle as a bool. A field the platform did not send is absent."""

    values: Mapping[str, FieldValue]

    def text(self, field_id: str) -> str:
        """The typed text (or the chosen option of a single choice); empty when there is none."""
        value = self.values.get(field_id)
        return value if isinstance(value, str) else ""

    def value(self, field_id: str) -> str | None:
        """The typed text or the value of the chosen option of a single choice; None when there is none."""
        value = self.values.get(field_id)
        return value if isinstance(value, str) else None

    def choices(self, field_id: str) -> tuple[str, ...]:
        value = self.values.get(field_id)
        return value if isinstance(value, tuple) else ()

    def toggled(self, field_id: str) -> bool:
        return bool(self.values.get(field_id))
