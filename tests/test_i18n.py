"""The message catalog: every key the code uses exists, and every message formats."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from vpclab.grading.bank import QUESTIONS
from vpclab.i18n import en, message, set_language

PACKAGE = Path(__file__).resolve().parent.parent / "vpclab"
KEY = re.compile(r"""message\(\s*f?["']([a-z0-9_.{}-]+)["']""")


def used_keys() -> set[str]:
    keys = set()
    for path in PACKAGE.rglob("*.py"):
        keys.update(KEY.findall(path.read_text(encoding="utf-8")))
    return keys


def test_every_literal_key_in_the_code_is_in_the_catalog() -> None:
    literal = {k for k in used_keys() if "{" not in k}
    assert literal, "the scan found keys"
    assert sorted(literal - set(en.MESSAGES)) == []


def test_every_question_and_reserved_purpose_has_its_message() -> None:
    for qid in QUESTIONS:
        assert f"hint.{qid}" in en.MESSAGES
    for purpose in ("network", "vpc-router", "dns", "future", "broadcast"):
        assert f"cidr.reserved.{purpose}" in en.MESSAGES


def test_messages_have_no_final_full_stop() -> None:
    assert [k for k, v in en.MESSAGES.items() if v.endswith(".")] == []


def test_every_message_formats_with_its_own_fields() -> None:
    for key, template in en.MESSAGES.items():
        fields = {name for _, name, _, _ in string.Formatter().parse(template) if name}
        message(key, **{name: 1 for name in fields})


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="no message catalog for language 'xx'; available: en"):
        set_language("xx")
