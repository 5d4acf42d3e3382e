"""Which trend charts a follow-up summary draws: at most MAX_CHARTS, the indicators with the most departments
needing attention in the round reported on (targets before none, then the configuration's order), the rest named
in the text; at most MAX_DEPARTMENTS lines a chart, the worst departments, the others counted in the legend and the
description."""

import pytest

from bot.config.followup_model import Indicator
from bot.followup import trends
from bot.followup.notices import summary_rows
from bot.followup.summary import compile_summary
from bot.followup.trends import (
    MAX_CHARTS,
    MAX_DEPARTMENTS,
    IndicatorTrend,
    charted_trends,
    drawn_departments,
    trend_chart,
)
from messages.charts.data import TrendPoint
from messages.charts.images import trend_image
from messages.message import Message
from storage.engine import session_scope
from tests.test_charts_delivery import NOW, answered  # noqa: F401  (the fixture)


def trend(config, indicator_id: str, latest: list[tuple[float, str] | None], target: str | None = ">= 50"):
    """An indicator's trend over the example's two first rounds: each department's value in the first, and in the
    second (the round reported on) `latest` (None: no answer in it)."""
    indicator = Indicator(id=indicator_id, name=f"Indikator {indicator_id}", unit="percent", target=target)
    values = tuple(
        (f"avd-{n}", (TrendPoint(0, 60.0, "met"), *([TrendPoint(1, *point)] if point else [])))
        for n, point in enumerate(latest)
    )
    return IndicatorTrend(indicator, tuple(config.followup_rounds[:2]), values)


def test_the_indicators_needing_most_attention_are_charted_in_the_configurations_order(example_config):
    fine, missed, at_risk = (60.0, "met"), (40.0, "met"), (70.0, "at_risk")  # 40 misses '>= 50' whatever its status
    all_fine = [trend(example_config, f"ok-{n}", [fine, fine]) for n in range(MAX_CHARTS)]
    candidates = [
        *all_fine,
        trend(example_config, "two", [missed, at_risk]),
        trend(example_config, "one", [fine, at_risk]),
        trend(example_config, "no-target", [fine, fine], target=None),
        trend(example_config, "not-answered", [None, None]),
    ]
    chosen = [chosen.indicator.id for chosen in charted_trends(candidates)]
    assert len(chosen) == MAX_CHARTS
    assert chosen == [f"ok-{n}" for n in range(MAX_CHARTS - 2)] + ["two", "one"]
    assert [t.attention for t in candidates[-4:]] == [2, 1, 0, 0]
    few = candidates[-2:]
    assert charted_trends(few) == few  # fewer than the most: every one


def _departments(config, count: int):
    head = config.departments[0]
    return [head.model_copy(update={"id": f"avd-{n}", "name": f"Avdelning {n}"}) for n in range(count)]


def test_a_chart_draws_the_worst_departments_and_counts_the_rest(example_config):
    config = example_config.model_copy(update={"departments": _departments(example_config, 12)})
    latest = [(80.0, "met")] * 12
    latest[3], latest[5], latest[9] = (45.0, "met"), (70.0, "not_met"), None  # off target, needs actions, no answer
    latest[11] = (60.0, "partly_met")
    wide = trend(config, "bred", latest)
    drawn = [department for department, _ in drawn_departments(wide)]
    assert len(drawn) == MAX_DEPARTMENTS
    assert {"avd-3", "avd-5", "avd-11"} <= set(drawn) and "avd-9" not in drawn  # the worst in; no answer last
    assert drawn == sorted(drawn, key=lambda department: int(department.split("-")[1]))  # configuration order

    chart = trend_chart(config, wide)
    assert chart.left_out == 4 and len(chart.series) == MAX_DEPARTMENTS
    assert trend_image(chart, "bred.png").alt_text.endswith(
        "Diagrammet visar de 8 avdelningar vars svar i den senaste omgången behöver mest uppmärksamhet; värdena "
        "för ytterligare 4 avdelningar finns i de bifogade filerna."
    )
    narrow = trend(config, "smal", latest[:MAX_DEPARTMENTS])
    assert trend_chart(config, narrow).left_out == 0 and drawn_departments(narrow) == narrow.values


def messages(rows: list[dict]) -> dict[str, tuple[str, list[str]]]:
    """Per recipient, the text of every part of its message and the images' names."""
    found: dict[str, tuple[str, list[str]]] = {}
    for row in rows:
        message = Message.from_json(row["message"])
        text, images = found.get(row["recipient"], ("", []))
        found[row["recipient"]] = (text + message.text, images + [image.filename for image in message.images])
    return found


@pytest.mark.usefixtures("answered")
def test_the_summary_names_the_indicators_it_draws_no_chart_for(engine, example_config, monkeypatch):
    monkeypatch.setattr(trends, "MAX_CHARTS", 1)
    with session_scope(engine) as session:
        summary = compile_summary(session, example_config, example_config.followup_rounds[1])
    sent = messages(summary_rows(example_config, summary, NOW, on_request=True))
    assert len(sent) == 2  # the quality manager and the board's channel
    for text, images in sent.values():
        assert images == ["trend-nki.png"]  # Löneavdelningen misses NKI >= 70; absence has no value in the round
        assert "Diagram visas för 1 av 2 indikatorer" in text and "Utan diagram: Sjukfrånvaro." in text


@pytest.mark.usefixtures("answered")
def test_a_summary_with_every_chart_says_nothing_of_charts_left_out(engine, example_config):
    with session_scope(engine) as session:
        summary = compile_summary(session, example_config, example_config.followup_rounds[1])
    assert len(summary.charts) == 2 and summary.without_charts == []
    for text, images in messages(summary_rows(example_config, summary, NOW, on_request=True)).values():
        assert len(images) == 2 and "Utan diagram" not in text
