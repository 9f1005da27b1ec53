"""Size limits for input files, in one place, so the page and the CLI agree.

- The Upload page takes files up to Streamlit's `server.maxUploadSize` (MB, in
  .streamlit/config.toml); the CLI up to `--max-mb`.
- Once decompressed (gzip), a file may be at most DECOMPRESSED_RATIO times that limit (1: the
  limit is on the CSV itself, compressed or not): the decompressed cap follows the upload
  limit, so raising one raises the other, and a small gzip cannot expand past what a plain
  upload may be. Decompression stops at the cap. Official CSVs are far below (the largest
  bundled one is 8.7 MB decompressed). The worst allowed upload (50 MB of CSV) takes about
  0.8 GB at its peak and a few seconds (tests/test_limits.py measures it).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

CONFIG = Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml"
DEFAULT_UPLOAD_MB = 50.0
DECOMPRESSED_RATIO = 1.0


def upload_mb() -> float:
    """The Upload page's limit (MB): Streamlit's server.maxUploadSize."""
    try:
        import streamlit as st

        v = st.get_option("server.maxUploadSize")
        if v:
            return float(v)
    except Exception:  # not under streamlit, or the option is unknown: read the file
        pass
    try:
        return float(tomllib.loads(CONFIG.read_text())["server"]["maxUploadSize"])
    except (OSError, KeyError, ValueError, tomllib.TOMLDecodeError):
        return DEFAULT_UPLOAD_MB


def max_decompressed(limit_mb: float) -> int:
    """Bytes a file of at most `limit_mb` MB may expand to."""
    return int(limit_mb * 1_000_000 * DECOMPRESSED_RATIO)
