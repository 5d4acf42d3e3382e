"""`python3 -m bot.cli`: the same as the `samverkan` command."""

import sys

from bot.cli import main

sys.exit(main())
