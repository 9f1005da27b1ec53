"""What one chart costs the browser to redraw: Plotly.react of this app's figures, on Debian's
Chromium, against the one-chart floor's figure (bench/onechart.py) and against the same figures
stripped of their words (annotations: notes, source, labels; title; shapes: events, claims).

A year-basis click redraws every chart of a page; the warm-rerun target (issue 12) compares
the click with the floor page, which redraws one six-bar chart. This says how much of a
chart's redraw is Plotly's fixed cost (the axes and the plot area, which no figure can drop)
and how much its words, so whether a page of several charts could come within 2x of it.

Plotly.js is the one the Python package carries (what exports use); Streamlit bundles its
own build. Each figure: drawn once, then redrawn with the other basis's figure and back;
median of n such pairs (default 11), variants alternating within each round.

    uv run python bench/redraw.py [n] [chart ...]
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

import plotly
import plotly.graph_objects as go
from playwright.sync_api import sync_playwright

from indicators import charts, claims
from indicators.filters import Filters

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"

VARIANTS = r"""
((pick) => ({
  figure: s => s,
  'no annotations': s => ({data: s.data, layout: {...s.layout, annotations: []}}),
  'no title': s => ({data: s.data, layout: {...s.layout, title: {text: ''}}}),
  'no shapes': s => ({data: s.data, layout: {...s.layout, shapes: []}}),
  'axes and traces only': s => ({data: s.data, layout: {...pick(s.layout, ['height', 'margin', 'xaxis', 'yaxis', 'barmode']), showlegend: false}}),
  'axes only': s => ({data: [], layout: pick(s.layout, ['height', 'margin', 'xaxis', 'yaxis'])}),
}))((l, keys) => Object.fromEntries(keys.filter(k => l[k] !== undefined).map(k => [k, l[k]])))
"""

TIMED = r"""
async ([specs, n]) => {
  const V = VARIANTS_SRC;
  const cfg = {displayModeBar: false};
  const div = document.getElementById('g');
  const out = {};
  for (const [name, [a, b]] of Object.entries(specs)) {
    const t = {}; for (const k in V) t[k] = [];
    for (let round = 0; round < n; round++) {
      const keys = Object.keys(V); if (round % 2) keys.reverse();
      for (const k of keys) {
        Plotly.purge(div);
        const A = V[k](a), B = V[k](b);
        await Plotly.newPlot(div, structuredClone(A.data), structuredClone(A.layout), cfg);
        const t0 = performance.now();
        await Plotly.react(div, structuredClone(B.data), structuredClone(B.layout), cfg);
        await Plotly.react(div, structuredClone(A.data), structuredClone(A.layout), cfg);
        t[k].push((performance.now() - t0) / 2);
      }
    }
    out[name] = t;
  }
  return out;
}
"""


def floor_specs() -> list[dict]:
    """The floor page's figure under each basis (bench/onechart.py)."""
    xs = list(range(2019, 2025))
    return [
        json.loads(go.Figure(go.Bar(x=xs, y=ys)).to_json())
        for ys in ([3, 5, 4, 6, 8, 7], [4, 5, 6, 6, 7, 9])
    ]


def main() -> None:
    args = sys.argv[1:]
    n = int(args.pop(0)) if args and args[0].isdigit() else 11
    names = args or [k for k, s in charts.CHARTS.items() if s.page in ("seizures", "encounters")]
    evaluated = claims.evaluate_all()
    specs = {"one-chart floor": floor_specs()}
    for name in names:
        specs[name] = [
            json.loads(json.dumps(charts.build(name, f, None, evaluated).spec, default=str))
            for f in (Filters(), Filters(basis="fiscal"))
        ]
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = b.new_page(viewport={"width": 1440, "height": 1000})
        page.set_content("<html><body><div id=g style='width:1100px'></div></body></html>")
        page.add_script_tag(path=str(JS))
        res = page.evaluate(TIMED.replace("VARIANTS_SRC", VARIANTS), [specs, n])
        b.close()
    keys = list(next(iter(res.values())))
    print(
        f"Plotly.react per redraw, median of {n} (ms); plotly.js from plotly {plotly.__version__}"
    )
    print("| chart | " + " | ".join(keys) + " |")
    print("|---" * (len(keys) + 1) + "|")
    for name, t in res.items():
        cells = [f"{statistics.median(t[k]):.1f}" for k in keys]
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
