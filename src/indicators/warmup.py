"""Work done once when the server starts, before it accepts a visitor: the imports, every
table read into memory, the overview's charts built once (Plotly loads its validators on the
first figure), the claim verdicts, the claims page's cards and the overview's figures. Without
it the first visitor after a start waits for all of that (about 2 s here). Called from app.py's
server lifespan; the script's own caches fill on the first run.
"""

from __future__ import annotations

import logging
import time

log = logging.getLogger(__name__)


def streamlit_first_run() -> None:
    """What Streamlit itself does once per process, in the first script run, made here:
    its first element asks whether it runs in a REPL (`env_util.is_repl`: `inspect.stack()`,
    whose first call maps every loaded module to its file, about 0.2 s), and the page's
    favicon loads PIL."""
    import inspect

    import PIL.Image  # noqa: F401 - st.set_page_config's favicon

    inspect.stack()


def run() -> float:
    """Warm the process; returns the seconds it took. Never raises: a damaged store is
    reported by the page itself (app.py's store check), not by a server that won't start."""
    t0 = time.perf_counter()
    try:
        from . import charts, contract, derived, query
        from .filters import Filters
        from .store import Store

        store = Store()
        if store.verify():
            return time.perf_counter() - t0
        for name in contract.TABLES:
            query.load(name, store)
        derived.verdicts(store)  # what the pages draw claims from, and the overview's cards
        derived.headlines(store)
        derived.freshness(store)
        # the overview as a first visitor sees it: filters from an empty URL, the first
        # article (app.py: ui.default_article), claims at the default tolerance (ui.built)
        articles = sorted(query.load("claims", store)["article_id"].unique().tolist())
        f = Filters.from_query({})
        f = f.with_(article=articles[0]) if articles else f
        version = store.fingerprint()
        ev = derived.verdicts(store)
        claims = ev[ev.article_id == f.article] if f.article else ev
        for name in charts.shown("overview", f):
            key = charts.cache_key(name, f, version, charts.claims_key(version, 0.10, f.article))
            charts.built(key, name, f, None, claims).drawn  # noqa: B018 - made once, here
        derived.claims_view(None, 0.10, f.article)  # the claims page's cards (None: shared)
        streamlit_first_run()
    except Exception:  # noqa: BLE001 - a failed warm-up only costs the first visitor time
        log.exception("warm-up failed; the first visitor will load what it needs")
    return time.perf_counter() - t0
