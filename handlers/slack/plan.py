"""/kommunikationsplan: the next 14 days of the plan, a filtered view, or delivery status (bot/plan/command.py)."""

from slack_bolt import Ack, App, BoltContext, Respond

from bot.plan.command import plan_help, plan_reply
from bot.runtime import Runtime
from handlers.slack.actor import actor_of
from messages.slack.replies import reply


def register(app: App, runtime: Runtime) -> None:
    @app.command("/kommunikationsplan")
    def kommunikationsplan(ack: Ack, command: dict, respond: Respond, context: BoltContext) -> None:
        argument = command.get("text", "").strip()
        help_reply = plan_help(runtime.config, argument)
        if help_reply is not None:
            ack(reply(help_reply))
            return
        # The overview grows with the plan and the status reads the outbox (and may look the user up in Slack):
        # ack at once and answer through the response_url, as /uppfoljning does.
        ack()
        answer = plan_reply(
            engine=runtime.engine,
            config=runtime.config,
            asker=actor_of(context),
            argument=argument,
            now=runtime.clock.now(),
        )
        respond(**reply(answer))
