"""The extractors' word lists, loaded once from data/lexicon.yml."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).parent / "data"

LEXICON: dict[str, Any] = yaml.safe_load((DATA / "lexicon.yml").read_text(encoding="utf-8"))
