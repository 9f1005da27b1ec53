"""Who may change the shared data: editors who know the operator's password.

The password comes from $INDICATORS_EDITOR_PASSWORD or Streamlit secrets
(`editor_password`). It is compared in constant time. With none configured, saving from the
web page is disabled (preview mode only); the CLI stays available to whoever runs the server.

Wrong passwords are counted on the server, not in the browser session, so reloading the page
does not reset them:
- per client (its IP address as the server sees it): from the second wrong password on, the
  client waits before the next attempt (`delay`: DELAY_SECONDS, doubling each time, at most
  MAX_DELAY); after MAX_ATTEMPTS wrong passwords it is locked out for LOCKOUT_SECONDS;
- overall: after OVERALL_MAX wrong passwords from all clients within OVERALL_WINDOW seconds,
  every client waits, with the same doubling.
A correct password clears its client's count. The counts live in the server process (a
restart clears them).
"""

from __future__ import annotations

import hmac
import math
import os
import threading
import time
from collections import deque
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass

MAX_ATTEMPTS = 5
DELAY_SECONDS = 0.5
MAX_DELAY = 60.0
LOCKOUT_SECONDS = 15 * 60
OVERALL_MAX = 30
OVERALL_WINDOW = 10 * 60


def editor_password() -> str | None:
    pw = os.environ.get("INDICATORS_EDITOR_PASSWORD")
    if pw:
        return pw
    try:
        import streamlit as st

        return st.secrets.get("editor_password") or None
    except Exception:  # no secrets file: streamlit raises its own error types here
        return None


def check(given: str, expected: str | None) -> bool:
    if not expected or not given:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def delay(failures: int) -> float:
    """Seconds a client waits after its n-th wrong password (none after the first)."""
    return 0.0 if failures < 2 else min(MAX_DELAY, DELAY_SECONDS * 2 ** (failures - 2))


@dataclass
class Status:
    failures: int  # this client's wrong passwords (since its last success or lockout end)
    wait: float  # seconds before this client may try again (0: now)
    locked: bool  # MAX_ATTEMPTS reached: locked out for `wait` seconds


class Attempts:
    """Wrong-password counts, per client and overall, shared by every session of the server."""

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self.clock = clock
        self._lock = threading.Lock()
        self._clients: dict[str, tuple[int, float]] = {}  # client -> (failures, last failure)
        self._recent: deque[float] = deque()  # times of recent failures, all clients

    def _overall_wait(self, now: float) -> float:
        while self._recent and now - self._recent[0] > OVERALL_WINDOW:
            self._recent.popleft()
        excess = len(self._recent) - OVERALL_MAX
        if excess < 0:
            return 0.0
        delay = min(MAX_DELAY, DELAY_SECONDS * 2**excess)
        return max(0.0, self._recent[-1] + delay - now)

    def status(self, client: str) -> Status:
        with self._lock:
            now = self.clock()
            n, last = self._clients.get(client, (0, 0.0))
            if n >= MAX_ATTEMPTS:
                left = last + LOCKOUT_SECONDS - now
                if left > 0:
                    return Status(n, left, True)
                self._clients.pop(client, None)  # lockout over: a fresh start
                n = 0
            wait = max(0.0, last + delay(n) - now) if n else 0.0
            return Status(n, max(wait, self._overall_wait(now)), False)

    def failed(self, client: str) -> Status:
        with self._lock:
            now = self.clock()
            n, _ = self._clients.get(client, (0, 0.0))
            self._clients[client] = (n + 1, now)
            self._recent.append(now)
        return self.status(client)

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._clients.pop(client, None)

    def clear(self) -> None:
        """Forget every count (a fresh server)."""
        with self._lock:
            self._clients.clear()
            self._recent.clear()


ATTEMPTS = Attempts()  # one per server process


@dataclass
class Outcome:
    ok: bool
    message: str  # what to tell the user (empty when ok)


class EditorSession:
    """An editor's standing on the page: is saving possible, may they try a password now,
    and the last wrong-password message (kept in the session's state, cleared by a success)."""

    MESSAGE_KEY = "_editor_message"

    def __init__(
        self,
        state: MutableMapping,
        client: str | None,
        password: str | None = None,
        attempts: Attempts = ATTEMPTS,
    ):
        self.state = state
        self.client = client or "unknown client"
        self.password = password
        self.attempts = attempts

    @classmethod
    def from_streamlit(cls) -> EditorSession:
        import streamlit as st

        try:
            client = st.context.ip_address
        except Exception:  # outside a browser session: one anonymous client
            client = None
        if not isinstance(client, str):  # localhost gives None; AppTest a stand-in object
            client = None
        return cls(st.session_state, client, editor_password())

    @property
    def can_save(self) -> bool:
        """An editor password is configured on the server."""
        return bool(self.password)

    def status(self) -> Status:
        return self.attempts.status(self.client)

    def blocked_message(self) -> str:
        """Why no attempt is allowed now ('' if one is)."""
        s = self.status()
        if s.locked:
            return (
                f"Too many wrong passwords from this address: saving is locked for "
                f"{math.ceil(s.wait / 60)} more minutes. Nothing was saved."
            )
        if s.wait > 0:
            return f"Wait {math.ceil(s.wait)} s before the next password attempt."
        return ""

    def message(self, action: str = "save") -> str:
        """The last wrong-password message for an action (save, rollback), to show above
        its password field."""
        where, msg = self.state.get(self.MESSAGE_KEY, ("", ""))
        return msg if where == action else ""

    def authorise(self, given: str, action: str = "save") -> Outcome:
        """Check a password for an action, unless this client must wait or is locked out."""
        if not self.can_save:
            return Outcome(False, "Saving is disabled: no editor password is configured.")
        blocked = self.blocked_message()
        if blocked:
            return Outcome(False, blocked)
        if check(given, self.password):
            self.attempts.succeeded(self.client)
            self.state.pop(self.MESSAGE_KEY, None)
            return Outcome(True, "")
        s = self.attempts.failed(self.client)
        msg = f"Wrong password: nothing was changed ({s.failures} of {MAX_ATTEMPTS} attempts used)."
        if s.locked:
            msg = (
                f"Wrong password: nothing was changed. {MAX_ATTEMPTS} wrong passwords: saving is "
                f"locked for {LOCKOUT_SECONDS // 60} minutes."
            )
        self.state[self.MESSAGE_KEY] = (action, msg)
        return Outcome(False, msg)
