"""/kommunikationsplan: the next 14 days of the plan, a filtered view, or delivery status."""

from slack_bolt import Ack, App, BoltContext, Respond

from bot.delivery.status import delivery_status
from bot.plan.overview import find_subject, subjects, upcoming
from bot.runtime import Runtime
from handlers.slack.actor import Actor, actor_of
from handlers.slack.replies import DOMAIN_ERRORS, reply_text
from messages.commands import HELP_WORDS
from messages.slack.replies import ephemeral, template_reply
from storage.engine import session_scope

DAYS = 14


def register(app: App, runtime: Runtime) -> None:
    @app.command("/kommunikationsplan")
    def kommunikationsplan(ack: Ack, command: dict, respond: Respond, context: BoltContext) -> None:
        argument = command.get("text", "").strip()
        help_reply = _help(runtime, argument)
        if help_reply is not None:
            ack(help_reply)
            return
        # The overview grows with the plan and the status reads the outbox (and may look the user up in Slack):
        # ack at once and answer through the response_url, as /uppfoljning does.
        ack()
        respond(**_reply(runtime, argument, actor_of(context)))


def _help(runtime: Runtime, argument: str) -> dict | None:
    """The help, for a help word or an argument that names nothing; None for the overview and the status."""
    config = runtime.config
    if not argument or argument.casefold() == "status":
        return None
    if argument.casefold() not in HELP_WORDS and find_subject(config, argument) is not None:
        return None
    unknown = "" if argument.casefold() in HELP_WORDS else argument
    names = [s.name for s in subjects(config)]
    return template_reply("plan_help", unknown=unknown, choices=names, example=_example(config))


def _reply(runtime: Runtime, argument: str, actor: Actor) -> dict:
    config, now = runtime.config, runtime.clock.now()
    if argument.casefold() == "status":
        with session_scope(runtime.engine) as session:
            try:  # an unknown user (None) is told, as anyone else, that the status is not theirs to see
                view = delivery_status(session=session, config=config, person=actor.person())
            except DOMAIN_ERRORS as error:
                return ephemeral(reply_text(error, runtime))
        return template_reply("delivery_status", view=view)
    subject = find_subject(config, argument) if argument else None
    owners = {person.id: person.name for person in config.people}
    entries = upcoming(config, now, DAYS, subject)
    return template_reply("plan_overview", upcoming=entries, days=DAYS, subject=subject, owners=owners)


def _example(config) -> str:
    return config.departments[0].id if config.departments else "direktion"
