"""/synpunkt: open the reporting form; `/synpunkt statistik [år]` for the year's statistics."""

from slack_bolt import Ack, App

from bot.cases.deadlines import local_date
from bot.cases.statistics import case_statistics
from bot.runtime import Runtime
from handlers.slack.views.case_report import report_view
from messages.case_statistics import statistics_text
from messages.replies import ephemeral, template_reply
from storage.engine import session_scope

HELP_WORDS = {"hjälp", "help", "?"}
STATISTICS_WORDS = {"statistik", "stats"}
FIRST_YEAR, LAST_YEAR = 2000, 2100


def register(app: App, runtime: Runtime) -> None:
    @app.command("/synpunkt")
    def synpunkt(ack: Ack, command: dict, client) -> None:
        words = command.get("text", "").split()
        if runtime.config.cases is None:
            ack(template_reply("case_not_configured"))
            return
        if not words:
            ack()
            client.views_open(trigger_id=command["trigger_id"], view=report_view(runtime.config))
            return
        if words[0].casefold() in STATISTICS_WORDS:
            ack(_statistics_reply(runtime, words[1:]))
            return
        unknown = "" if words[0].casefold() in HELP_WORDS else " ".join(words)
        ack(template_reply("case_help", unknown=unknown))


def _statistics_reply(runtime: Runtime, arguments: list[str]) -> dict:
    now = runtime.clock.now()
    year = local_date(runtime.config, now).year
    if arguments:
        text = arguments[0]
        if len(arguments) > 1 or not text.isdigit() or not FIRST_YEAR <= int(text) <= LAST_YEAR:
            return template_reply("case_help", unknown=" ".join(["statistik", *arguments]))
        year = int(text)
    with session_scope(runtime.engine) as session:
        stats = case_statistics(session, runtime.config, year, now)
    return ephemeral(statistics_text(stats))
