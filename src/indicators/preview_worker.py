"""Runs the Upload page's heavy work (reading the files, planning and previewing the change)
in a child process: the server's other sessions keep their CPU (no shared interpreter lock),
the child's memory is capped (MEMORY_LIMIT) and all of it is returned to the system when it
exits. It runs at a lower CPU priority (NICENESS): on a busy machine the pages that other
readers are waiting for come first, and the upload takes the CPU they leave.

`python -m indicators.preview_worker IN OUT [SERVER_PID]`: IN holds a pickled (function name,
args, kwargs) of `indicators.preview`; OUT receives ("ok", result) or ("error", exception).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import resource
import sys

MEMORY_LIMIT = 4 * 1024**3  # address space of the child, bytes
# added to the server's: at 10, Linux gives the child about a tenth of a contended core
NICENESS = 10


def lower_priority(server_pid: int | None = None) -> None:
    """Nice this process. If it leads a session of its own (the server starts it so), nice
    its Linux autogroup too: with autogroups on, niceness only orders the processes of one
    session, so a niced child would still take a whole share against other sessions. (Outside
    its own session it leaves the autogroup alone: that would renice whoever started it.)
    Out of the server's session it no longer gets the server's signals, so it asks the kernel
    to kill it when the server dies, and exits if the server (`server_pid`) is already gone."""
    with contextlib.suppress(OSError):
        os.nice(NICENESS)
    if os.getsid(0) == os.getpid():
        with contextlib.suppress(OSError), open("/proc/self/autogroup", "w") as f:
            f.write(str(NICENESS))
    with contextlib.suppress(OSError, AttributeError):
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
    if server_pid is not None and os.getppid() != server_pid:
        os._exit(1)  # the server died before the kernel could be asked


def main(argv: list[str]) -> int:
    src, dst, *server = argv
    lower_priority(int(server[0]) if server else None)
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
