"""Shared fixtures: a private copy of the data directory, fixture files, a real streamlit server."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from indicators import query
from indicators.store import REPO_DATA, Store

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
CHROMIUM = "/usr/bin/chromium"
# the seed article's text, kept in the project beside its encoded claims
SEED_ARTICLE = REPO_DATA / "raw" / "claims" / "epoch-2024-09-ccp-drug-network.txt"


def copy_data(dst: Path) -> Path:
    """A copy of the bundled data (store, raw files, manifest) to work on."""
    shutil.copytree(REPO_DATA, dst, ignore=shutil.ignore_patterns(".lock", "tmp-*"))
    return dst


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    d = copy_data(tmp_path / "data")
    monkeypatch.setenv("INDICATORS_DATA_DIR", str(d))
    query.clear_cache()
    yield d
    query.clear_cache()


@pytest.fixture
def store(data_dir) -> Store:
    return Store(data_dir)


@pytest.fixture
def fixture_path():
    def get(name: str) -> Path:
        p = FIXTURES / name
        assert p.is_file(), p
        return p

    return get


def run_cli(
    *args: str, env: dict | None = None, timeout: float = 300
) -> subprocess.CompletedProcess:
    """Run the real `indicators` console script."""
    exe = Path(sys.executable).parent / "indicators"
    return subprocess.run(
        [str(exe), *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=timeout,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, data: Path, env: dict | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.data = data
        self.log = data.parent / f"streamlit-{self.port}.log"
        exe = Path(sys.executable).parent / "streamlit"
        self.proc = subprocess.Popen(
            [str(exe), "run", str(ROOT / "app.py"), "--server.port", str(self.port), "--server.address", "127.0.0.1",
             "--server.headless", "true", "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
            cwd=ROOT, env={**os.environ, "INDICATORS_DATA_DIR": str(data), **(env or {})},
            stdout=self.log.open("w"), stderr=subprocess.STDOUT,  # noqa: SIM115 - lives as long as the server
        )  # fmt: skip
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2).read() == b"ok":
                    return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"streamlit did not start: {self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


EDITOR_PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    d = copy_data(tmp_path_factory.mktemp("srv") / "data")
    s = Server(d, {"INDICATORS_EDITOR_PASSWORD": EDITOR_PASSWORD})
    yield s
    s.stop()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (.ci/run does)")
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"],
        )  # fmt: skip
        yield b
        b.close()


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    pg = ctx.new_page()
    pg.dialogs = []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    yield pg
    ctx.close()
