"""Per-learner variants: neighbours get different numbers, the grader rebuilds each learner's.

An exercise notebook starts with ``vpclab.start("05_nat", learner="kim")``. From then on,
the question parameters of that assignment (CIDR blocks, ports, how many hosts…) are taken
from the learner's :class:`Variant`: derived deterministically from the assignment and the
learner id (SHA-256), so the same learner always gets the same numbers and the grader, given
the learner id from its roster or the submission's file name, rebuilds them. Without a
learner the *default* variant is used: every parameter takes its default value, the numbers
the solution notebooks show and nbval checks.

A question bank asks for a parameter with ``param("05_nat", "hosts", 4, (3, 4, 5, 6))``: the
default, then the values a learner's variant picks from.

>>> Variant("05_nat").id
'default'
>>> a, b = Variant("05_nat", "kim"), Variant("05_nat", "lee")
>>> a.id != b.id and a.id == Variant("05_nat", " Kim ").id
True
>>> Variant("05_nat").pick("hosts", 4, (3, 5, 6))
4
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

from vpclab.display import Displayable, Table
from vpclab.errors import InvalidValue
from vpclab.i18n import message

__all__ = ["DEFAULT", "Parameters", "Variant", "active", "learner_of", "param", "parameter_table",
           "parameter_values", "start", "using"]

T = TypeVar("T")
DEFAULT = "default"


def _normal(learner: str) -> str:
    return " ".join(learner.split()).casefold()


@dataclass(frozen=True, slots=True)
class Variant(Displayable):
    """The parameters of one assignment for one learner (``learner=None``: the default variant)."""

    assignment: str
    learner: str | None = None

    @property
    def id(self) -> str:
        if self.learner is None:
            return DEFAULT
        digest = hashlib.sha256(f"{self.assignment}\n{_normal(self.learner)}".encode()).hexdigest()
        return digest[:12]

    def pick(self, key: str, default: T, choices: Sequence[T]) -> T:
        """``default`` in the default variant; otherwise one of ``choices``, the same every time."""
        if self.learner is None or not choices:
            return default
        digest = hashlib.sha256(f"{self.id}\n{key}".encode()).digest()
        return choices[int.from_bytes(digest[:8], "big") % len(choices)]

    def _text_(self) -> str:
        if self.learner is None:
            return message("variant.default", assignment=self.assignment)
        return message("variant.learner", assignment=self.assignment, learner=self.learner, id=self.id)

    def _html_(self) -> str:
        return f'<div class="vpclab-variant">{html.escape(self._text_())}</div>'


_active: ContextVar[dict[str, Variant] | None] = ContextVar("vpclab_variants", default=None)
_started: dict[str, Variant] = {}  # what start() chose in this process (a learner's kernel)


def active(assignment: str) -> Variant:
    """The variant in force for ``assignment``: the grader's (``using``), else ``start``'s, else default."""
    chosen = _active.get()
    if chosen is not None and assignment in chosen:
        return chosen[assignment]
    return _started.get(assignment, Variant(assignment))


def param(assignment: str, key: str, default: T, choices: Sequence[T]) -> T:
    """A question parameter of ``assignment`` in the variant in force."""
    return active(assignment).pick(key, default, choices)


def parameter_values(assignment: str, spec: Mapping[str, tuple[T, Sequence[T]]]) -> dict[str, T]:
    """Every parameter of ``spec`` (key → (default, choices)) in the variant in force."""
    return {key: param(assignment, key, default, choices) for key, (default, choices) in spec.items()}


def parameter_table(assignment: str, values: Mapping[str, object], meanings: Mapping[str, str]) -> Table:
    """A learner's numbers as the exercise notebook shows them: how the code names each one
    (``p['key']``), its value, and what it is for."""
    rows = [(f"p['{key}']", ", ".join(map(str, value)) if isinstance(value, tuple) else value, meanings[key])
            for key, value in values.items()]
    example = next(iter(values), "key")
    return Table([message("variant.params.name"), message("variant.params.value"), message("variant.params.meaning")],
                 rows, caption=message("variant.params.caption", variant=active(assignment).id, example=example))


@dataclass(frozen=True, slots=True)
class Parameters:
    """An assignment's question parameters, ``key → (default, choices)``, each described by the
    catalog message ``<labels>.<key>``. ``numbers["port"]`` is one value in the variant in force."""

    assignment: str
    spec: Mapping[str, tuple[object, Sequence[object]]]
    labels: str

    def __getitem__(self, key: str) -> Any:
        return param(self.assignment, key, *self.spec[key])

    def values(self) -> dict[str, Any]:
        """Every parameter in the variant in force (the default variant's are the practice numbers)."""
        return parameter_values(self.assignment, self.spec)

    def table(self) -> Table:
        """The same numbers, each with what it is for, for display."""
        values = self.values()
        return parameter_table(self.assignment, values, {key: message(f"{self.labels}.{key}") for key in values})


def start(assignment: str, learner: str | None = None) -> Variant:
    """Begin an exercise notebook: name the learner, so the questions use their own numbers."""
    from vpclab.grading.questions import assignment_questions

    assignment_questions(assignment)  # an unknown assignment is refused, with the known ones
    if learner is not None and (not isinstance(learner, str) or not learner.strip()):
        raise InvalidValue("InvalidParameterValue", message("variant.bad_learner", learner=learner),
                           fix=message("variant.bad_learner_fix"))
    variant = Variant(assignment, learner.strip() if learner else None)
    _started[assignment] = variant
    return variant


@contextmanager
def using(variant: Variant) -> Iterator[Variant]:
    """Within the block, ``variant`` is the one in force for its assignment (the grader uses this)."""
    chosen = dict(_active.get() or {})
    chosen[variant.assignment] = variant
    token = _active.set(chosen)
    try:
        yield variant
    finally:
        _active.reset(token)


def learner_of(path_stem: str, assignment: str) -> str | None:
    """The learner id in a submission's file name: ``kim_05_nat`` or ``05_nat-kim`` → ``kim``."""
    rest = path_stem.replace(assignment, "", 1) if assignment in path_stem else path_stem
    learner = rest.strip(" _-.")
    return learner or None
