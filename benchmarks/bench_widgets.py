"""Widget latency: the time from a control change to the updated output, for every lesson widget.

Run: ``python -m benchmarks.bench_widgets [--json] [--rounds N]``. Each widget is built as its
lesson builds it (lesson-sized worlds); then each of its controls is changed in turn (a slider
stepped, a dropdown or toggle cycled, a button clicked) and the time until the view's value
is replaced is measured, in the kernel process, as ipywidgets runs the callback. "With graph"
is the real update, graphviz's ``dot`` included; "engine only" is the same update with ``dot``
switched off, so that pictures fall back to their text outline and only vpclab's own work is
timed. The browser's own drawing is not included.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable, Iterator
from typing import Any
from unittest import mock

import ipywidgets as widgets

from vpclab import render
from vpclab.widgets import WIDGETS

TARGETS = {"engine_p95_ms": 50.0, "graph_p95_ms": 250.0}


def _controls(widget: widgets.Widget) -> Iterator[widgets.Widget]:
    """Every control in the widget tree, in display order (the view last)."""
    children = getattr(widget, "children", ())
    if not children and isinstance(widget, widgets.ValueWidget | widgets.Button):
        yield widget
    for child in children:
        yield from _controls(child)


def _view(widget: widgets.Widget) -> widgets.Widget:
    """The widget's output: the child carrying the CSS class vpclab-view."""
    for child in getattr(widget, "children", ()):
        if "vpclab-view" in getattr(child, "_dom_classes", ()):
            return child
        found = _view_or_none(child)
        if found is not None:
            return found
    raise LookupError("widget without a vpclab-view")


def _view_or_none(widget: widgets.Widget) -> widgets.Widget | None:
    try:
        return _view(widget)
    except LookupError:
        return None


def _changes(control: widgets.Widget) -> Iterator[Callable[[], None]]:
    """Ways to move one control that a learner could make (none for free-text boxes)."""
    if isinstance(control, widgets.Button):
        yield control.click
    elif isinstance(control, widgets.IntSlider | widgets.FloatSlider):
        for value in (control.min, control.max, (control.min + control.max) // 2):
            yield lambda c=control, v=value: setattr(c, "value", v)
    elif isinstance(control, widgets.Checkbox | widgets.ToggleButton):
        yield lambda c=control: setattr(c, "value", not c.value)
    elif isinstance(control, widgets.Dropdown | widgets.ToggleButtons | widgets.RadioButtons | widgets.Select):
        for label in [o[0] if isinstance(o, tuple) else o for o in control.options][:4]:
            yield lambda c=control, v=label: setattr(c, "label", str(v))


def measure(factory: Callable[[], widgets.Widget], rounds: int) -> list[float]:
    """Milliseconds per control change that replaced the view's value (after one warm-up round,
    which pays for imports and caches as running the lesson's cells would)."""
    times: list[float] = []
    for round_ in range(rounds + 1):
        widget = factory()
        view = _view(widget)
        for control in list(_controls(widget)):
            if control is view:
                continue
            for change in _changes(control):
                before = view.value
                start = time.perf_counter()
                change()
                elapsed = (time.perf_counter() - start) * 1000
                if view.value != before and round_ > 0:
                    times.append(elapsed)
    return times


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18] if len(values) >= 2 else (values[0] if values else 0.0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    rows: list[dict[str, Any]] = []
    engine_all: list[float] = []
    graph_all: list[float] = []
    for name, factory in WIDGETS.items():
        graph = measure(factory, args.rounds)
        with mock.patch.object(render, "dot_available", return_value=False):
            engine = measure(factory, args.rounds)
        engine_all += engine
        graph_all += graph
        rows.append({"widget": name, "changes": len(graph), "engine_p50_ms": statistics.median(engine),
                     "engine_p95_ms": p95(engine), "graph_p50_ms": statistics.median(graph),
                     "graph_p95_ms": p95(graph)})
    figures = {"engine_p95_ms": round(p95(engine_all), 2), "graph_p95_ms": round(p95(graph_all), 2),
               "worst_widget_engine_p95_ms": round(max(r["engine_p95_ms"] for r in rows), 2),
               "worst_widget_graph_p95_ms": round(max(r["graph_p95_ms"] for r in rows), 2),
               "changes_measured": len(graph_all)}
    print(f"{'widget':<22} {'changes':>7} {'engine p50':>11} {'engine p95':>11} {'graph p50':>10} {'graph p95':>10}")
    for row in rows:
        print(f"{row['widget']:<22} {row['changes']:>7} {row['engine_p50_ms']:>9.1f}ms {row['engine_p95_ms']:>9.1f}ms"
              f" {row['graph_p50_ms']:>8.1f}ms {row['graph_p95_ms']:>8.1f}ms")
    held = {key: target for key, target in TARGETS.items()}
    held.update({f"worst_widget_{key}": target for key, target in TARGETS.items()})
    for key, target in held.items():
        verdict = "ok" if figures[key] <= target else "OVER TARGET"
        print(f"{key}: {figures[key]:.1f} ms (target ≤ {target:.0f} ms) {verdict}")
    if args.json:
        print(json.dumps({**figures, **{f"{k}_target": v for k, v in held.items()}}))
    return 0 if all(figures[k] <= t for k, t in held.items()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
