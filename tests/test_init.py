"""`samverkan init`: a commented starter configuration that passes plan check, never written over by accident."""

import re

from bot.cli import main
from bot.golive.starter import STARTER


def test_init_then_plan_check_passes(tmp_path, capsys):
    out = tmp_path / "forbundet.yaml"
    assert main(["init", "--out", str(out)]) == 0
    assert capsys.readouterr().out.startswith(f"wrote {out}: replace its placeholders")
    assert main(["plan", "check", "--config", str(out)]) == 0
    assert capsys.readouterr().out == f"{out}: OK – 2 plan items, 4 people, 1 forum, 1 event\n"


def test_init_writes_samverkan_yaml_where_the_other_commands_look_by_default(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SAMVERKAN_CONFIG", raising=False)
    assert main(["init"]) == 0
    assert (tmp_path / "samverkan.yaml").read_text(encoding="utf-8") == STARTER.read_text(encoding="utf-8")
    assert main(["plan", "check"]) == 0


def test_init_refuses_to_overwrite_unless_forced(tmp_path, capsys):
    out = tmp_path / "samverkan.yaml"
    out.write_text("association: {id: mitt}\n", encoding="utf-8")
    assert main(["init", "--out", str(out)]) == 2
    assert (
        capsys.readouterr().err
        == f"samverkan: {out} exists: pass --force to overwrite it, or choose another --out FILE\n"
    )
    assert out.read_text(encoding="utf-8") == "association: {id: mitt}\n"
    assert main(["init", "--out", str(out), "--force"]) == 0
    assert main(["plan", "check", "--config", str(out)]) == 0


def test_init_into_a_folder_or_a_missing_folder_is_one_line(tmp_path, capsys):
    assert main(["init", "--out", str(tmp_path)]) == 2
    assert capsys.readouterr().err.startswith(f"samverkan: --out {tmp_path} is a folder")
    assert main(["init", "--out", str(tmp_path / "saknas" / "x.yaml")]) == 2
    assert "No such file or directory" in capsys.readouterr().err


def test_the_optional_sections_pass_plan_check_once_uncommented(tmp_path, capsys):
    """Lines of YAML are commented out with a bare '#' ('#goals:', '#  - id: ...'); explanations with '# '."""
    text = STARTER.read_text(encoding="utf-8")
    uncommented = re.sub(r"(?m)^#(?=\S|  )", "", text)
    assert "\ngoals:" in uncommented and "\nfollowup_rounds:" in uncommented and "\ncases:" in uncommented
    out = tmp_path / "full.yaml"
    out.write_text(uncommented, encoding="utf-8")
    assert main(["plan", "check", "--config", str(out)]) == 0, capsys.readouterr().err
