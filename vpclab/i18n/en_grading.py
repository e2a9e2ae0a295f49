"""Messages of grading for homework: variants, hidden checks, the grade report."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "check.public_passed": "public checks passed; {count} hidden check(s) will be graded later, "
                           "so this is not a final mark",
    "check.hidden_failed": "the public checks passed, but a hidden check failed: {checks}",
    "variant.default": "{assignment}: the practice numbers (no learner named); if your teacher gave you a "
                       "learner id, set LEARNER to it in this cell and run it again",
    "variant.learner": "{assignment} for {learner}: your own variant {id}; your numbers differ from your "
                       "neighbours'",
    "variant.bad_learner": "{learner!r} is not a learner id",
    "variant.bad_learner_fix": "give the id your teacher gave you as text, e.g. "
                               "vpclab.start('05_nat', learner='kim-2024-17')",
    "variant.mismatch": "{question}: answered in variant {recorded}, but {learner}'s variant is {expected} "
                        "(another learner's numbers?)",
    "variant.params.caption": "Your numbers (variant {variant}); the questions name them, like p['{example}']",
    "variant.params.name": "in your code",
    "variant.params.value": "value",
    "variant.params.meaning": "what it is for",
}
