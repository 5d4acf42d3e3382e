"""Charts: each kind decodes as a small PNG of the fixed size with its Swedish description; the neutral message
carries images through the outbox's JSON; Slack shows them as image blocks within 50 blocks a message; Teams in
the card, within its size, or their description when a picture is too large."""

import io
import os
import subprocess
import sys
import warnings
from dataclasses import replace
from pathlib import Path

from PIL import Image as Picture

from messages.charts.canvas import HEIGHT, WIDTH
from messages.charts.data import GroupedBars, MonthlyCounts, TrendChart, TrendPoint, TrendSeries
from messages.charts.images import grouped_image, monthly_image, trend_image
from messages.message import Image, Message
from messages.slack.message import render
from messages.slack.message import split as slack_split
from messages.teams.card import message_activity
from messages.teams.limits import ACTIVITY_LIMIT, activity_bytes
from messages.teams.limits import split as teams_split
from tests.adaptive_cards import assert_valid_cards

ROOT = Path(__file__).resolve().parent.parent
TREND = TrendChart(
    title="Nöjd kund-index (NKI) bland medlemskommunerna",
    unit="Index 0–100",
    rounds=("Tertial 1 2027", "Delår 2027", "Helår 2027"),
    series=(
        TrendSeries("IT-avdelningen", (TrendPoint(0, 65, "not_met"), TrendPoint(1, 68.5, "partly_met"))),
        TrendSeries("Löneavdelningen", (TrendPoint(0, 71, "met"), TrendPoint(2, 66, "at_risk"))),
    ),
    target=70,
    target_label="NKI >= 70",
)
MONTHLY = MonthlyCounts(
    title="Synpunkter och klagomål per månad",
    year=2027,
    categories=("Klagomål", "Beröm"),
    counts=((1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2), (0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
)
GROUPED = GroupedBars(
    title="BAS-index per tjänst och medlem",
    value_label="Index 0–100",
    groups=("E-arkiv", "Lön"),
    series=(("Arboga kommun", (72.0, None)), ("Köpings kommun", (60.0, 70.25))),
    value_max=100,
)


def decoded(png: bytes) -> Picture.Image:
    picture = Picture.open(io.BytesIO(png))
    picture.load()
    return picture


def test_each_kind_of_chart_is_a_small_png_of_the_fixed_size_drawn_with_every_swedish_letter():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns of a glyph missing from the font: å, ä, ö must be there
        images = [trend_image(TREND, "a.png"), monthly_image(MONTHLY, "b.png"), grouped_image(GROUPED, "c.png")]
    for image in images:
        picture = decoded(image.png)
        assert (picture.format, picture.size, picture.mode) == ("PNG", (WIDTH, HEIGHT), "P")
        assert len(image.png) < 20_000, image.filename
        assert len(picture.convert("RGB").getcolors(256)) > 8  # drawn, not blank


def test_the_trend_chart_shows_the_status_colours_and_the_target_line():
    """Each colour is in the picture (within the palette's rounding), over more than a marker's edge."""
    colours = decoded(trend_image(TREND, "a.png").png).convert("RGB").getcolors(256)
    for colour in ("#2e9d46", "#f2c200", "#d62f2f", "#f07d00", "#1f3a93"):
        wanted = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
        near = sum(count for count, rgb in colours if max(abs(a - b) for a, b in zip(rgb, wanted, strict=True)) <= 12)
        assert near > 40, colour


def test_each_description_says_the_data_in_swedish():
    assert trend_image(TREND, "a.png").alt_text == (
        "Linjediagram: Nöjd kund-index (NKI) bland medlemskommunerna per uppföljningsomgång, med målet NKI >= 70 "
        "som streckad linje. IT-avdelningen: Tertial 1 2027 65 (ej uppfyllt), Delår 2027 68,5 (delvis uppfyllt). "
        "Löneavdelningen: Tertial 1 2027 71 (uppfyllt), Helår 2027 66 (befaras ej uppnås)."
    )
    monthly = monthly_image(MONTHLY, "b.png").alt_text
    assert monthly.startswith("Stapeldiagram: Synpunkter och klagomål per månad 2027. Januari: klagomål 1. ")
    assert "Februari: beröm 3. Mars: inga." in monthly and monthly.endswith("December: klagomål 2.")
    assert grouped_image(GROUPED, "c.png").alt_text == (
        "Stapeldiagram: BAS-index per tjänst och medlem (Index 0–100). E-arkiv: Arboga kommun 72, Köpings kommun 60. "
        "Lön: Arboga kommun visas inte, Köpings kommun 70,25."
    )


def test_a_chart_of_no_cases_is_drawn_all_the_same():
    empty = replace(MONTHLY, counts=((0,) * 12, (0,) * 12))
    assert decoded(monthly_image(empty, "b.png").png).size == (WIDTH, HEIGHT)


def test_images_go_through_the_outbox_json_unchanged():
    message = Message(text="Hej", images=(Image("a.png", "Ett diagram över å", b"\x89PNG\r\n\x1a\nbytes"),))
    assert Message.from_json(message.to_json()) == message
    assert "images" not in Message(text="Hej").to_json()


IMAGE = Image("trend.png", "Linjediagram: värden", b"\x89PNG\r\n\x1a\n" + bytes(200))


def test_slack_shows_each_uploaded_image_in_an_image_block_before_the_buttons():
    message = Message(text="Sammanställning", images=(IMAGE, IMAGE))
    blocks = render(message, ("F00000001", "F00000002")).blocks
    assert blocks[1:] == [
        {"type": "image", "slack_file": {"id": "F00000001"}, "alt_text": "Linjediagram: värden"},
        {"type": "image", "slack_file": {"id": "F00000002"}, "alt_text": "Linjediagram: värden"},
    ]


def test_slack_parts_stay_within_50_blocks_with_their_images():
    text = "\n---\n".join(f"Stycke {n}" for n in range(30))  # 59 blocks of text and dividers
    parts = slack_split(Message(text=text, images=(IMAGE,) * 10))
    assert len(parts) > 1 and sum(len(part.images) for part in parts) == 10
    for part in parts:
        ids = tuple(f"F{n:08d}" for n in range(len(part.images)))
        assert len(render(part, ids).blocks) <= 50


def test_teams_shows_each_image_in_the_card_as_a_data_uri():
    image = trend_image(TREND, "a.png")
    card = message_activity(Message(text="Sammanställning", images=(image,)))["attachments"][0]["content"]
    element = card["body"][-1]
    assert element["type"] == "Image" and element["altText"] == image.alt_text
    assert element["url"].startswith("data:image/png;base64,")
    assert_valid_cards([card])


def test_teams_parts_stay_within_the_card_size_and_a_picture_too_large_gives_its_description():
    chart = trend_image(TREND, "a.png")
    huge = Image("stor.png", "Linjediagram: en & annan", b"\x89PNG\r\n\x1a\n" + os.urandom(ACTIVITY_LIMIT))
    parts = teams_split(Message(text="Sammanställning", images=(chart, chart, chart, huge)))
    assert [len(part.images) for part in parts] == [0, 1, 1, 1]  # about 13 KB each as base64: one to a card
    assert parts[0].text == "Sammanställning"
    assert all(activity_bytes(part) <= ACTIVITY_LIMIT for part in parts)
    assert [item for part in parts for item in part.items] == ["Linjediagram: en &amp; annan"]  # markup: shown "&"
    assert_valid_cards([message_activity(part)["attachments"][0]["content"] for part in parts])


def test_the_command_line_does_not_import_matplotlib_and_charts_need_no_writable_home(tmp_path):
    code = (
        "import sys, bot.cli, bot.tick; assert 'matplotlib' not in sys.modules; "
        "from tests.test_charts import TREND; from messages.charts.images import trend_image; "
        "trend_image(TREND, 'a.png'); import matplotlib; print(matplotlib.get_configdir())"
    )
    home = tmp_path / "home"
    home.mkdir(mode=0o500)
    env = {key: value for key, value in os.environ.items() if key != "MPLCONFIGDIR"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "HOME": str(home), "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip().endswith("samverkan-matplotlib")
    assert "not a writable directory" not in result.stderr and not list(home.iterdir())
