"""The Jinja2 environment: Swedish filters, mrkdwn escaping of every inserted value, sandboxed templates."""

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined, Template, meta, nodes
from jinja2.sandbox import SandboxedEnvironment

from messages import swedish
from messages.mrkdwn import Mrkdwn, channel_reference, escape, link, user_mention
from messages.text_limits import swedish_count

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
        tal=swedish_count,
    )
    environment.globals["plural"] = swedish.plural
    return environment


ENVIRONMENT = _environment()
# The same environment (loader, filters, sandbox) for files that are not chat messages (a calendar, a
# spreadsheet): their writers escape for their own format, so a value is inserted as it is; None as nothing.
PLAIN_ENVIRONMENT = ENVIRONMENT.overlay(finalize=lambda value: "" if value is None else value)


@cache
def _parsed(source: str) -> nodes.Template:
    """A template string's syntax tree, parsed once for finding its names and compiling it (raises
    TemplateSyntaxError)."""
    return ENVIRONMENT.parse(source)


@cache
def compile_template(source: str) -> Template:
    """Compile a template string from the configuration (cached; raises TemplateSyntaxError)."""
    return ENVIRONMENT.from_string(_parsed(source))


@cache
def template_names(source: str) -> frozenset[str]:
    """The names a template string takes from its context (the environment's globals and filters excluded)."""
    return frozenset(meta.find_undeclared_variables(_parsed(source)) - set(ENVIRONMENT.globals))


def clear_template_caches() -> None:
    """Forget every parsed and compiled template string, as a new process would start (for bench/)."""
    for cached in (_parsed, compile_template, template_names):
        cached.cache_clear()


def render_string(source: str, **context: Any) -> str:
    return compile_template(source).render(**context).strip()


def render(name: str, **context: Any) -> str:
    """Render `templates/<name>.j2` with every inserted value escaped for mrkdwn."""
    return ENVIRONMENT.get_template(f"{name}.j2").render(**context).strip()


def render_plain(name: str, **context: Any) -> str:
    """Render `templates/<name>.j2` for a file format that escapes itself (iCalendar, CSV, Excel): no mrkdwn
    escaping, and nothing stripped, so an inserted value keeps its every character."""
    return PLAIN_ENVIRONMENT.get_template(f"{name}.j2").render(**context)


__all__ = [
    "Mrkdwn",
    "clear_template_caches",
    "compile_template",
    "render",
    "render_plain",
    "render_string",
    "template_names",
]
