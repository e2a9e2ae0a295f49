"""Comparing a learner's answer with the right one, kind by kind.

Each kind turns the given answer into a canonical JSON value (what is recorded in the
notebook and compared) or raises :class:`AnswerFormatError` with a sentence that says
what shape of answer was expected. Comparison is equality of canonical values.

>>> canonical("cidr_list", ["10.0.0.128/25", "10.0.0.0/25"])
['10.0.0.0/25', '10.0.0.128/25']
>>> canonical("count", "4,091")
4091
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from typing import Any

from vpclab.cidr import parse
from vpclab.errors import VpcLabError
from vpclab.i18n import message

__all__ = ["KINDS", "AnswerFormatError", "canonical", "jsonable"]


class AnswerFormatError(Exception):
    """The answer has the wrong shape for the question (not wrong, just unreadable)."""


def _count(value: Any) -> int:
    if isinstance(value, bool):
        raise AnswerFormatError(message("answer.want_count"))
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().replace(",", "").isdigit():
        return int(value.strip().replace(",", ""))
    raise AnswerFormatError(message("answer.want_count"))


def _cidr(value: Any) -> str:
    try:
        return str(parse(str(value).strip(), strict=True))
    except VpcLabError as err:
        raise AnswerFormatError(message("answer.want_cidr", problem=err.message)) from None


def _address(value: Any) -> str:
    try:
        return str(ipaddress.IPv4Address(str(value).strip()))
    except ValueError:
        raise AnswerFormatError(message("answer.want_address")) from None


def _netmask(value: Any) -> str:
    try:
        mask = ipaddress.IPv4Address(str(value).strip())
    except ValueError:
        raise AnswerFormatError(message("answer.want_netmask")) from None
    bits = format(int(mask), "032b")
    if "01" in bits:  # a netmask is ones followed by zeros
        raise AnswerFormatError(message("answer.want_netmask"))
    return str(mask)


def _cidr_list(value: Any) -> list[str]:
    if isinstance(value, str) or not hasattr(value, "__iter__"):
        raise AnswerFormatError(message("answer.want_cidr_list"))
    blocks = [parse(_cidr(item)) for item in value]
    return [str(b) for b in sorted(blocks)]


def _yes_no(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise AnswerFormatError(message("answer.want_bool"))


def _choice(value: Any) -> str:
    if isinstance(value, str) and value.strip():
        return value.strip().upper()
    raise AnswerFormatError(message("answer.want_choice"))


def _data(value: Any) -> Any:
    """Any JSON-shaped answer (rule lists, designs); judged by the question's ``accepts``."""
    if value is None:
        raise AnswerFormatError(message("answer.want_data"))
    return jsonable(value)


KINDS: dict[str, Callable[[Any], Any]] = {
    "count": _count,
    "cidr": _cidr,
    "address": _address,
    "netmask": _netmask,
    "cidr_list": _cidr_list,
    "bool": _yes_no,
    "choice": _choice,
    "data": _data,
}


def canonical(kind: str, value: Any) -> Any:
    """The canonical JSON value of ``value`` read as an answer of ``kind``."""
    return KINDS[kind](value)


def jsonable(value: Any) -> Any:
    """``value`` as plain JSON data, to record in a notebook (never a pickle)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        items = [jsonable(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return str(value)
