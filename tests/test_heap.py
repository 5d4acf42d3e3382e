"""What start-up built is kept out of the garbage collector's full collections."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Run in a process of its own: freezing this test process would keep every earlier test's objects for good.
SCRIPT = """
import gc
from bot.config import load_config
from bot.heap import freeze_startup_objects

config = load_config("bot/demo/vmkf.yaml")
tracked = len(gc.get_objects())
freeze_startup_objects()
print(tracked, gc.get_freeze_count(), sum(len(gc.get_objects(generation)) for generation in range(3)))
"""


def test_the_objects_alive_at_start_up_leave_the_collected_generations():
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True, cwd=ROOT)
    tracked, frozen, still_collected = (int(number) for number in done.stdout.split())

    assert tracked > 10_000  # the modules and the loaded configuration
    assert frozen >= tracked * 0.9  # all of it but what the collection before freezing freed
    assert still_collected < 100  # a full collection now walks almost nothing
