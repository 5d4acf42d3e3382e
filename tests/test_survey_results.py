"""A round's results: the unweighted index, no figure from fewer answers than the minimum (nor one that the total
minus the shown parts would give), the change since the round before, and a number of SQL statements that does
not grow with the members and services."""

from datetime import date

import pytest
from sqlalchemy import event

from bot.surveys.questions import index_of
from bot.surveys.results import ALL, compile_results, latest_nki
from bot.surveys.rounds import survey_round
from storage.engine import session_scope
from tests.conftest import local
from tests.survey_support import add_responses

MARCH, SEPTEMBER = date(2027, 3, 15), date(2027, 9, 15)
BASE = ["it-drift", "lon", "ekonomi"]


def results(engine, config, opens=MARCH, **survey):
    config = config.model_copy(update={"surveys": [config.surveys[0].model_copy(update=survey)]})
    with session_scope(engine) as session:
        return compile_results(session, config, survey_round(config, config.surveys[0], opens))


@pytest.mark.parametrize(("total", "scores", "index"), [(3, 3, 0.0), (30, 3, 100.0), (12, 2, 500 / 9)])
def test_each_rating_is_mapped_and_averaged(total, scores, index):
    assert index_of(total, scores) == pytest.approx(index)


def test_ratings_one_and_ten_average_to_fifty():
    assert index_of(1 + 10, 2) == pytest.approx(50.0)


def test_a_cell_from_fewer_answers_than_the_minimum_is_not_shown(engine, example_config):
    add_responses(engine, "bas", MARCH, "arboga", BASE, [10, 10, 10])
    add_responses(engine, "bas", MARCH, "koping", BASE, [1, 1])
    found = results(engine, example_config)
    nki = found.rows[0].cells
    assert (nki["arboga"].answers, nki["arboga"].index) == (3, pytest.approx(100.0))
    assert (nki["koping"].answers, nki["koping"].index) == (2, None)
    # 3 shown and 2 hidden: the total minus Arboga would give Köping's two answers, so the total is hidden too.
    assert (nki[ALL].answers, nki[ALL].index) == (5, None)
    assert found.indexes()[""] == {"arboga": pytest.approx(100.0), "koping": None, "kungsor": None,
                                   "surahammar": None, ALL: None}  # fmt: skip


def test_a_total_is_shown_when_its_hidden_parts_hold_the_minimum_together(engine, example_config):
    add_responses(engine, "bas", MARCH, "arboga", BASE, [10, 10, 10])
    add_responses(engine, "bas", MARCH, "koping", BASE, [1, 1])
    add_responses(engine, "bas", MARCH, "kungsor", BASE, [1])
    nki = results(engine, example_config).rows[0].cells
    assert nki["koping"].index is None and nki["kungsor"].index is None
    assert nki[ALL].index == pytest.approx(300 / 6)  # the hidden three together are at least the minimum


def test_min_answers_one_shows_every_cell_and_the_change_since_the_round_before(engine, example_config):
    add_responses(engine, "bas", MARCH, "arboga", BASE, [5])
    add_responses(engine, "bas", SEPTEMBER, "arboga", BASE, [8])
    found = results(engine, example_config, SEPTEMBER, min_answers=1)
    it = next(row for row in found.rows if row.key == "it-drift").cells["arboga"]
    assert it.index == pytest.approx(700 / 9) and it.change == pytest.approx(300 / 9)
    assert found.previous is not None and found.previous.opens == MARCH
    assert [day for day, _ in found.history["it-drift"]] == [MARCH, SEPTEMBER]


def test_optional_services_have_cells_only_for_the_members_that_take_them(engine, example_config):
    rows = {row.key: row.cells for row in results(engine, example_config).rows}
    assert set(rows["upphandling"]) == {"arboga", "koping", ALL}
    assert set(rows["e-arkiv"]) == {"koping", "kungsor", "surahammar", ALL}


def _statements(engine, config) -> int:
    count = 0

    def counted(*args) -> None:
        nonlocal count
        count += 1

    event.listen(engine, "before_cursor_execute", counted)
    try:
        results(engine, config)
    finally:
        event.remove(engine, "before_cursor_execute", counted)
    return count


def test_the_statements_do_not_grow_with_members_or_services(engine, example_config):
    services = [service.id for service in example_config.services]
    add_responses(engine, "bas", MARCH, "arboga", BASE, [7, 8, 9])
    one_member = example_config.model_copy(update={"members": example_config.members[:1]})
    few = _statements(engine, one_member)
    for member in ("koping", "kungsor", "surahammar"):
        add_responses(engine, "bas", MARCH, member, services, [6, 7, 8])
    assert _statements(engine, example_config) == few


def test_the_latest_shown_nki_index_can_feed_the_follow_up(engine, example_config):
    add_responses(engine, "bas", MARCH, "arboga", BASE, [10, 10, 10])
    with session_scope(engine) as session:
        assert latest_nki(session, example_config, local(2027, 3, 30, 9, 0)) is None  # still open
        found = latest_nki(session, example_config, local(2027, 5, 3, 9, 0))
    assert found is not None and found.index == pytest.approx(100.0) and found.round.opens == MARCH
