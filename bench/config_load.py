"""Benchmark: loading a 200-item association file, and `samverkan plan check` on it.

The file is the example (bot/demo/vmkf.yaml) with generated plan items added until the plan has 200. Prints the
time to load and validate it (median of --repeat runs) with the YAML loader the bot uses (libyaml's C parser
where PyYAML has it) and with the pure-Python one, in the same run, and their ratio; then `plan check` in
process (bot.cli.main) both ways, and `python -m bot.cli plan check` as a new process, imports included.
Times are CPU time, so that other processes on the machine do not blur them. Prints figures; asserts nothing.

    python bench/config_load.py [--items 200] [--repeat 5]
"""

import argparse
import contextlib
import io
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.cli import main as cli_main  # noqa: E402
from bot.config import loader, yaml_reader  # noqa: E402
from messages.render import clear_template_caches  # noqa: E402

EXAMPLE = ROOT / "bot" / "demo" / "vmkf.yaml"

# Generated items cycle through these shapes, all valid against the example's people, forums and events.
SHAPES = [
    ("audience: {forums: [presidium]}", "dm",
     "{relative_to: board_meeting, offset_working_days: -%d, time: \"08:30\"}"),
    ("audience: {forums: [direktion]}", "channel", "{relative_to: board_meeting, offset_days: -%d, time: \"09:00\"}"),
    ("audience: {members: all, forums: [ledningsgrupp]}", "channel",
     "{rrule: \"FREQ=MONTHLY;BYDAY=TU;BYSETPOS=1;INTERVAL=%d\", start: 2027-01-01, time: \"08:30\"}"),
    ("audience: {departments: all}", "dm", "{rrule: \"FREQ=WEEKLY;BYDAY=MO;INTERVAL=%d\", start: 2027-01-04}"),
    ("audience: {roles: [quality_manager], people: [it-chef, lon-chef]}", "dm",
     "{relative_to: wide_group_meeting, offset_working_days: %d, time: \"10:00\"}"),
]  # fmt: skip


def generated_items(count: int) -> str:
    """`count` plan items in the example's block style, each with a multi-line template."""
    blocks = []
    for number in range(count):
        audience, delivery, schedule = SHAPES[number % len(SHAPES)]
        blocks.append(
            f"""
  - id: genererad-{number:03d}
    title: Genererad punkt {number}
    purpose: En punkt i planen som benchmarken lägger till ({number}).
    {audience}
    delivery: {delivery}
    schedule: {schedule % (number % 9 + 1)}
    owner: {("forbundschef", "kvalitetschef", "kommunikator")[number % 3]}
    message: |
      Hej! Det här är punkt {number} i {{{{ association.name }}}}s kommunikationsplan.
      {{% if event %}}Mötet {{{{ event.title }}}} är {{{{ event.date | datum }}}}.{{% endif %}}
      {{% if chair %}}Ordförandekommun är {{{{ chair.name }}}}.{{% endif %}} Ansvarig: {{{{ owner.name }}}}.
"""
        )
    return "".join(blocks)


def association_file(items: int) -> str:
    """The example file with its plan grown to `items` items."""
    text = EXAMPLE.read_text(encoding="utf-8")
    existing = ("\n" + text.split("\nplan:\n", 1)[1].split("\ngoals:", 1)[0]).count("\n  - id: ")
    head, tail = text.split("\n# Goals and indicators", 1)
    return head.rstrip("\n") + "\n" + generated_items(max(items - existing, 0)) + "\n# Goals and indicators" + tail


@contextlib.contextmanager
def pure_python_yaml() -> Iterator[None]:
    """Make the loader use PyYAML's pure-Python parser, as it did before it used the C one."""
    saved = yaml_reader.YAML_LOADER
    yaml_reader.YAML_LOADER = yaml_reader.PurePythonLoader
    try:
        yield
    finally:
        yaml_reader.YAML_LOADER = saved


def median_seconds(run: Callable[[], object], repeat: int) -> float:
    """The median CPU time of `run` (steady while other processes share the machine), each time as a new process
    would pay it (no template compiled yet)."""
    times = []
    for _ in range(repeat):
        clear_template_caches()
        start = time.process_time()
        run()
        times.append(time.process_time() - start)
    return statistics.median(times)


def plan_check(path: Path) -> None:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        code = cli_main(["plan", "check", "--config", str(path)])
    if code != 0:
        raise SystemExit(f"plan check failed on the generated file ({code})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--items", type=int, default=200, help="plan items in the file (default 200)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure; the median is printed (default 5)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "samverkan.yaml"
        path.write_text(association_file(args.items), encoding="utf-8")
        config = loader.load_config(path)
        print(f"file: {len(config.plan)} plan items, {path.stat().st_size / 1024:.0f} KiB")
        print(f"YAML parser in use: {yaml_reader.YAML_LOADER.__name__}")

        load = median_seconds(lambda: loader.load_config(path), args.repeat)
        check = median_seconds(lambda: plan_check(path), args.repeat)
        with pure_python_yaml():
            load_pure = median_seconds(lambda: loader.load_config(path), args.repeat)
            check_pure = median_seconds(lambda: plan_check(path), args.repeat)
        yaml_only = median_seconds(
            lambda: yaml_reader.parse_yaml(path.read_text(encoding="utf-8"), str(path)), args.repeat
        )
        with pure_python_yaml():
            yaml_only_pure = median_seconds(
                lambda: yaml_reader.parse_yaml(path.read_text(encoding="utf-8"), str(path)), args.repeat
            )

        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "bot.cli", "plan", "check", "--config", str(path)],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime

    print(f"{'CPU time, median':34}{'in use':>10}{'pure Python':>14}{'ratio':>8}")
    for label, used, pure in (
        ("parse YAML", yaml_only, yaml_only_pure),
        ("load_config (parse + validate)", load, load_pure),
        ("plan check (in process)", check, check_pure),
    ):
        print(f"{label:34}{used * 1000:>8.0f}ms{pure * 1000:>12.0f}ms{pure / used:>7.1f}x")
    print(f"plan check as a new process (imports included): {cpu * 1000:.0f} ms CPU, {wall * 1000:.0f} ms wall")


if __name__ == "__main__":
    main()
