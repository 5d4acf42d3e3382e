"""A file that cannot be read as an association file at all gets one line on stderr and exit 1, no traceback."""

from pathlib import Path

import pytest

from bot.cli import main
from bot.config import yaml_reader

COMMANDS = [["plan", "check"], ["plan", "show"], ["cases", "purge", "--dry-run"]]


def _folder(tmp_path: Path) -> Path:
    (tmp_path / "konfig").mkdir()
    return tmp_path / "konfig"


def _latin1(tmp_path: Path) -> Path:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("association:\n  id: vmkf\n  name: Västra Mälardalens kommunalförbund\n".encode("latin-1"))
    return path


def _text(text: str):
    def write(tmp_path: Path) -> Path:
        path = tmp_path / "samverkan.yaml"
        path.write_text(text, encoding="utf-8")
        return path

    return write


FILES = [
    ("a folder", _folder, ": is a folder, not a file: name the association file itself"),
    ("not UTF-8", _latin1, ":3: not UTF-8 text: byte 0xe4 at column 10 cannot be read; save the file as UTF-8"),
    ("empty", _text(""),
     ": the file is empty: it must be a YAML mapping of sections (association:, people:, roles: ...)"),
    ("comments only", _text("# Samverkan\n\n"), ": the file is empty: it must be a YAML mapping of sections"),
    ("a list", _text("- association\n- people\n"),
     ":1: the top level is a list: it must be a YAML mapping of sections"),
    ("a word", _text("samverkan\n"), ":1: the top level is a single value: it must be a YAML mapping of sections"),
    ("not YAML", _text("association:\n  name: [VMKF\npeople: []\n"),
     ":3: not valid YAML: while parsing a flow sequence (line 2, column 9): "),
    ("a control character", _text("association:\n  name: V\x00MKF\n"),
     ":2: not valid YAML: unacceptable character #x0000: "),
    ("two documents", _text("association: {}\n---\npeople: []\n"),
     ":2: not valid YAML: expected a single document in the stream (line 1, column 1): but found another document"),
    ("an unquoted template", _text("plan:\n  - message: {{ event.title }}\n"),
     ":2: not valid YAML: while constructing a mapping (line 2, column 14): found unhashable key at column 15 "
     "(a value that starts with {{ must be quoted, or written as a block with |)"),
]  # fmt: skip


@pytest.fixture(params=sorted({yaml_reader.YAML_LOADER, yaml_reader.PurePythonLoader}, key=lambda cls: cls.__name__))
def yaml_loader(request, monkeypatch):
    """Each test with libyaml's parser (where PyYAML has it) and with the pure-Python fallback."""
    monkeypatch.setattr(yaml_reader, "YAML_LOADER", request.param)


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
@pytest.mark.parametrize(("make", "message"), [case[1:] for case in FILES], ids=[case[0] for case in FILES])
def test_an_unreadable_file_is_one_line(tmp_path, capsys, yaml_loader, command, make, message):
    """plan check reports a problem it found (exit 1); the other commands cannot run on the file (exit 2)."""
    path = make(tmp_path)
    assert main([*command, "--config", str(path)]) == (1 if command[:2] == ["plan", "check"] else 2)
    out, err = capsys.readouterr()
    assert out == ""
    assert "Traceback" not in err
    assert err.count("\n") == 1 and err.endswith("\n"), err
    assert err.startswith(f"{path}{message}"), err
