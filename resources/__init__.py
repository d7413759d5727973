"""Icons, translations, sample terminologies and the demo project's recipe."""

from pathlib import Path

RESOURCES_DIR = Path(__file__).resolve().parent
