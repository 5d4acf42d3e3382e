"""Start-up time of the command line: `python3 -m bot.cli --help` against a bare `python3 -c pass`.

Each is run as a fresh process from the checkout, alternating, so machine noise hits both alike; prints the
median and the best time of each and the ratio of the medians. Target: `--help` under 0.4 s.

    python3 bench/cli_startup.py [--runs 15] [--checkout PATH] [--json]

--checkout runs another checkout's code (e.g. the main branch's, for a before/after comparison).
"""

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "python -m bot.cli --help": [sys.executable, "-m", "bot.cli", "--help"],
    "python -m bot.cli plan check --help": [sys.executable, "-m", "bot.cli", "plan", "check", "--help"],
}


def _time(command: list[str], checkout: Path) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=checkout, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs of each command (default: 15)")
    parser.add_argument("--checkout", type=Path, default=ROOT, help="the checkout to run (default: this one)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args()
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for command in COMMANDS.values():  # warm the file cache and the bytecode
        _time(command, args.checkout)
    for _ in range(args.runs):
        for name, command in COMMANDS.items():
            times[name].append(_time(command, args.checkout))
    medians = {name: statistics.median(values) for name, values in times.items()}
    baseline = medians["python -c pass"]
    if args.json:
        print(json.dumps({"median_s": medians, "ratio": {n: m / baseline for n, m in medians.items()}}, indent=2))
        return
    for name, values in times.items():
        print(
            f"{name:38} median {medians[name] * 1000:7.1f} ms   best {min(values) * 1000:7.1f} ms   "
            f"{medians[name] / baseline:5.1f}x python -c pass"
        )


if __name__ == "__main__":
    main()
