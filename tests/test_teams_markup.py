"""Samverkan markup converted to the markdown Teams renders in a TextBlock, and to plain text."""

import re

import pytest

from messages.mrkdwn import channel_mention, link, user_mention
from messages.render import render_string
from messages.teams.markup import EMOJI, plain_markdown, to_plain_text, to_teams_markdown

TABLE = [
    ("*fet*", "**fet**"),
    ("_kursiv_", "_kursiv_"),
    ("*fet _och kursiv_*", "**fet _och kursiv_**"),
    ("a * b * c", "a \\* b \\* c"),
    ("snake_case_name och 2*3*4", "snake\\_case\\_name och 2\\*3\\*4"),
    ("&amp; &lt;b&gt; &amp;amp;", "& <b> &amp;"),
    ("<https://example.org/a_b|Läs mer>", "[Läs mer](https://example.org/a_b)"),
    ("<https://example.org/x(1)|[sida]>", "[\\[sida\\]](https://example.org/x%281%29)"),
    ("<https://example.org/?a=1&amp;b=2|A &amp; B>", "[A & B](https://example.org/?a=1&b=2)"),
    ("[klicka](https://evil.example)", "\\[klicka\\](https://evil.example)"),
    ("<@U0VMKF0001|Anna Berg>", "**Anna Berg**"),
    ("<@aad:0000-1111>", "en användare"),
    ("<#C0VMKF0001>", "kanalen"),
    ("<#C0VMKF0001|ledning>", "#ledning"),
    ("`/kommunikationsplan`", "/kommunikationsplan"),
    ("c:\\temp", "c:\\\\temp"),
    ("rad ett\nrad två", "rad ett\n\nrad två"),
    ("Lista:\n- ett\n- två", "Lista:\n- ett\n- två"),
    ("stycke ett\n\nstycke två", "stycke ett\n\nstycke två"),
    ("Per kategori:\n• Klagomål: 3\n• *Beröm*: 1\nSlut", "Per kategori:\n- Klagomål: 3\n- **Beröm**: 1\n\nSlut"),
    ("2027. Ett år\n3.5 är ett tal", "2027\\. Ett år\n\n3.5 är ett tal"),
    (
        "Rad\n    _indragen_\n  2. inte en lista",
        "Rad\n\n\u00a0\u00a0\u00a0\u00a0_indragen_\n\n\u00a0\u00a02\\. inte en lista",
    ),
    ("*Anmälare: <@aad:1|Anna>* och <@aad:2|Bo>", "**Anmälare: Anna** och **Bo**"),
]


@pytest.mark.parametrize(("markup", "markdown"), TABLE)
def test_markup_becomes_teams_markdown(markup: str, markdown: str) -> None:
    assert to_teams_markdown(markup) == markdown


@pytest.mark.parametrize(
    ("markup", "plain"),
    [
        ("*Hej* _du_ &amp; <https://example.org|länken> <@U1|Anna>", "Hej du & länken Anna"),
        ("<@U1> i <#C1>", "en användare i kanalen"),
        ("a_b *c*\nd", "a_b c\nd"),
    ],
)
def test_markup_as_plain_text(markup: str, plain: str) -> None:
    assert to_plain_text(markup) == plain


def test_values_from_templates_cannot_make_links_or_mentions_in_teams() -> None:
    """A typed value cannot link or mention (as on Slack, where it is escaped); its *emphasis* shows on both."""
    typed = "[fälla](https://evil.example) *fet* <@U1> <https://evil.example|x>"
    markdown = to_teams_markdown(render_string("Text: {{ v }}", v=typed))
    assert markdown == "Text: \\[fälla\\](https://evil.example) **fet** <@U1> <https://evil.example|x>"
    assert plain_markdown("*a* [b]") == "\\*a\\* \\[b\\]"


def test_links_built_by_link_convert_whatever_their_label_and_address() -> None:
    assert to_teams_markdown(link("https://example.org/a b|c", "x ] y | z")) == (
        "[x \\] y ¦ z](https://example.org/a%20b%7Cc)"
    )


def test_a_mention_carries_a_name_slack_ignores_and_teams_shows() -> None:
    assert user_mention("U0VMKF0001") == "<@U0VMKF0001>"
    assert user_mention("U0VMKF0001", "Anna") == "<@U0VMKF0001|Anna>"
    assert user_mention("aad:1", "<!channel> | *x*") == "<@aad:1|&lt;!channel&gt; ¦ *x*>"
    assert to_teams_markdown(user_mention("aad:1", "<!channel> | *x*")) == "**<!channel> ¦ \\*x\\***"
    assert user_mention("U1", "  ") == "<@U1>"
    assert render_string("{{ v | anvandare('Anna') }}", v="aad:1") == "<@aad:1|Anna>"
    assert to_teams_markdown(channel_mention("teams:19:abc@thread.tacv2")) == "kanalen"


@pytest.mark.parametrize("code", sorted(EMOJI))
def test_the_emoji_codes_our_templates_write_show_as_emoji(code):
    assert to_teams_markdown(f":{code}: Klart") == f"{EMOJI[code]} Klart"
    assert to_plain_text(f":{code}: Klart") == f"{EMOJI[code]} Klart"


def test_every_emoji_code_in_the_templates_is_known_and_an_unknown_code_stays():
    from pathlib import Path

    templates = Path(__file__).resolve().parent.parent / "messages" / "templates"
    used = {code for path in templates.iterdir() for code in re.findall(r":([a-z_]+):", path.read_text())}
    assert used - set(EMOJI) == set()
    assert to_plain_text("kl. 10:30:00 och :okand_kod:") == "kl. 10:30:00 och :okand_kod:"
