"""The survey results' chart: the index per service and member drawn from the shown figures only (a hidden one or a
service a member does not take is no bar), with Swedish labels and description, a PNG of the fixed size, reaching
the director and the leadership group's channel with the results on Slack and on Teams."""

import base64
import io
from datetime import date

import pytest
from PIL import Image as Picture

from bot.surveys.charts import index_chart, index_image
from bot.surveys.results import compile_results
from bot.surveys.rounds import survey_round
from messages.charts.canvas import HEIGHT, WIDTH
from messages.charts.draw import _group_label
from storage.engine import session_scope
from tests.chat import Chat, Posted, cards_in
from tests.conftest import local
from tests.survey_support import add_responses

MARCH = date(2027, 3, 15)
BASE = ["it-drift", "lon", "ekonomi"]
OPENS, CLOSES = local(2027, 3, 15, 8, 35), local(2027, 3, 31, 8, 35)
DIRECTOR, LEADERSHIP = "forbundschef", "C0LEDNINGS"
GROUPS = (
    "Helheten (NKI)",
    "IT-drift och support",
    "Lönehantering",
    "Ekonomiadministration",
    "Upphandling över direktupphandlingsgränsen",
    "E-arkiv",
    "GIS och kartor",
)


def decoded(png: bytes) -> Picture.Image:
    picture = Picture.open(io.BytesIO(png))
    picture.load()
    return picture


def march_results(engine, config):
    with session_scope(engine) as session:
        return compile_results(session, config, survey_round(config, config.surveys[0], MARCH))


def test_the_chart_draws_the_shown_indexes_per_service_and_member(engine, example_config):
    add_responses(engine, "bas", MARCH, "arboga", BASE, [8, 9, 10])  # (7 + 8 + 9) * 100 / 27
    add_responses(engine, "bas", MARCH, "koping", BASE, [1, 1])  # two answers: hidden, and so is the total
    add_responses(engine, "bas", MARCH, "kungsor", ["e-arkiv"], [10, 10, 10])
    chart = index_chart(march_results(engine, example_config))

    assert chart.title == "BAS-enkäten 15 mar 2027: index per tjänst och kommun"
    assert (chart.value_label, chart.value_max, chart.groups) == ("Index 0–100", 100, GROUPS)
    arboga, koping, kungsor, surahammar, total = chart.series
    assert [label for label, _ in chart.series] == [
        "Arboga kommun", "Köpings kommun", "Kungsörs kommun", "Surahammars kommun", "Alla kommuner",
    ]  # fmt: skip
    high = pytest.approx(800 / 9)
    assert arboga[1] == (high, high, high, high, None, None, None)  # no answers on procurement and GIS; no e-archive
    assert koping[1] == (None,) * 7
    top = pytest.approx(100.0)
    assert kungsor[1] == (top, None, None, None, None, top, None)  # every response answers the NKI questions too
    assert surahammar[1] == (None,) * 7
    # The total of a row is hidden with Köping's two answers in it, shown for e-archive (Kungsör's three only).
    assert total[1] == (None, None, None, None, None, top, None)


def test_the_chart_is_a_png_of_the_fixed_size_with_a_swedish_description(engine, example_config):
    add_responses(engine, "bas", MARCH, "arboga", BASE, [8, 9, 10])
    image = index_image(march_results(engine, example_config))
    picture = decoded(image.png)
    assert (image.filename, picture.format, picture.size) == ("index-bas-2027-03-15.png", "PNG", (WIDTH, HEIGHT))
    assert len(picture.convert("RGB").getcolors(256)) > 8  # drawn, not blank
    assert image.alt_text.startswith(
        "Stapeldiagram: BAS-enkäten 15 mar 2027: index per tjänst och kommun (Index 0–100). Helheten (NKI): "
        "Arboga kommun 88,89, Köpings kommun visas inte,"
    )


def pictures(chat: Chat, posted: Posted) -> list[tuple[str, bytes]]:
    """The images of a delivered message as (description, PNG): Slack's image blocks of private uploads, or the
    Image elements of Teams cards."""
    if "blocks" in posted.raw:
        files = chat.fake.private_files  # type: ignore[attr-defined]
        blocks = [block for block in posted.raw["blocks"] if block["type"] == "image"]
        return [(block["alt_text"], files[block["slack_file"]["id"]]["content"]) for block in blocks]
    elements = [e for card in cards_in(posted.raw.get("attachments", [])) for e in card["body"] if e["type"] == "Image"]
    return [(e["altText"], base64.b64decode(e["url"].removeprefix("data:image/png;base64,"))) for e in elements]


def test_the_results_reach_the_director_and_the_leadership_group_with_the_chart(chat: Chat):
    add_responses(chat.engine, "bas", MARCH, "arboga", BASE, [8, 9, 10])
    chat.tick(OPENS)
    chat.tick(CLOSES)
    for to in (DIRECTOR, LEADERSHIP):
        shown = [picture for posted in chat.delivered(to) for picture in pictures(chat, posted)]
        assert len(shown) == 1, to
        [(description, png)] = shown
        assert description.startswith("Stapeldiagram: BAS-enkäten 15 mar 2027: index per tjänst och kommun")
        assert "Arboga kommun 88,89" in description
        assert decoded(png).size == (WIDTH, HEIGHT)


def test_a_long_service_name_is_wrapped_under_its_bars():
    assert _group_label("Upphandling över direktupphandlingsgränsen") == "Upphandling\növer\ndirektuppha…"
    assert _group_label("Ekonomiadministration") == "Ekonomiadmi-\nnistration"  # hyphenated where it is broken
    assert _group_label("IT - drift") == "IT - drift" and _group_label("Lönehantering") == "Lönehantering"
