"""Text that came from a user, made safe to show and to log (no streamlit here).

Streamlit renders ``st.markdown``, ``st.warning``/``error``/``info``/``success``, captions and
widget labels as Markdown with LaTeX (``$…$``), links, images, autolinks and its own
``:color[…]`` directives; plotly renders a subset of HTML (``<a href>``, ``<b>``) in legend
and hover text, and ``%{…}`` in hover templates. A value from a link, a file or a forged
widget echoed there became a phishing link inside the app's own warning, an image every
student's browser fetched, or typeset maths. So every text that holds anything a user sent goes
through one of these before it is shown:

- ``literal(text)`` for Streamlit: the text renders as exactly the characters it holds;
- ``plotly_literal(text)`` for plotly's labels;
- ``html_literal(text)`` for HTML the app writes itself (the live numbers and tables);
- ``clip(value)`` bounds what is echoed or logged (a forged value may be megabytes long).
"""

from __future__ import annotations

import html
import re
import string

MAX_ECHO = 80  # characters of a user's value quoted back in a message
MAX_MESSAGE = 2000  # characters of one message shown or logged

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
# CommonMark lets a backslash escape any ASCII punctuation character, and the escaped
# character is then plain text to links, images, maths and directives.
_PUNCTUATION = re.compile("([" + re.escape(string.punctuation) + "])")
# GFM's autolink literals are found in the text after parsing, escapes or not: a bare
# "https://…", "www.…" or "name@host.org" still became a link. An invisible word joiner
# (U+2060) after "http:", "www" and before "@" keeps the text as it reads and breaks the match.
JOINER = "\u2060"
_AUTOLINK = re.compile(r"(?i)(?<=:)|(?<=www)(?=\.)|(?=@)")


def clip(value: object, limit: int = MAX_ECHO) -> str:
    """``str(value)`` on one line, at most ``limit`` characters (an ellipsis marks a cut)."""
    text = value if isinstance(value, str) else str(value)
    if len(text) > 4 * limit:  # never scan megabytes for control characters
        text = text[: 4 * limit]
    text = _CONTROL.sub(" ", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def literal(text: str) -> str:
    """``text`` (clipped to MAX_MESSAGE) as Markdown that Streamlit renders as exactly these
    characters, on one line, with no link."""
    return _PUNCTUATION.sub(r"\\\1", _AUTOLINK.sub(JOINER, clip(text, MAX_MESSAGE)))


def plotly_literal(text: str, limit: int = 40) -> str:
    """``text`` (clipped) as plotly label text: no tags, entities or template fields."""
    return html.escape(clip(text, limit)).replace("%", "&#37;")


def html_literal(text: str, limit: int = 40) -> str:
    """``text`` (clipped) as HTML text: every tag, entity and quote escaped."""
    return html.escape(clip(text, limit), quote=True)
