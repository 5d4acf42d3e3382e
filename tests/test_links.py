"""Links built from stored or typed values: a '|', '>' or '<!channel>' in the address or the label cannot end the
link, split it into another address or ping anyone (issue 7: only & < > were escaped)."""

import json
import re

import pytest

from messages.mrkdwn import channel_mention, link, user_mention
from messages.render import render_string
from tests.cases_support import REPORTER, message_shortcut, report_submission

LINK = re.compile(r"<([^<>|]*)\|([^<>]*)>")
HOSTILE = "https://fake.slack.com/archives/C1/p1|<!channel> Klicka här>"


def _only_link(text: str) -> tuple[str, str]:
    """The single <address|label> in `text`; fails when there is any other '<' or '>' structure."""
    links = LINK.findall(text)
    assert len(links) == 1, text
    assert LINK.sub("", text).count("<") == 0 and LINK.sub("", text).count(">") == 0, text
    return links[0]


@pytest.mark.parametrize(
    ("url", "label", "shown"),
    [
        ("https://x.example/a|https://evil.example", "länk", "länk"),
        ("https://x.example/a>", "<!channel>", "&lt;!channel&gt;"),
        ("https://x.example/a b\nc", "rad ett\nrad två | tre", "rad ett rad två ¦ tre"),
        ("https://x.example/<!here>", "A|B <c>", "A¦B &lt;c&gt;"),
    ],
)
def test_the_link_helper_keeps_one_link_whatever_the_values(url, label, shown):
    address, text = _only_link(link(url, label))
    assert "|" not in address and " " not in address and "\n" not in address
    assert address.startswith("https://x.example/") and text == shown


def test_a_link_without_a_label_shows_its_address():
    assert _only_link(link("https://x.example/a", " "))[1] == "https://x.example/a"


def test_mentions_cannot_carry_a_label():
    assert user_mention("U1|<!channel>") == "<@U1&lt;!channel&gt;>"
    assert channel_mention("C1|x") == "<#C1x>"


def test_the_template_filter_uses_the_helper():
    text = render_string('{{ url | lank("Läs mer | här") }}', url="https://x.example/?a=1&b=2|<!channel>")
    assert text == "<https://x.example/?a=1&amp;b=2%7C&lt;!channel&gt;|Läs mer ¦ här>"


def _context_texts(view: dict) -> str:
    return "\n".join(e["text"] for b in view["blocks"] if b["type"] == "context" for e in b["elements"])


def test_a_hostile_permalink_in_the_report_form_stays_one_link(slack, fake_slack, monkeypatch):
    monkeypatch.setattr(fake_slack, "api_chat_getPermalink", lambda params: {"ok": True, "permalink": HOSTILE})
    slack.interaction(message_shortcut(REPORTER, "Lönen kom inte."))
    slack.idle()
    updates = fake_slack.calls_to("views.update")
    view = updates[-1].params["view"]
    view = view if isinstance(view, dict) else json.loads(view)
    line = next(line for line in _context_texts(view).splitlines() if "Gäller meddelandet" in line)
    address, label = _only_link(line)
    assert (address, label) == ("https://fake.slack.com/archives/C1/p1%7C&lt;!channel&gt;%20Klicka%20här&gt;", "länk")


def test_a_hostile_stored_link_stays_one_link_in_the_triage_post(slack, fake_slack, runtime):
    metadata = json.dumps({"source_link": "https://fake.slack.com/archives/C1/p1|<!channel>"})
    assert (
        slack.interaction(report_submission(REPORTER, private_metadata=metadata)).json()["response_action"] == "update"
    )
    slack.idle()
    triage = [m for m in fake_slack.posted() if m["channel"] == "C0VMKFITTR"]
    text = "\n".join(b["text"]["text"] for b in triage[0]["blocks"] if b["type"] == "section")
    assert "<!channel>" not in text
    line = next(line for line in text.splitlines() if "Ursprungligt meddelande" in line)
    assert _only_link(line) == ("https://fake.slack.com/archives/C1/p1%7C&lt;!channel&gt;", "länk")
