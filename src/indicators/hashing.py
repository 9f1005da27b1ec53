"""The one content hash of the project: sha256, as lowercase hex.

Store objects are named by it, `data/sources.json` records it for every bundled file, and an
upload that has the bytes of a bundled file is recognised by it.
"""

from __future__ import annotations

import hashlib
from os import PathLike

_CHUNK = 1 << 20


def sha256_bytes(data: bytes) -> str:
    """sha256 of bytes, as 64 hex digits."""
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: str | PathLike) -> str:
    """sha256 of a file's bytes, read in 1 MiB chunks."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(_CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()
