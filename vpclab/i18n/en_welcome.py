"""English messages of the welcome lesson (00_welcome): hints of its questions."""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "hint.welcome.c1": "AWS keeps 5 addresses of every subnet for itself: read the 'usable in AWS' "
                       "number the CIDR explorer shows for a /24, not the total",
    "hint.welcome.c2": "read the first line of the port 443 trace: ✓ means the connection can be made, "
                       "✗ means something stops it",
    "hint.welcome.c3": "the code is the word in capitals after the red ✗ in the port 22 trace; "
                       "give it as a string, like 'SOME_CODE'",
}
