"""The Upload page in a real browser: the message left after a wrong then a right password,
rollback with a file still in the uploader, and a lockout that survives a reload."""

from __future__ import annotations

import gzip
import os
import re
import threading
from pathlib import Path

import pytest
from conftest import EDITOR_PASSWORD, ROOT, Server, copy_data, proc_stat
from test_browser import wait_ready

from indicators import auth

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("upload_editor_server")]

AMO = ROOT / "data/raw/cbp_seizures/amo-drug-seizures-fy23-fy26-dec.csv"


def _editor_server(d):
    return Server(copy_data(d / "data"), {"INDICATORS_EDITOR_PASSWORD": EDITOR_PASSWORD})


@pytest.fixture(scope="module")
def editor_server(tmp_path_factory):
    """Shared by the tests that never lock the client out (each compares the store with its
    own start)."""
    s = _editor_server(tmp_path_factory.mktemp("editor"))
    yield s
    s.stop()


@pytest.fixture
def own_editor_server(tmp_path):
    """A server of its own, for the test that locks the client out."""
    s = _editor_server(tmp_path)
    yield s
    s.stop()


def revised_amo(tmp_path) -> str:
    lines = AMO.read_text().splitlines()
    lines[1] = lines[1].rsplit(",", 1)[0] + ",4321.5"
    f = tmp_path / "amo-revised.csv"
    f.write_text("\n".join(lines) + "\n")
    return str(f)


def version(s: Server) -> int:
    return int((s.data / "store/CURRENT").read_text())


def upload(page, s: Server, path: str) -> None:
    page.goto(f"{s.url}/upload")
    wait_ready(page, 0)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(path)
    page.get_by_text("Headline numbers that move").wait_for(timeout=60_000)


def idle(page) -> None:
    """Wait until the page's script run is over and nothing on it is stale, as a reader waits
    for the page to settle before typing: a field filled during a rerun may be redrawn empty."""
    page.wait_for_timeout(300)
    page.wait_for_function(
        "!document.querySelector(\"[data-testid='stStatusWidget']\")"
        " && !document.querySelector(\"[data-stale='true']\")",
        timeout=60_000,
    )


def main_text(page) -> str:
    """The page's text once its script run has finished (stale elements are gone)."""
    idle(page)
    return page.locator("[data-testid='stMain']").inner_text()


def test_after_a_wrong_then_right_password_only_the_success_shows_and_rollback_stays_open(
    editor_server, page, tmp_path
):
    s = editor_server
    before = version(s)
    upload(page, s, revised_amo(tmp_path))
    idle(page)
    page.get_by_label("Editor password", exact=True).fill("wrong password")
    page.get_by_role("button", name="Save to the shared data").click()
    page.get_by_text(f"(1 of {auth.MAX_ATTEMPTS} attempts used)").wait_for(timeout=30_000)
    idle(page)
    page.get_by_label("Editor password", exact=True).fill(EDITOR_PASSWORD)
    page.get_by_role("button", name="Save to the shared data").click()
    page.get_by_text(re.compile(rf"Saved as version {before + 1}\b")).wait_for(timeout=60_000)
    assert version(s) == before + 1
    assert "Wrong password" not in main_text(page)
    # the file is still in the uploader; the rollback panel opens and stays open
    idle(page)
    page.get_by_text("Roll back to an earlier version").click()
    pw = page.get_by_label("Editor password for the rollback")
    pw.wait_for(timeout=30_000)
    idle(page)
    pw.fill("wrong password")
    page.get_by_role("button", name="Roll back").click()
    # after the save the page previews the file again against the new version, in a niced
    # child that waits for CPU under the suite's load (30 s was once too short in CI)
    page.get_by_text("Wrong password: nothing was changed").wait_for(timeout=90_000)
    assert page.get_by_label("Editor password for the rollback").is_visible()  # still open
    idle(page)
    page.get_by_label("Editor password for the rollback").fill(EDITOR_PASSWORD)
    page.get_by_role("button", name="Roll back").click()
    page.get_by_text(
        re.compile(rf"Version {before + 2} now holds the data of version {before}\b")
    ).wait_for(timeout=60_000)
    assert version(s) == before + 2
    assert "Wrong password" not in main_text(page)
    assert page.get_by_label("Editor password for the rollback").is_visible()
    assert page.locator("[data-testid='stException']").count() == 0


def test_lockout_survives_a_reload(own_editor_server, page, tmp_path):
    s = own_editor_server
    before = version(s)
    f = revised_amo(tmp_path)
    upload(page, s, f)
    for i in range(1, auth.MAX_ATTEMPTS):
        idle(page)
        page.get_by_label("Editor password", exact=True).fill("guess")
        page.get_by_role("button", name="Save to the shared data").click()
        page.get_by_text(f"({i} of {auth.MAX_ATTEMPTS} attempts used)").wait_for(timeout=30_000)
        page.wait_for_timeout(1000 * auth.delay(i) + 300)
    idle(page)
    page.get_by_label("Editor password", exact=True).fill("guess")
    page.get_by_role("button", name="Save to the shared data").click()
    page.get_by_text("Too many wrong passwords").first.wait_for(timeout=30_000)
    # a reload is a new session: the count lives on the server, so it is still locked
    page.reload()
    upload(page, s, f)
    page.get_by_text("Too many wrong passwords").first.wait_for(timeout=30_000)
    assert page.get_by_role("button", name="Save to the shared data").count() == 0
    assert version(s) == before


def upload_workers(server: int) -> dict[int, tuple[int, int, str | None]]:
    """The server's upload workers now: pid -> (nice, session id, autogroup nice)."""
    found = {}
    for p in Path("/proc").iterdir():
        try:
            if not p.name.isdigit() or int(proc_stat(int(p.name))[1]) != server:
                continue
            if b"indicators.preview_worker" not in (p / "cmdline").read_bytes():
                continue
            f = proc_stat(int(p.name))
            group = (
                (p / "autogroup").read_text().split()[-1] if (p / "autogroup").exists() else None
            )
            found[int(p.name)] = (int(f[16]), int(f[3]), group)
        except (OSError, IndexError, ValueError):
            continue  # it ended meanwhile
    return found


def cpu_seconds(pid: int) -> tuple[float, float]:
    """(the process's own CPU seconds, its finished children's) from /proc/<pid>/stat."""
    fields = proc_stat(pid)
    tick = os.sysconf("SC_CLK_TCK")
    own = (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    children = (int(fields[13]) + int(fields[14])) / tick  # cutime, cstime
    return own, children


def test_other_sessions_are_served_while_the_worst_allowed_upload_runs_in_a_child(
    editor_server, browser, page, tmp_path
):
    """The heavy work of an upload (read, validate, preview) runs in a child process, not in the
    server that serves every session: the server's own CPU time over the upload is a small part
    of the child's, and another session's page loads from start to finish while the upload is
    still running. Checked by CPU accounting rather than wall-clock time, which depends on what
    else the machine runs; `bench/` times it."""
    from test_limits import big_encounters

    s = editor_server
    f = tmp_path / "big.csv.gz"
    f.write_bytes(gzip.compress(big_encounters(5), 6))  # 43 MB of CSV, under the 50 MB cap
    other = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    page.goto(f"{s.url}/upload")
    wait_ready(page, 0)
    other.goto(f"{s.url}/seizures")
    wait_ready(other, 2)
    own0, children0 = cpu_seconds(s.proc.pid)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(f))
    done = page.get_by_text("Headline numbers that move")
    served, workers, watching = 0, {}, threading.Event()

    def watch() -> None:  # each worker's latest state, every 0.1 s (it sets its priority first)
        while not watching.wait(0.1):
            workers.update(upload_workers(s.proc.pid))

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    while not done.is_visible():
        other.goto(f"{s.url}/seizures")
        wait_ready(other, 2)
        served += not done.is_visible()  # this load finished while the upload still ran
        if served >= 2:
            break
    done.wait_for(timeout=300_000)
    own1, children1 = cpu_seconds(s.proc.pid)
    watching.set()
    watcher.join()
    assert served >= 1, "no other page was served while the upload ran"
    # the worker yields the CPU: niced, in a session (and Linux autogroup) of its own, niced too
    assert workers, "no upload worker was seen while the upload ran"
    server_nice = int(proc_stat(s.proc.pid)[16])
    for pid, (nice, session, group) in workers.items():
        assert nice == server_nice + 10 and session == pid and group in ("10", None), workers
    child, own = children1 - children0, own1 - own0
    assert child >= 2, f"the upload's child processes used only {child:.1f} CPU-s"
    assert own <= child / 3, f"the server itself used {own:.1f} CPU-s, its children {child:.1f}"
    other.context.close()
