"""Request bodies must be Unicode text: not UTF-8, or a lone surrogate escape, is refused naming the field.

Python's ``json`` decodes a body with ``surrogatepass`` and turns an unpaired ``\\ud800``
escape into a string nothing can encode again; left in, it surfaced as a 500 when the answer
was serialised, a reset connection, or a schema published with it. Checked once here, for
every route of every family, as the body arrives (see ``body_limit.BodyLimit``).
"""

from __future__ import annotations

import json
import re

from registry.validate.unicode_text import lone_surrogate, not_unicode_message

#: A ``\\uD800``–``\\uDFFF`` escape; only bodies holding one are parsed here.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def refusal(body: bytes) -> str | None:
    """Why ``body`` is not Unicode text (naming the field), or None when it is."""
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        return (
            f"the request body is not UTF-8 text (byte {exc.start} starts an invalid sequence); "
            "send JSON encoded as UTF-8"
        )
    if not _SURROGATE_ESCAPE.search(body):
        return None
    try:
        parsed = json.loads(body)
    except (ValueError, RecursionError):
        return None  # not JSON: the route says so in its own words
    found = lone_surrogate(parsed)
    return not_unicode_message(*found) if found else None
