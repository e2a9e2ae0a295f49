"""Every question vpclab can grade, gathered from the topic modules."""

from __future__ import annotations

from vpclab.grading.bank import cidr
from vpclab.grading.questions import Question

__all__ = ["ASSIGNMENTS", "QUESTIONS"]

_TOPICS = (cidr,)

QUESTIONS: dict[str, Question] = {q.id: q for topic in _TOPICS for q in topic.QUESTIONS}
ASSIGNMENTS: dict[str, tuple[str, ...]] = {
    name: ids for topic in _TOPICS for name, ids in topic.ASSIGNMENTS.items()
}
