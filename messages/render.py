"""The Jinja2 environment: Swedish filters, mrkdwn escaping of every inserted value, sandboxed templates."""

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined, Template, meta
from jinja2.sandbox import SandboxedEnvironment

from messages import swedish
from messages.deliveries import channel_reference
from messages.mrkdwn import Mrkdwn, escape, link, user_mention

TEMPLATES = Path(__file__).parent / "templates"


def _environment() -> SandboxedEnvironment:
    environment = SandboxedEnvironment(
        loader=FileSystemLoader(TEMPLATES),
        undefined=StrictUndefined,
        finalize=escape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    environment.filters.update(
        datum=swedish.date_long,
        kortdatum=swedish.date_short,
        tid=swedish.time_of_day,
        anvandare=user_mention,
        kanal=channel_reference,
        lank=link,
    )
    environment.globals["plural"] = swedish.plural
    return environment


ENVIRONMENT = _environment()


@cache
def compile_template(source: str) -> Template:
    """Compile a template string from the configuration (cached; raises TemplateSyntaxError)."""
    return ENVIRONMENT.from_string(source)


def template_names(source: str) -> set[str]:
    """The names a template string takes from its context (the environment's globals and filters excluded)."""
    return meta.find_undeclared_variables(ENVIRONMENT.parse(source)) - set(ENVIRONMENT.globals)


def render_string(source: str, **context: Any) -> str:
    return compile_template(source).render(**context).strip()


def render(name: str, **context: Any) -> str:
    """Render `templates/<name>.j2` with every inserted value escaped for mrkdwn."""
    return ENVIRONMENT.get_template(f"{name}.j2").render(**context).strip()


__all__ = ["Mrkdwn", "compile_template", "render", "render_string", "template_names"]
