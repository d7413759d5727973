"""Run the workstation as ``python -m app`` (the PyInstaller entry point too)."""

import sys

from app.cli import main

sys.exit(main())
