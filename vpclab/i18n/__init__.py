"""The one message catalog: every sentence a learner reads from vpclab comes from here.

``message(key, **values)`` looks the key up in the catalog of the current language
(English first; a Korean catalog can be added as ``ko.py`` without touching the engine)
and fills in the values. A key missing from a translation falls back to English.

>>> message("cidr.host_bits", text="10.0.0.1/24", network="10.0.0.0/24")
'10.0.0.1/24 has host bits set; the network is 10.0.0.0/24'
"""

from __future__ import annotations

import os

from vpclab.i18n import en

__all__ = ["language", "message", "set_language"]

_CATALOGS: dict[str, dict[str, str]] = {"en": en.MESSAGES}
_language = os.environ.get("VPCLAB_LANG", "en") if os.environ.get("VPCLAB_LANG") in _CATALOGS else "en"


def set_language(code: str) -> None:
    """Choose the catalog used from now on (only ``"en"`` exists yet)."""
    global _language
    if code not in _CATALOGS:
        known = ", ".join(sorted(_CATALOGS))
        raise ValueError(f"no message catalog for language {code!r}; available: {known}")
    _language = code


def language() -> str:
    """The code of the catalog in use."""
    return _language


def message(key: str, /, **values: object) -> str:
    """The sentence for ``key`` in the current language, with ``values`` filled in."""
    template = _CATALOGS[_language].get(key) or en.MESSAGES[key]
    return template.format(**values)
