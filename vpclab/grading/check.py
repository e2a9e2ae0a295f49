"""Instant feedback in a notebook: ``check("cidr.q3", answer)``.

The answer is passed explicitly (nothing inspects the caller's variables). ``check``
displays a :class:`Feedback`: right or wrong, with a hint when wrong, and it records the
answer in the notebook output as JSON data (MIME type ``ANSWER_MIME``) so that a grader
can re-grade it later in its own process. ``...`` (Ellipsis) means "not answered yet".
"""

from __future__ import annotations

import html
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

from vpclab.display import Displayable
from vpclab.errors import VpcLabError
from vpclab.grading.answers import AnswerFormatError, canonical, jsonable
from vpclab.grading.questions import assignment_of, question
from vpclab.grading.variant import Variant, active, using
from vpclab.i18n import message

__all__ = ["ANSWER_MIME", "Feedback", "check", "evaluate"]

ANSWER_MIME = "application/vnd.vpclab.answer+json"
DEFAULT_VARIANT = "default"

_STYLE = {
    "correct": ("#1a7f37", "✓"),
    "incorrect": ("#cf222e", "✗"),
    "unreadable": ("#9a6700", "?"),
    "unanswered": ("#57606a", "…"),
    "public-passed": ("#0969da", "✓"),
}


@dataclass(frozen=True, slots=True)
class Feedback(Displayable):
    """The verdict on one answer. ``status`` is correct, incorrect, unreadable, unanswered, or
    public-passed (the public checks passed; hidden ones are left to the grader)."""

    question: str
    status: str
    text: str
    hint: str | None
    answer: Any  # the answer as recorded: plain JSON data, None when unanswered
    variant: str = DEFAULT_VARIANT

    @property
    def correct(self) -> bool:
        return self.status == "correct"

    def record(self) -> dict[str, Any]:
        """What is stored in the notebook for the grader."""
        return {
            "question": self.question,
            "answered": self.status != "unanswered",
            "answer": self.answer,
            "variant": self.variant,
        }

    def _text_(self) -> str:
        mark = _STYLE[self.status][1]
        lines = [f"{mark} {self.question}: {self.text}"]
        if self.hint:
            lines.append(message("check.hint", hint=self.hint))
        return "\n".join(lines)

    def _html_(self) -> str:
        color, mark = _STYLE[self.status]
        hint = (f"<div>{html.escape(message('check.hint', hint=self.hint))}</div>"
                if self.hint else "")
        return (
            f'<div class="vpclab-feedback {self.status}" style="border-left:4px solid {color};'
            f'padding:4px 8px;"><b style="color:{color}">{mark} {html.escape(self.question)}</b> '
            f"{html.escape(self.text)}{hint}</div>"
        )

    def _extra_(self) -> dict[str, Any]:
        return {ANSWER_MIME: self.record()}


def evaluate(question_id: str, answer: Any, *, variant: Variant | None = None, graded: bool = False) -> Feedback:
    """Judge ``answer`` to ``question_id`` in ``variant`` (default: the one in force) and say why.

    ``graded=False`` (a learner's ``check``) runs the public checks and says that hidden ones
    exist; ``graded=True`` (the grader) runs them all."""
    asked = question(question_id)
    assignment = assignment_of(question_id)
    chosen = variant or (active(assignment) if assignment else None)
    tag = chosen.id if chosen else DEFAULT_VARIANT
    if answer is Ellipsis:
        return Feedback(question_id, "unanswered", message("check.unanswered"), None, None, tag)
    recorded = jsonable(answer)
    try:
        given = canonical(asked.kind, answer)
    except AnswerFormatError as err:
        return Feedback(question_id, "unreadable", str(err), asked.hint, recorded, tag)
    with using(chosen) if chosen else nullcontext():
        try:
            right = asked.is_right(given)
            failed = [key for key, judge in asked.hidden if not judge(given)] if right and graded else []
        except VpcLabError as err:  # a judged answer (a design, a rule list) the engine refuses
            return Feedback(question_id, "incorrect", str(err), asked.hint, recorded, tag)
    if not right:
        return Feedback(question_id, "incorrect", message("check.incorrect"), asked.hint, recorded, tag)
    if failed:
        text = message("check.hidden_failed", checks="; ".join(message(key) for key in failed))
        return Feedback(question_id, "incorrect", text, asked.hint, recorded, tag)
    if asked.hidden and not graded:
        text = message("check.public_passed", count=len(asked.hidden))
        return Feedback(question_id, "public-passed", text, None, recorded, tag)
    return Feedback(question_id, "correct", message("check.correct"), None, recorded, tag)


def check(question_id: str, answer: Any) -> Feedback | None:
    """Show at once whether ``answer`` is right. In a notebook it displays the feedback and
    returns None (so it is not shown twice); elsewhere it returns the :class:`Feedback`."""
    feedback = evaluate(question_id, answer)
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with jupyterlab
        return feedback
    if get_ipython() is None:
        return feedback
    from IPython.display import display

    display(feedback)
    return None
