"""Extraction quality, ours beside the stock model, one table per task (same as
``missiongraph eval extraction``).  Usage: python bench/extraction.py [--task NAME ...] [--json]"""

from __future__ import annotations

import sys

from missiongraph.cli import cli

if __name__ == "__main__":
    sys.exit(cli.main(args=["eval", "extraction", *sys.argv[1:]], prog_name="bench/extraction.py"))
