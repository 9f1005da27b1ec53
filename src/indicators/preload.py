"""Plotly's script, evaluated while a new visitor's page still waits for the server.

Streamlit's browser code loads its Plotly chunk (4.7 MB, about 0.65 s of the main thread to
evaluate here) only when the first chart element arrives, so for a new visitor it is loaded and
evaluated after the page's other elements: on the critical path of the first chart. A chart page
has the main thread mostly idle between the app's own scripts having run (DOMContentLoaded) and
the server's elements arriving, and while the elements' own scripts download. This server adds
a few lines to the page's HTML that start the chunk's `import()` at DOMContentLoaded, so its
download and evaluation use that time; when the chart element comes, the browser already has the
module (one module map per page: the same URL is never fetched or evaluated twice). Measured in
bench/README.md. Pages without charts (`NO_CHARTS`) do not load it.

`Middleware` is an ASGI middleware (`st.App(middleware=...)` in app.py): for a page's HTML it
asks the app for an uncompressed response (Streamlit's gzip sits inside user middleware) and
inserts `snippet()` before `</head>`; every other response passes through untouched. If the
installed Streamlit has no `PlotlyChart.*.js` chunk (a renamed build), nothing is added.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import streamlit

NO_CHARTS = ("upload", "sources")  # pages/ without a chart: their visitors need no Plotly
# Paths that never answer with a page's HTML: Streamlit's endpoints and files.
_NOT_PAGES = ("/_stcore/", "/static/", "/media/", "/component/", "/app/static/", "/favicon")
_HEAD_END = b"</head>"


@functools.cache
def plotly_chunk() -> str | None:
    """The Plotly chunk's URL as the page's own scripts name theirs (relative to the page:
    "./static/js/PlotlyChart.<hash>.js"), or None if this Streamlit build has none."""
    found = sorted(
        (Path(streamlit.__file__).parent / "static" / "static" / "js").glob("PlotlyChart.*.js")
    )
    return f"./static/js/{found[0].name}" if len(found) == 1 else None


@functools.cache
def snippet() -> bytes:
    """The script added to the head of every page's HTML (empty when there is no chunk)."""
    url = plotly_chunk()
    if url is None:
        return b""
    skip = "|".join(NO_CHARTS)
    return (
        "<script>/* drug-indicators (indicators.preload): Plotly's chunk, evaluated early */"
        'document.addEventListener("DOMContentLoaded",()=>{'
        f"if(!/\\/({skip})\\/?$/.test(location.pathname))"
        f"setTimeout(()=>import({json.dumps(url)}).catch(()=>{{}}),0);}});</script>"
    ).encode()


def add_to(html: bytes) -> bytes:
    """The page's HTML with the snippet before `</head>` (unchanged if it has no head or the
    snippet is already there)."""
    s = snippet()
    if not s or s in html or _HEAD_END not in html:
        return html
    return html.replace(_HEAD_END, s + _HEAD_END, 1)


class Middleware:
    """ASGI middleware adding `snippet()` to the pages' HTML."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or not snippet()
            or scope["path"].startswith(_NOT_PAGES)
        ):
            await self.app(scope, receive, send)
            return
        # a page's HTML is small (about 10 kB): ask for it uncompressed, so it can be edited
        headers = [(k, v) for k, v in scope["headers"] if k.lower() != b"accept-encoding"]
        scope = {**scope, "headers": headers}
        start: dict | None = None
        is_html = False
        body: list[bytes] = []

        async def send_edited(message) -> None:
            nonlocal start, is_html
            if message["type"] == "http.response.start":
                ctype = dict(message.get("headers", [])).get(b"content-type", b"")
                is_html = ctype.startswith(b"text/html")
                if not is_html:
                    await send(message)
                else:
                    start = message
                return
            if message["type"] != "http.response.body" or not is_html:
                await send(message)
                return
            body.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            html = add_to(b"".join(body))
            assert start is not None
            kept = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
            await send({**start, "headers": [*kept, (b"content-length", str(len(html)).encode())]})
            await send({"type": "http.response.body", "body": html, "more_body": False})

        await self.app(scope, receive, send_edited)
