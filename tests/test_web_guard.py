"""An unexpected error becomes a friendly message, never a traceback."""

from streamlit.testing.v1 import AppTest


def _broken_page():
    import streamlit as st

    from ui.web.guard import friendly_errors

    with friendly_errors("a test"):
        st.write("before")
        raise RuntimeError("boom")
    st.write("after")


def test_an_exception_is_logged_and_explained(caplog):
    at = AppTest.from_function(_broken_page).run()
    assert not at.exception
    assert "Something went wrong" in at.error[0].value
    assert [m.value for m in at.markdown] == ["before", "after"]
    assert "boom" in caplog.text


def _control_flow_page():
    import streamlit as st

    from ui.web.guard import friendly_errors

    if "n" not in st.session_state:
        st.session_state.n = 0
    with friendly_errors("a test"):
        st.session_state.n += 1
        if st.session_state.n == 1:
            st.rerun()


def test_streamlit_control_flow_passes_through():
    at = AppTest.from_function(_control_flow_page).run()
    assert at.session_state.n == 2 and not at.error


def _huge_error_page():
    from ui.web.guard import friendly_errors

    with friendly_errors("a test"):
        raise ValueError(f"unknown activation {'A' * 20_000_000!r}")


def test_a_huge_error_message_is_logged_short(caplog):
    """Issue 10: a forged 20 MB value in an exception wrote 20 MB into the log per run."""
    at = AppTest.from_function(_huge_error_page).run()
    assert "Something went wrong" in at.error[0].value
    [record] = [r for r in caplog.records if "unexpected error" in r.getMessage()]
    assert "unknown activation 'AAAA" in record.getMessage()
    assert len(record.getMessage()) < 25_000
