"""Cross-section checks for the `cases:` section: departments, handlers and the digest forum must exist."""

from typing import Any

from bot.config.cases_model import CaseDigest, CasesConfig
from bot.config.salvage import list_of


def check_case_references(check: Any) -> None:
    """Add every broken reference in `cases` to the checker's problems (`check` is references._Checker)."""
    cases = check.sections.get("cases")
    if not isinstance(cases, CasesConfig):
        return
    routed: set[str] = set()
    routes = list_of(cases.routing)
    for index, route in enumerate(routes):
        loc = ("cases", "routing", index)
        check.reference((*loc, "department"), route.department, "departments", "department")
        check.references((*loc, "handlers"), route.handlers, "people", "person")
        if not isinstance(route.department, str):
            continue
        if route.department in routed:
            check.problems.append(((*loc, "department"), f"department '{route.department}' is routed twice"))
        routed.add(route.department)
    departments = check.ids("departments")
    # A route whose department did not validate may be the one a department seems to lack.
    complete = isinstance(cases.routing, list) and all(isinstance(route.department, str) for route in routes)
    if departments is not None and complete:
        for missing in sorted(departments - routed):
            check.problems.append((("cases", "routing"), f"department '{missing}' has no triage channel for cases"))
    if isinstance(cases.digest, CaseDigest):
        loc = ("cases", "digest", "forum")
        check.reference(loc, cases.digest.forum, "forums", "forum")
        forums = {forum.id: forum for forum in check.entries("forums") if isinstance(forum.id, str)}
        forum = forums.get(cases.digest.forum) if isinstance(cases.digest.forum, str) else None
        if forum is not None and forum.channel is None:
            check.problems.append((loc, f"forum '{forum.id}' has no channel for the statistics digest"))
