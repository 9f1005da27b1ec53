"""Runs the Upload page's heavy work (reading the files, planning and previewing the change)
in a child process: the server's other sessions keep their CPU (no shared interpreter lock),
the child's memory is capped (MEMORY_LIMIT) and all of it is returned to the system when it
exits. It runs at a lower CPU priority (NICENESS): on a busy machine the pages that other
readers are waiting for come first, and the upload takes the CPU they leave. `python -m indicators.preview_worker IN OUT`: IN holds a pickled (function name, args,
kwargs) of `indicators.preview`; OUT receives ("ok", result) or ("error", exception).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import resource
import sys

MEMORY_LIMIT = 4 * 1024**3  # address space of the child, bytes
NICENESS = (
    10  # added to the server's: at 10, Linux gives the child about a tenth of a contended core
)


def lower_priority() -> None:
    """Nice the child; and, since the server starts it in a session of its own, its Linux
    autogroup too (with autogroups on, niceness only orders processes within a session, so a
    niced child would still take a whole share against other sessions' processes). The child
    is killed if the server dies (it no longer shares the server's session and its signals)."""
    with contextlib.suppress(OSError):
        os.nice(NICENESS)
    with contextlib.suppress(OSError), open("/proc/self/autogroup", "w") as f:
        f.write(str(NICENESS))
    with contextlib.suppress(OSError, AttributeError):
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
        if os.getppid() == 1:  # the server died before that took effect
            os._exit(1)


def main(argv: list[str]) -> int:
    src, dst = argv
    lower_priority()
    with contextlib.suppress(ValueError, OSError):  # a lower hard limit is already set: keep it
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    from . import preview
    from .errors import InputError, StoreError

    with open(src, "rb") as f:
        name, args, kwargs = pickle.load(f)
    try:
        out = ("ok", getattr(preview, name)(*args, **kwargs))
    except (InputError, StoreError, ValueError) as exc:
        out = ("error", exc)
    except MemoryError:
        out = ("error", StoreError(f"the upload needs more than {MEMORY_LIMIT // 1024**3} GB of memory to preview"))  # fmt: skip
    with open(dst, "wb") as f:
        pickle.dump(out, f, protocol=pickle.HIGHEST_PROTOCOL)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
