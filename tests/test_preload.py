"""The pages' HTML loads Plotly's script early (indicators.preload), through a real server."""

from __future__ import annotations

import gzip
import urllib.request

import streamlit

from indicators import preload


def get(url: str, gz: bool = False) -> tuple[dict, bytes]:
    req = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gz else {})
    with urllib.request.urlopen(req, timeout=30) as r:
        headers = {k.lower(): v for k, v in r.headers.items()}
        body = r.read()
    if headers.get("content-encoding") == "gzip":
        body = gzip.decompress(body)
    return headers, body


def test_the_installed_streamlit_has_the_plotly_chunk():
    url = preload.plotly_chunk()
    assert url and url.startswith("./static/js/PlotlyChart.")
    assert (preload.Path(streamlit.__file__).parent / "static" / url.removeprefix("./")).is_file()


def test_add_to_puts_the_script_in_the_head_once():
    html = b"<html><head><title>x</title></head><body></body></html>"
    once = preload.add_to(html)
    assert once.count(preload.snippet()) == 1
    assert once.index(preload.snippet()) < once.index(b"</head>") < once.index(b"<body>")
    assert preload.add_to(once) == once
    assert preload.add_to(b"<p>no head</p>") == b"<p>no head</p>"


def test_every_page_s_html_carries_the_script_compressed_or_not(server):
    for path in ("", "seizures", "claims?article=x", "upload"):
        for gz in (False, True):
            headers, body = get(f"{server.url}/{path}", gz)
            assert body.count(preload.snippet()) == 1, (path, gz)
            # sent whole and uncompressed (about 10 kB), its length declared right
            assert "content-encoding" not in headers and int(headers["content-length"]) == len(body)
            assert body.rstrip().endswith(b"</html>")
    # the script names the chunk the server serves
    chunk = preload.plotly_chunk().removeprefix("./")
    headers, body = get(f"{server.url}/{chunk}")
    assert headers["content-type"].startswith(("application/javascript", "text/javascript"))
    assert len(body) > 1_000_000


def test_other_responses_pass_untouched(server):
    root = preload.Path(streamlit.__file__).parent / "static"
    index_js = next((root / "static" / "js").glob("index.*.js"))
    _, body = get(f"{server.url}/static/js/{index_js.name}", gz=True)
    assert body == index_js.read_bytes()
    headers, body = get(f"{server.url}/_stcore/health")
    assert body == b"ok" and preload.snippet() not in body
