"""Browser tests: a real Streamlit server and Debian's headless Chromium driven by Playwright.

Fixtures
    app_server        (session)  base URL of `streamlit run app.py`, started on first use
    streamlit_server  (session)  streamlit_server("app.py") -> base URL;
                                 one server per script for the whole session
    browser           (session)  /usr/bin/chromium, headless (never `playwright install`)
    page              (function) a new browser context and page: a new Streamlit session
    new_context       (helper)   new_context(browser, viewport=...): a context with the tests'
                                 timeouts (30 s a wait or an action, PAGE_TIMEOUT_S a navigation);
                                 new_page(context): a page of it, throttled like `page`
    open_app          (function) open_app(page, "?dataset=circle", base_url=None): goto
                                 (app_server unless base_url is given) + query, then wait_ready;
                                 "xor" or "/xor?x=1" opens a page by its url_path
    wait_ready        (function) wait_ready(page): connected, script idle, no skeleton left
    wait_paused       (function) wait_paused(page): after Pause, the paused message shown and drawn
    wait_charts_idle  (function) wait_charts_idle(page): every live chart drew what it received
    screenshot        (function) screenshot(page, "name") -> tests/e2e/screenshots/name.png
    console_errors    (function) console errors and page errors of `page`, minus the one
                                 harmless ERR_NAME_NOT_RESOLVED of an offline Streamlit
    errors            (function) the same as "text (url)", also on a deep link's first load

E2E_CPU_THROTTLE=4 slows every test page's CPU fourfold (Chrome's CPU throttling, as DevTools
does): a slow machine's timing, to shake out a test that reads the page before it is done.

Mark browser tests with `@pytest.mark.browser`. Without Chromium or the playwright package they
are skipped, except when CI=true, where that is a failure.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import browser_frames as bf  # noqa: E402

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
VIEWPORT = {"width": 1400, "height": 900}
HARMLESS_CONSOLE = ("ERR_NAME_NOT_RESOLVED",)
# A direct link to a page (/xor) makes Streamlit's frontend probe /xor/_stcore/health and
# /xor/_stcore/host-config first: two 404s before it finds the server's root, then all is well.
HARMLESS_404 = ("/_stcore/health", "/_stcore/host-config")
CPU_THROTTLE = float(os.environ.get("E2E_CPU_THROTTLE") or 1)
#: A wait for an element or a condition, an action: the default of every test page.
TIMEOUT_MS = 30_000
#: A navigation (goto, reload) waits as long as a page may take to load (PAGE_TIMEOUT_S): 30 s
#: is less than a slow machine needs for the first load of a server.
NAVIGATION_TIMEOUT_MS = bf.PAGE_TIMEOUT_S * 1000


def throttle(page: object) -> None:
    """Slow the page's CPU by E2E_CPU_THROTTLE (nothing when it is unset or 1)."""
    if CPU_THROTTLE > 1:
        cdp = page.context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_THROTTLE})


def new_context(browser: object, **options: object) -> object:
    """A browser context whose pages have the tests' timeouts (set on the context, so that
    every page of it, and every later page, has them)."""
    context = browser.new_context(**options)
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
    return context


def new_page(context: object) -> object:
    """A page of ``context``, slowed like every test page (E2E_CPU_THROTTLE)."""
    page = context.new_page()
    throttle(page)
    return page


def _harmless(msg: object) -> bool:
    if any(h in msg.text for h in HARMLESS_CONSOLE):
        return True
    url = (msg.location or {}).get("url", "")
    return "404" in msg.text and url.endswith(HARMLESS_404)


def _missing() -> str | None:
    """Why browser tests cannot run here, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    if not os.access(bf.CHROMIUM, os.X_OK):
        return f"no Chromium at {bf.CHROMIUM} (apt-get install -y chromium)"
    return None


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reason = _missing()
    if reason is None or _in_ci():
        return  # in CI the `browser` fixture fails with the reason instead
    skip = pytest.mark.skip(reason=f"browser test skipped: {reason}")
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def streamlit_server() -> Iterator[Callable[[str], str]]:
    with contextlib.ExitStack() as stack:
        urls: dict[str, str] = {}

        def start(script: str) -> str:
            if script not in urls:
                urls[script] = stack.enter_context(bf.streamlit_server(script))
            return urls[script]

        yield start


@pytest.fixture(scope="session")
def app_server(streamlit_server: Callable[[str], str]) -> str:
    if not (ROOT / "app.py").exists():
        pytest.fail("app.py does not exist yet")
    return streamlit_server("app.py")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    reason = _missing()
    if reason is not None:
        if _in_ci():
            pytest.fail(f"CI=true but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = bf.launch_chromium(pw)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = new_context(browser, viewport=VIEWPORT)
    page = new_page(context)
    yield page
    context.close()


@pytest.fixture
def console_errors(page: object) -> list[str]:
    errors: list[str] = []

    def on_console(msg: object) -> None:
        if msg.type == "error" and not _harmless(msg):
            errors.append(msg.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"pageerror: {error}"))
    return errors


@pytest.fixture
def errors(page: object) -> list[str]:
    """Console and page errors as "text (url)", minus the harmless ones of ``console_errors``
    and the "Page not found" that the first session of a server gets on a deep link (/neuron,
    /xor: streamlit issue 9992)."""
    found: list[str] = []

    def on_console(msg: object) -> None:
        if msg.type == "error" and not _harmless(msg) and "does not seem to exist" not in msg.text:
            found.append(f"{msg.text} ({(msg.location or {}).get('url', '')})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: found.append(f"pageerror: {error}"))
    return found


@pytest.fixture
def open_app(request: pytest.FixtureRequest) -> Callable[..., None]:
    def open_(page: object, query: str = "", *, base_url: str | None = None) -> None:
        url = base_url if base_url is not None else request.getfixturevalue("app_server")
        if query and not query.startswith(("?", "/")):
            query = "/" + query  # a page's url_path, e.g. "xor"
        bf.open_app(page, url, query)

    return open_


@pytest.fixture
def wait_ready() -> Callable[..., None]:
    return bf.wait_ready


@pytest.fixture
def wait_paused() -> Callable[..., None]:
    return bf.wait_paused


@pytest.fixture
def wait_charts_idle() -> Callable[..., None]:
    return bf.wait_charts_idle


@pytest.fixture
def screenshot() -> Callable[[object, str], Path]:
    def take(page: object, name: str) -> Path:
        SCREENSHOTS.mkdir(exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
