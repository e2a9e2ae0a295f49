"""Per-learner variants and honest feedback (hidden checks are announced, never "all passed")."""

from __future__ import annotations

import pytest

from vpclab import InvalidValue, NotFound, start
from vpclab.grading.bank.firewall import _repair_answer
from vpclab.grading.check import evaluate
from vpclab.grading.score import Recorded, score_answers
from vpclab.grading.variant import Variant, active, learner_of, param, using

LEARNERS = [f"learner-{n}" for n in range(30)]


def test_the_same_learner_always_gets_the_same_numbers() -> None:
    assert Variant("05_nat", "kim").id == Variant("05_nat", "  KIM ").id
    picks = {Variant("05_nat", "kim").pick("hosts", 4, range(3, 30)) for _ in range(5)}
    assert len(picks) == 1


def test_neighbours_get_different_numbers() -> None:
    picks = [Variant("05_nat", who).pick("hosts", 4, range(3, 30)) for who in LEARNERS]
    assert len(set(picks)) >= 10
    assert len({Variant("05_nat", who).id for who in LEARNERS}) == len(LEARNERS)


def test_an_assignment_is_part_of_the_variant() -> None:
    assert Variant("05_nat", "kim").id != Variant("06_security_groups_nacls", "kim").id


def test_without_a_learner_every_parameter_is_its_default() -> None:
    assert all(Variant("05_nat").pick(f"k{n}", n, (-1, -2)) == n for n in range(20))


def test_start_refuses_unknown_assignments_and_empty_learners() -> None:
    with pytest.raises(NotFound, match=r"InvalidAssignment\.NotFound"):
        start("99_nothing", learner="kim")
    with pytest.raises(InvalidValue, match="is not a learner id"):
        start("05_nat", learner="   ")


def test_start_and_the_grader_choose_the_variant_in_force() -> None:
    try:
        chosen = start("05_nat", learner="kim")
        assert active("05_nat") == chosen and "kim" in chosen._text_()
        with using(Variant("05_nat", "lee")):
            assert active("05_nat").learner == "lee"
            assert param("05_nat", "x", 0, range(1000)) == Variant("05_nat", "lee").pick("x", 0, range(1000))
        assert active("05_nat").learner == "kim"
    finally:
        start("05_nat")  # back to the default variant for other tests in this process


def test_learner_ids_come_from_file_names() -> None:
    assert learner_of("kim_05_nat", "05_nat") == "kim"
    assert learner_of("05_nat-lee", "05_nat") == "lee"
    assert learner_of("05_nat", "05_nat") is None


def test_check_never_says_all_passed_while_hidden_checks_remain() -> None:
    everything_open = [{"rule_number": 100, "protocol": "-1", "action": "allow", "cidr": "0.0.0.0/0",
                        "egress": egress} for egress in (False, True)]
    in_notebook = evaluate("fw.q6", everything_open)
    assert in_notebook.status == "public-passed" and not in_notebook.correct
    assert "hidden check(s) will be graded later" in in_notebook.text and "correct" not in in_notebook.text
    graded = evaluate("fw.q6", everything_open, graded=True)
    assert graded.status == "incorrect" and "hidden check failed" in graded.text
    assert evaluate("fw.q6", _repair_answer(), graded=True).correct


def test_the_grader_grades_in_the_learners_variant_and_flags_another_variant() -> None:
    kim = Variant("02_cidr_subnets", "kim").id
    score = score_answers("02_cidr_subnets", {"cidr.q1": Recorded(1019, "0123456789ab")}, learner="kim")
    assert score.variant == kim and score.learner == "kim"
    assert any("cidr.q1" in flag and "0123456789ab" in flag for flag in score.flags)
    clean = score_answers("02_cidr_subnets", {"cidr.q1": Recorded(1019, kim)}, learner="kim")
    assert clean.flags == ()
