"""Headless Chromium for the browser tests (Debian's chromium and chromedriver, through
Selenium), started with its background networking off: the machine has no outside network.
`offline=True` also makes every host name fail to resolve and sends any request to a closed
proxy, for pages that must work with no network at all."""

import os
import tempfile

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

WIDTH = 1366  # a laptop


def start(offline=False, browser_logs=False):
    """Returns (driver, profile directory)."""
    profile = tempfile.mkdtemp(prefix="stroma-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("STROMA_CHROMIUM", "/usr/bin/chromium")
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        f"--window-size={WIDTH},900",
    ]
    if offline:
        flags += ["--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9"]
    for flag in flags:
        options.add_argument(flag)
    if browser_logs:
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(
        executable_path=os.environ.get("STROMA_CHROMEDRIVER", "/usr/bin/chromedriver")
    )
    return webdriver.Chrome(service=service, options=options), profile
