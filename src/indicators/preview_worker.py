"""Runs the Upload page's heavy work (reading the files, planning and previewing the change)
in a child process: the server's other sessions keep their CPU (no shared interpreter lock),
the child's memory is capped (MEMORY_LIMIT) and all of it is returned to the system when it
exits. `python -m indicators.preview_worker IN OUT`: IN holds a pickled (function name, args,
kwargs) of `indicators.preview`; OUT receives ("ok", result) or ("error", exception).
"""

from __future__ import annotations

import contextlib
import pickle
import resource
import sys

MEMORY_LIMIT = 4 * 1024**3  # address space of the child, bytes


def main(argv: list[str]) -> int:
    src, dst = argv
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
