"""A page in headless Chromium for the browser tests (playwright, the 'browser' extra, and
Debian's Chromium, which scripts/setup.sh browser installs); skipped without them."""
import contextlib
import shutil

import pytest


def chromium():
    """The path of an installed Chromium or Chrome, or None."""
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@contextlib.contextmanager
def browser_page(width=1200, height=900):
    """(page, errors): a fresh page, and the list its uncaught script errors go to."""
    playwright = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed (extra 'browser')")
    path = chromium()
    if path is None:
        pytest.skip("no Chromium installed (scripts/setup.sh browser installs Debian's)")
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=path,
                                         args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            errors = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            yield page, errors
        finally:
            browser.close()
