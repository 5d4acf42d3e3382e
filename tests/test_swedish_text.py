"""All user-visible text is in messages/: no string in bot/ or handlers/ holds a Swedish letter (comments and
docstrings may), messages/ builds no Swedish sentence with an f-string (a template inserts values, escaped), and its
Python holds no Swedish text either: sentences are templates, fixed texts are in templates/labels.toml."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BOT = ROOT / "bot"
SWEDISH_LETTERS = set("åäöÅÄÖ")
# bot/demo/ is the demo's script: what its people type and say, in Swedish, as a user would.
EXEMPT = {"demo"}
# messages/swedish.py holds the Swedish calendar's month and weekday names: date-formatting data beside the code
# that formats dates with them (date_short abbreviates a month to its first three letters), not wording to edit.
MESSAGES_EXEMPT = {"messages/swedish.py"}


def _docstrings(tree: ast.Module) -> set[int]:
    """The ids of the module's, classes' and functions' docstring nodes."""
    owners = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    return {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, owners) and node.body and isinstance(node.body[0], ast.Expr)
    }


def swedish_strings(source: str) -> list[tuple[int, str]]:
    """(line, text) of each string in `source`, f-string parts included, that holds å, ä or ö."""
    tree = ast.parse(source)
    docstrings = _docstrings(tree)
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and SWEDISH_LETTERS & set(node.value)
    ]


def test_the_check_sees_strings_and_f_strings_but_not_comments_or_docstrings():
    source = '"""Modul på svenska."""\n\n\ndef f(x):\n    """Gör något."""\n    # en kommentar på svenska\n'
    assert swedish_strings(source) == []
    assert swedish_strings(source + '    return f"Hej {x}, välkommen"\n') == [(7, ", välkommen")]
    assert swedish_strings('HEADING = "Förändring"\n') == [(1, "Förändring")]


def _swedish_in(package: Path) -> dict[str, list[tuple[int, str]]]:
    """The strings with Swedish letters in each module of `package` (its EXEMPT subpackages left out)."""
    found = {}
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package.parent).as_posix()
        if path.relative_to(package).parts[0] in EXEMPT:
            continue
        strings = swedish_strings(path.read_text(encoding="utf-8"))
        if strings:
            found[relative] = strings
    return found


def test_no_module_in_bot_holds_swedish_text():
    found = _swedish_in(BOT)
    assert found == {}, f"Swedish text belongs in messages/ (a template or a labels module): {found}"


def test_no_module_in_handlers_holds_swedish_text():
    found = _swedish_in(ROOT / "handlers")
    assert found == {}, f"Swedish text belongs in messages/ (a template or a labels module): {found}"


def test_no_module_in_messages_holds_swedish_text():
    found = {}
    for path in sorted((ROOT / "messages").rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if relative in MESSAGES_EXEMPT:
            continue
        if strings := swedish_strings(path.read_text(encoding="utf-8")):
            found[relative] = strings
    assert found == {}, (
        f"fixed Swedish text belongs in messages/templates/labels.toml, sentences in a template: {found}"
    )


def test_the_messages_exemption_is_still_needed():
    """An exempt file that no longer holds Swedish text leaves the list, so the exemption cannot outlive it."""
    for relative in MESSAGES_EXEMPT:
        assert swedish_strings((ROOT / relative).read_text(encoding="utf-8")), relative


def swedish_f_strings(source: str) -> list[int]:
    """The lines of f-strings whose own text (not what they insert) holds å, ä or ö."""
    return [
        node.lineno
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.JoinedStr)
        and any(isinstance(part, ast.Constant) and SWEDISH_LETTERS & set(part.value) for part in node.values)
    ]


def test_messages_builds_no_swedish_sentence_with_an_f_string():
    assert swedish_f_strings('x = f"Hej {name}, välkommen"\ny = f"{a}: {b} → {c}"\n') == [1]
    found = {}
    for path in sorted((ROOT / "messages").rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if lines := swedish_f_strings(path.read_text(encoding="utf-8")):
            found[relative] = lines
    assert found == {}, f"a Swedish sentence with inserted values belongs in a template (messages/templates/): {found}"
