#!/usr/bin/env python3
"""Build the site: `python build.py [ccdir build options]` (same as `ccdir build`)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

from ccdir.cli import main

if __name__ == "__main__":
    main(["build", *sys.argv[1:]])
