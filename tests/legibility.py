"""Legibility of rendered charts, measured from the SVG in a real browser.

`CHECK_JS` runs in the page (Playwright `evaluate`) and returns, for every Plotly figure in the
document, the problems a reader would see on a slide:

- ``text/text``: two text boxes overlap (title, subtitle, legend, tick labels, annotations,
  axis titles, event numbers...);
- ``text/mark``: a text box covers a bar, a marker or a line of the data;
- ``clipped``: a text box crosses the figure's edge.

Text boxes are the client rectangles of SVG ``text`` elements with visible content; marks are
bar paths, scatter markers and points sampled along line paths, all inside the plot area.
Tile-map labels (heatmap text) are meant to sit on their tile and are only checked against
each other. The same script runs on an exported SVG loaded into a blank page.
"""

from __future__ import annotations

CHECK_JS = r"""
(() => {
  const SLACK = 1.0;  // px: touching boxes are fine, overlapping ones are not
  const vis = (el) => {
    for (let e = el; e && e.nodeType === 1; e = e.parentNode) {
      const cs = getComputedStyle(e);
      if (cs.display === 'none' || cs.visibility === 'hidden' || parseFloat(cs.opacity) === 0) return false;
    }
    return true;
  };
  const inter = (a, b, s) => (Math.min(a.right, b.right) - Math.max(a.left, b.left) > s) &&
                             (Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > s);
  const inside = (r, x, y) => x > r.left + SLACK && x < r.right - SLACK && y > r.top + SLACK && y < r.bottom - SLACK;
  const figs = [];
  const roots = Array.from(document.querySelectorAll('.js-plotly-plot'));
  // An exported SVG loaded into a blank page: the body holds the one figure.
  const plots = roots.length ? roots : (document.querySelector('svg') ? [document.body] : []);
  plots.forEach((plot, idx) => {
    const svgs = Array.from(plot.querySelectorAll('svg.main-svg'));
    if (!svgs.length) svgs.push(plot.querySelector('svg'));
    const main = svgs[0];
    if (!main) return;
    const fr = main.getBoundingClientRect();
    if (fr.width < 2 || fr.height < 2) return;
    const title = (plot.querySelector('.gtitle') || {}).textContent || '';
    const texts = [];
    svgs.forEach((svg) => svg.querySelectorAll('text').forEach((t) => {
      if (t.closest('.hoverlayer') || t.closest('.modebar')) return;
      const s = (t.textContent || '').trim();
      if (!s || !vis(t)) return;
      const r = t.getBoundingClientRect();
      if (r.width < 0.5 || r.height < 0.5) return;
      const tile = !!t.closest('.heatmaplayer') || !!t.closest('.hm');
      texts.push({s: s.slice(0, 60), r, tile, cls: (t.getAttribute('class') || '') + ' ' + ((t.parentNode.getAttribute && t.parentNode.getAttribute('class')) || '')});
    }));
    const marks = [];
    const pts = [];
    svgs.forEach((svg) => {
      svg.querySelectorAll('.barlayer .point path, .barlayer path.point').forEach((p) => {
        if (!vis(p)) return;
        const r = p.getBoundingClientRect();
        if (r.width > 0.5 && r.height > 0.5) marks.push({r, what: 'bar'});
      });
      svg.querySelectorAll('.scatterlayer .points path').forEach((p) => {
        if (!vis(p)) return;
        const r = p.getBoundingClientRect();
        if (r.width > 0.5 && r.height > 0.5) marks.push({r, what: 'marker'});
      });
      svg.querySelectorAll('.scatterlayer path.js-line').forEach((p) => {
        if (!vis(p) || !p.getTotalLength) return;
        const L = p.getTotalLength();
        const m = p.getScreenCTM();
        if (!m || !L) return;
        const n = Math.min(800, Math.max(20, Math.ceil(L / 3)));
        for (let i = 0; i <= n; i++) {
          const q = p.getPointAtLength(L * i / n);
          pts.push({x: m.a * q.x + m.c * q.y + m.e, y: m.b * q.x + m.d * q.y + m.f});
        }
      });
    });
    const problems = [];
    for (let i = 0; i < texts.length; i++) {
      const a = texts[i];
      if (a.r.left < fr.left - 0.5 || a.r.right > fr.right + 0.5 || a.r.top < fr.top - 0.5 || a.r.bottom > fr.bottom + 0.5)
        problems.push({kind: 'clipped', a: a.s});
      for (let j = i + 1; j < texts.length; j++) {
        const b = texts[j];
        if (inter(a.r, b.r, SLACK)) problems.push({kind: 'text/text', a: a.s, b: b.s});
      }
      if (a.tile) continue;
      for (const mk of marks) {
        if (inter(a.r, mk.r, SLACK)) { problems.push({kind: 'text/mark', a: a.s, b: mk.what}); break; }
      }
      for (const p of pts) {
        if (inside(a.r, p.x, p.y)) { problems.push({kind: 'text/mark', a: a.s, b: 'line'}); break; }
      }
    }
    figs.push({index: idx, title: title.slice(0, 80), width: Math.round(fr.width), texts: texts.length,
               marks: marks.length + pts.length, problems});
  });
  return figs;
})()
"""


def check_page(page) -> list[dict]:
    """Every figure on the page with its legibility problems (empty lists when legible)."""
    return page.evaluate(CHECK_JS)


def problems(figs: list[dict]) -> list[str]:
    out = []
    for f in figs:
        for p in f["problems"]:
            out.append(
                f"[{f['title'] or f['index']}] {p['kind']}: {p.get('a')!r} / {p.get('b', '')!r}"
            )
    return out
