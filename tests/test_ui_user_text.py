"""Text from a user is shown as the characters it holds, never as Markdown, HTML or LaTeX."""

from __future__ import annotations

import string

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import shown_text
from ui.user_text import MAX_MESSAGE, clip, literal, plotly_literal

#: What a hostile link, file or forged widget may carry (issue 10).
HOSTILE = [
    "[Log in here](https://evil.example/x)",
    "![t](http://host/t.png)",
    r"$\Huge\text{HACKED}$",
    "<img src=x onerror=alert(1)>",
    ":red[big] :material/warning: **bold** `code` ~~gone~~",
    "https://evil.example/login www.evil.example <https://evil.example>",
    "# heading\n- item\n> quote",
    "&lt;b&gt; %{x} \\[not a link\\]",
]


def is_escaped(markdown: str) -> bool:
    """Every ASCII punctuation character is backslash-escaped (so CommonMark and its
    extensions read each as plain text), and nothing spans lines."""
    i = 0
    while i < len(markdown):
        c = markdown[i]
        if c == "\\":
            if i + 1 >= len(markdown) or markdown[i + 1] not in string.punctuation:
                return False
            i += 2
            continue
        if c in string.punctuation or c == "\n":
            return False
        i += 1
    return True


@pytest.mark.parametrize("text", HOSTILE)
def test_literal_escapes_every_markup_character_and_keeps_the_text(text):
    out = literal(text)
    assert is_escaped(out)
    assert shown_text(out) == clip(text, MAX_MESSAGE)


def test_clip_bounds_length_and_lines():
    assert clip("a" * 20_000_000, 80) == "a" * 79 + "…"
    assert clip("one\ntwo\x00three") == "one two three"
    assert clip(12.5) == "12.5"


def test_plotly_literal_leaves_no_tag_entity_or_template_field():
    out = plotly_literal('<a href="https://evil.example">Log in</a> %{x} &amp;', limit=200)
    assert "<" not in out and "%{" not in out and "&amp;amp;" in out


# ---------------------------------------------------------------------------------------------
# Every field a link echoes (issue 10: a phishing link inside the app's own warning).


def app(query: dict[str, str]) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=30)
    for k, v in query.items():
        at.query_params[k] = v
    return at.run()


def notices(at: AppTest) -> list[str]:
    return [w.value for w in at.warning]


@pytest.mark.parametrize(
    "key", ["dataset", "points", "features", "hidden", "act", "out", "lr", "test", "hide"]
)
def test_every_echoed_link_value_is_shown_literally(key):
    payload = " ".join(HOSTILE[:4])
    at = app({key: payload})
    assert not at.exception
    shown = notices(at)
    assert shown, "the bad value should be explained"
    assert all(is_escaped(n) for n in shown), shown
    assert any("[log in here]" in shown_text(n).lower() for n in shown)


def test_tensorflow_style_hide_and_present_values_are_shown_literally():
    at = app({"lr_hide": HOSTILE[0], "present": HOSTILE[1]})
    assert notices(at) and all(is_escaped(n) for n in notices(at))
