"""Who may change the shared data: editors who know the operator's password.

The password comes from $INDICATORS_EDITOR_PASSWORD or Streamlit secrets
(`editor_password`). It is compared in constant time. With none configured, saving from the
web page is disabled (preview mode only); the CLI stays available to whoever runs the server.
"""

from __future__ import annotations

import hmac
import os

MAX_ATTEMPTS = 5


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
