"""Headless Chromium for the sandbox's browser tests (Debian's chromium and chromium-driver,
driven by selenium), at a given screen size, and the screenshots the README shows.

Skipped only when Chromium (or selenium) is missing on a developer's machine; in CI (``CI`` set)
a missing browser fails the test instead of hiding it. ``HAMYON_SCREENSHOTS=docs/screenshots``
makes the tests that take screenshots save them there as PNG (the README embeds them).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import pytest
from attrs import frozen

T = TypeVar("T")
CHROMIUM = next(filter(None, map(shutil.which, ("chromium", "chromium-browser"))), None)
CHROMEDRIVER = shutil.which("chromedriver")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--lang=en-US", "--hide-scrollbars")


@frozen
class Screen:
    name: str
    width: int
    height: int
    phone: bool = False
    scale: float = 1


DESKTOP = Screen("desktop", 1280, 800)
PHONE = Screen("phone", 375, 740, phone=True)


def _selenium_missing() -> bool:
    try:
        import selenium  # noqa: F401
    except ImportError:
        return True
    return False


def _browser_or_skip() -> tuple[str, str]:
    missing = [name for name, found in (("chromium", CHROMIUM), ("chromedriver", CHROMEDRIVER))
               if not found] + (["selenium"] if _selenium_missing() else [])
    if missing and os.environ.get("CI"):
        pytest.fail(f"CI needs {', '.join(missing)} for the browser test (apt-get install chromium "
                    "chromium-driver; pip install selenium)")
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed")
    assert CHROMIUM and CHROMEDRIVER
    return CHROMIUM, CHROMEDRIVER


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium with a fresh profile (asking for English pages), quit (and its
    profile removed) afterwards."""
    binary, chromedriver = _browser_or_skip()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="hamyon-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"intl.accept_languages": "en-US,en"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=chromedriver))
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def show_as(driver: Any, screen: Screen) -> None:
    """Lay pages out as ``screen`` does: its CSS width and height, a phone's touch viewport."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": screen.width, "height": screen.height, "deviceScaleFactor": screen.scale,
        "mobile": screen.phone})


def scrolls_sideways(driver: Any) -> bool:
    return bool(driver.execute_script(
        "return document.documentElement.scrollWidth > window.innerWidth"))


def screenshot(driver: Any, name: str) -> bytes:
    """The visible page as PNG; saved as ``<name>.png`` under ``HAMYON_SCREENSHOTS`` when set."""
    png: bytes = driver.get_screenshot_as_png()
    folder = os.environ.get("HAMYON_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / f"{name}.png").write_bytes(png)
    return png


async def in_thread(work: Callable[[], T]) -> T:
    """Selenium blocks; the server under test runs on this loop, so the browser runs beside it."""
    return await asyncio.get_running_loop().run_in_executor(None, work)
