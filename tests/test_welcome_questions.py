"""The welcome lesson's questions: answers computed from its worked example, hints when wrong."""

from __future__ import annotations

from vpclab.grading import evaluate
from vpclab.grading.bank import ASSIGNMENTS
from vpclab.grading.bank.welcome import INTERNET_HOST, web_server
from vpclab.i18n import message


def test_the_worked_example_answers_the_questions() -> None:
    cloud, web = web_server()
    assert cloud.trace(INTERNET_HOST, web, "tcp", 443).reachable
    assert evaluate("welcome.c1", 251).correct and evaluate("welcome.c2", True).correct
    assert evaluate("welcome.c3", " eni_sg_rules_mismatch ").correct


def test_a_wrong_answer_gets_the_questions_hint() -> None:
    for question, wrong in [("welcome.c1", 256), ("welcome.c2", False), ("welcome.c3", "NO_ROUTE_TO_DESTINATION")]:
        feedback = evaluate(question, wrong)
        assert (feedback.status, feedback.hint) == ("incorrect", message(f"hint.{question}"))


def test_the_welcome_lesson_has_no_exercise() -> None:
    assert not any(name.startswith("00_") for name in ASSIGNMENTS)
