"""How a benchmark prints its figures: a readable table, then (with --json) one JSON line."""

from __future__ import annotations

import json
from collections.abc import Mapping


def print_figures(title: str, figures: Mapping[str, object], *, as_json: bool) -> None:
    """``title``, then each figure with its target (``<name>_target``) beside it; with
    ``as_json`` the figures as one JSON object on the last line (DESIGN.md §8)."""
    print(title)
    for name, value in figures.items():
        if not name.endswith("_target"):
            print(f"  {name:<20} {value!s:>10} {figures.get(f'{name}_target', '')}")
    if as_json:
        print(json.dumps(figures))
