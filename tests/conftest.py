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


def cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """The `indicators` command run in this process: `indicators.cli.main(args)` with its
    output captured, the environment it would see, and the exit status the console script
    would give (argparse's exits included). For tests of what a command does; `run_cli` runs
    the real console script where the process itself matters (kills, start-up, the script)."""
    import contextlib
    import io
    import traceback

    from indicators import cli as indicators_cli

    saved = {k: os.environ.get(k) for k in env or {}}
    os.environ.update(env or {})
    out, err = io.StringIO(), io.StringIO()
    query.clear_cache()  # a new process starts with nothing cached
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = indicators_cli.main(list(args))
            except SystemExit as exc:  # as sys.exit would end the process
                code = exc.code if isinstance(exc.code, int) or exc.code is None else 1
                if not isinstance(exc.code, int | None):
                    print(exc.code, file=sys.stderr)
            except Exception:  # an uncaught error: a traceback and status 1, as Python gives
                traceback.print_exc()
                code = 1
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        query.clear_cache()
    return subprocess.CompletedProcess(
        ["indicators", *args], code or 0, out.getvalue(), err.getvalue()
    )


_next_port: int | None = None


def free_port() -> int:
    """A free port from this pytest process's own range, below the ephemeral ports the system
    hands out for connections, so that parallel workers (pytest-xdist) never pick the same."""
    global _next_port
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")[2:]
    base = 20000 + (int(worker) % 10 if worker.isdigit() else 0) * 1000
    for _ in range(1000):
        if _next_port is None or not base <= _next_port < base + 1000:
            _next_port = base
        port, _next_port = _next_port, _next_port + 1
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {base}-{base + 999}")


def proc_stat(pid: int) -> list[str]:
    """/proc/<pid>/stat's fields after the command name (field 3, the state, first)."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


# A new visitor's first run asks for the rest of the page once the top chart is drawn, or at
# once on a page with no chart; after 10 s it asks anyway (progressive.py). The test servers
# never ask by that fallback, so a page that relied on it would time out in its test.
NO_FALLBACK = {"INDICATORS_FIRST_RUN_FALLBACK_S": "0"}


class Server:
    def __init__(self, data: Path, env: dict | None = None, args: tuple[str, ...] = ()):
        self.data = data
        for _ in range(3):  # another process may take the port first: then try the next one
            self.port = free_port()
            self.url = f"http://127.0.0.1:{self.port}"
            self.log = data.parent / f"streamlit-{self.port}.log"
            exe = Path(sys.executable).parent / "streamlit"
            self.proc = subprocess.Popen(
                [str(exe), "run", str(ROOT / "app.py"), "--server.port", str(self.port), "--server.address", "127.0.0.1",
                 "--server.headless", "true", "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none", *args],
                cwd=ROOT, env={**os.environ, "INDICATORS_DATA_DIR": str(data), **NO_FALLBACK, **(env or {})},
                stdout=self.log.open("w"), stderr=subprocess.STDOUT,  # noqa: SIM115 - lives as long as the server
            )  # fmt: skip
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline and self.proc.poll() is None:
                try:
                    ok = urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2).read()
                    if ok == b"ok" and self.proc.poll() is None:  # ours answered, no other's
                        return
                except OSError:
                    time.sleep(0.2)
            self.stop()
            if "already in use" not in self.log.read_text():
                break
        raise RuntimeError(f"streamlit did not start: {self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


EDITOR_PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """A server that tests only read from (pages, charts, downloads): one per test process."""
    d = copy_data(tmp_path_factory.mktemp("srv") / "data")
    s = Server(d, {"INDICATORS_EDITOR_PASSWORD": EDITOR_PASSWORD})
    yield s
    s.stop()


@pytest.fixture(scope="session")
def browser():
    """One Chromium per test process; each test opens its own context (cookies, storage)."""
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


# The longest modules first (each module's tests stay together and in order): the workers of
# pytest-xdist then end together instead of one finishing a long browser test alone.
SLOW_FIRST = [
    "test_upload_browser.py", "test_upload_page.py", "test_security.py", "test_browser.py",
    "test_browser_claims.py", "test_faults.py", "test_legibility.py", "test_upload_files.py",
    "test_export.py", "test_limits.py", "test_build.py",
]  # fmt: skip


def pytest_collection_modifyitems(items):
    rank = {name: i for i, name in enumerate(SLOW_FIRST)}
    items.sort(key=lambda it: rank.get(it.path.name, len(rank)))
