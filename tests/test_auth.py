"""Password attempts counted on the server: per client and overall, growing delays, lockout,
and an editor session that survives a new browser session (a reload)."""

import pytest

from indicators import auth


class Clock:
    """A clock the test moves by hand (the counts depend on time)."""

    def __init__(self):
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def attempts(clock):
    return auth.Attempts(clock)


def session(attempts, client="10.0.0.1", state=None):
    return auth.EditorSession(state if state is not None else {}, client, "s3cret pass", attempts)


def test_delays_grow_then_lock(attempts, clock):
    ed = session(attempts)
    assert ed.authorise("wrong").ok is False and attempts.status("10.0.0.1").wait == 0
    waits = []
    for n in range(2, auth.MAX_ATTEMPTS):
        out = ed.authorise("wrong")
        assert not out.ok and f"{n} of {auth.MAX_ATTEMPTS}" in out.message
        waits.append(attempts.status("10.0.0.1").wait)
        # while waiting, even the right password is refused and not counted
        refused = ed.authorise("s3cret pass")
        assert not refused.ok and "Wait" in refused.message
        assert attempts.status("10.0.0.1").failures == n
        clock.t += waits[-1]
    assert waits == [auth.delay(n) for n in range(2, auth.MAX_ATTEMPTS)]
    assert waits == sorted(waits) and waits[0] < waits[-1]
    out = ed.authorise("wrong")
    assert "locked" in out.message
    st = attempts.status("10.0.0.1")
    assert st.locked and st.wait == pytest.approx(auth.LOCKOUT_SECONDS)
    clock.t += auth.LOCKOUT_SECONDS - 1
    assert not ed.authorise("s3cret pass").ok  # still locked
    clock.t += 2
    assert ed.authorise("s3cret pass").ok  # the lockout is over


def test_counts_survive_a_new_session_and_are_per_client(attempts, clock):
    for _ in range(auth.MAX_ATTEMPTS):
        session(attempts, state={}).authorise("wrong")  # each a new browser session
        clock.t += auth.MAX_DELAY
    assert attempts.status("10.0.0.1").locked
    assert "locked" in session(attempts, state={}).blocked_message()
    other = session(attempts, client="10.0.0.2")
    assert other.blocked_message() == "" and other.authorise("s3cret pass").ok


def test_success_clears_the_count_and_the_message(attempts):
    state = {}
    ed = session(attempts, state=state)
    ed.authorise("wrong", "save")
    assert "Wrong password" in ed.message("save") and ed.message("rollback") == ""
    assert ed.authorise("s3cret pass", "save").ok
    assert ed.message("save") == "" and attempts.status("10.0.0.1").failures == 0


def test_overall_failures_slow_every_client(attempts, clock):
    for i in range(auth.OVERALL_MAX + 1):
        attempts.failed(f"client-{i}")  # one wrong password each: no per-client delay
    fresh = attempts.status("somebody-new")
    assert fresh.failures == 0 and fresh.wait > 0
    clock.t += auth.OVERALL_WINDOW + 1
    assert attempts.status("somebody-new").wait == 0


def test_no_password_configured_never_authorises(attempts):
    ed = auth.EditorSession({}, "10.0.0.1", None, attempts)
    assert not ed.can_save and not ed.authorise("").ok and not ed.authorise("anything").ok
    assert attempts.status("10.0.0.1").failures == 0
