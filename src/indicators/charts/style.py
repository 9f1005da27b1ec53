"""Colours, sizes and plain-word labels: one place for every chart, so a series looks and reads
the same everywhere (OFO is the same blue on every page, a drug the same colour in deaths and
seizures, a region never takes a component's colour)."""

from __future__ import annotations

import functools
import html
import textwrap
from dataclasses import dataclass

from .. import contract
from ..hashing import sha256_bytes

FONT = "DejaVu Sans, Arial, sans-serif"
INK, GREY, LIGHT = "#222222", "#555555", "#BBBBBB"

# Okabe-Ito and Paul Tol colours, assigned by meaning. Families that share a page never share
# a colour: components, regions and agencies are disjoint; drugs have their own set.
COLOURS: dict[str, str] = {
    # CBP components
    "Office of Field Operations": "#0072B2",
    "U.S. Border Patrol": "#009E73",
    "Air and Marine Operations": "#56B4E9",
    "by_state_total": "#6A51A3",  # CBP's by-State table: OFO + USBP, no component split
    # agencies and sources
    "CDC/NCHS": "#332288",
    "DEA": "#AA4499",
    "HIDTA": "#882255",
    # regions (seizure regions and encounter land-border regions)
    "Southwest Border": "#E69F00",
    "Southwest Land Border": "#E69F00",
    "Northern Border": "#44AA99",
    "Northern Land Border": "#44AA99",
    "Coastal/Interior": "#999933",
    "Other": "#999933",
    # drugs (seizures and the matching death categories)
    "fentanyl": "#D55E00",
    "synthetic_opioids": "#D55E00",
    "methamphetamine": "#CC79A7",
    "psychostimulants": "#CC79A7",
    "cocaine": "#8C6D31",
    "heroin": "#01665E",
    "natural_semisynthetic_opioids": "#6699CC",
    "all_opioids": "#117733",
    "methadone": "#999999",
    "marijuana": "#4D9221",
    "ecstasy": "#CAB2D6",
    "ketamine": "#DDCC77",
    "khat": "#B2DF8A",
    "lsd": "#FB9A99",
    "other_drugs": "#BBBBBB",
    "counterfeit_pills": "#AA4499",
    "all_drugs": "#222222",
    # overview indicators: the colour of what they count
    "ind:deaths": "#222222",
    "ind:seizures": "#D55E00",
    "ind:encounters": "#6A51A3",  # the by-State table's OFO + USBP total, as on its own page
    # encounter breakdowns
    "Title 8": "#CC3311",
    "Title 42": "#F4A582",
    "Apprehensions": "#009E73",
    "Inadmissibles": "#0072B2",
    "Expulsions": "#F4A582",  # Title 42 expulsions
    "Single Adults": "#A50026",
    "FMUA": "#CC6677",
    "Accompanied Minors": "#A6761D",
    "UAC": "#FDBF6F",
    "All others": "#BBBBBB",
    "OTHER": "#BBBBBB",
}
# For open-ended categories (areas of responsibility, citizenships): a fixed colour per name.
# They share the encounters page with the components' blues and green, the by-State total's
# purple and the regions' orange, teal and olive: none is near those (CIE76 distance of 20 or
# more, tests/test_charts.py), so a sector is never read as OFO or a region.
EXTRA = ["#CC3311", "#EE3377", "#6F4E37", "#F4A582", "#AA3377", "#666666", "#DDCC77", "#A50026",
         "#FFAABB", "#994455", "#C2A5CF"]  # fmt: skip

# The chosen states (states page): none near a CBP component's blue or green, a region's or an
# agency's colour, so a state's line is never read as OFO's, the Border Patrol's or the DEA's.
# One per state the page can hold (filters.MAX_STATES), so no two chosen states share one.
# In the order that keeps the first picks farthest apart (each next colour the farthest from
# those before it): the first two were a pink and a dark red, the closest pair of the eight.
# The purple last: it is near the by-State total's purple of the encounters page.
STATE_COLOURS = ["#A50026", "#CCBB44", "#6F4E37", "#E7298A", "#F4A582", "#EE6677", "#BF812D",
                 "#5E3C99"]  # fmt: skip


@functools.cache
def distance(a: str, b: str) -> float:
    """How far apart two colours look: CIE76 (Euclidean distance in CIELAB, D65); about 2
    is barely seen, 25 or more reads as two colours."""

    def lab(hex_colour: str) -> tuple[float, float, float]:
        rgb = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [((c + 0.055) / 1.055) ** 2.4 if c > 0.04045 else c / 12.92 for c in rgb]
        xyz = (
            (0.4124 * lin[0] + 0.3576 * lin[1] + 0.1805 * lin[2]) / 0.95047,
            0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2],
            (0.0193 * lin[0] + 0.1192 * lin[1] + 0.9505 * lin[2]) / 1.08883,
        )
        fx, fy, fz = (t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116 for t in xyz)
        return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)

    return sum((p - q) ** 2 for p, q in zip(lab(a), lab(b), strict=True)) ** 0.5


def _luminance(hex_colour: str) -> float:
    rgb = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


@functools.cache
def text_colour(hex_colour: str, contrast: float = 3.0) -> str:
    """A series' colour for words on white: the colour itself, or as much darker as it takes
    to reach `contrast` against white (WCAG's ratio; a sand yellow label was hard to read)."""
    c = hex_colour if len(hex_colour) == 7 and hex_colour.startswith("#") else None
    if c is None:
        return hex_colour
    rgb = [int(c[i : i + 2], 16) for i in (1, 3, 5)]
    for step in range(21):
        k = 1 - step / 20
        out = "#" + "".join(f"{round(v * k):02X}" for v in rgb)
        if 1.05 / (_luminance(out) + 0.05) >= contrast:
            return out
    return INK


def colour(key: str) -> str:
    """The one colour of a series key, the same in every chart."""
    if key in COLOURS:
        return COLOURS[key]
    h = int(sha256_bytes(str(key).encode())[:8], 16)
    return EXTRA[h % len(EXTRA)]


def runs(values, sep: str = ", ") -> str:
    """Whole numbers as runs: [2015, ..., 2020, 2022] -> '2015-2020, 2022'."""
    out: list[list[int]] = []
    for y in sorted({int(y) for y in values}):
        if out and y == out[-1][-1] + 1:
            out[-1].append(y)
        else:
            out.append([y])
    return sep.join(str(r[0]) if len(r) == 1 else f"{r[0]}-{r[-1]}" for r in out)


def year_runs(years) -> str:
    """Years as runs: [2015, ..., 2020, 2022] -> '2015-2020, 2022'."""
    return runs(years) or "none"


@functools.cache
def scale(name: str) -> list[list]:
    """A named Plotly colour scale as the list of stops plotly.js takes ("RdBu_r", reversed,
    exists only in Python; Plotly's validation used to expand it on every figure)."""
    from plotly.colors import get_colorscale

    return [[round(float(a), 9), c] for a, c in get_colorscale(name)]


def colours(keys: list[str]) -> dict[str, str]:
    """Colours for the keys of one chart: fixed ones first; open-ended names that collide in
    this chart move to the next free colour (deterministically, by name order)."""
    out = {k: COLOURS[k] for k in keys if k in COLOURS}
    used = set(out.values())
    for k in sorted(k for k in keys if k not in COLOURS):
        c = colour(k)
        i = EXTRA.index(c)
        for step in range(len(EXTRA)):
            cand = EXTRA[(i + step) % len(EXTRA)]
            if cand not in used:
                c = cand
                break
        out[k] = c
        used.add(c)
    return out


@dataclass(frozen=True)
class Size:
    """Type sizes and the narrowest width a figure is drawn at (text is wrapped for it)."""

    name: str
    font: int
    title: int
    small: int
    height: int
    min_width: int  # px: 1440-wide browser with the sidebar; 1280 export; card column

    @property
    def card(self) -> bool:
        """A claim card's chart (on the page or in presentation mode)."""
        return self.name.startswith("card")

    def chars(self, px: int, font: int | None = None) -> int:
        """How many characters of DejaVu Sans fit in px (about 0.6 em per character)."""
        return max(12, int(px / ((font or self.small) * 0.61)))


PAGE = Size("page", font=13, title=18, small=12, height=540, min_width=860)
PRESENT = Size("present", font=17, title=24, small=15, height=820, min_width=1380)
CARD = Size("card", font=11, title=14, small=10, height=400, min_width=340)
# a claim card's chart in presentation mode: the card's chart column of a full-width page
CARD_PRESENT = Size("card_present", font=15, title=19, small=13, height=560, min_width=560)
EXPORT = Size("export", font=14, title=20, small=13, height=720, min_width=1280)


def esc(text: object, width: int = 0) -> str:
    """User text made inert for Plotly (which renders a subset of HTML: <a>, <span style>...)
    and optionally wrapped at `width` characters with <br>."""
    s = str("" if text is None else text)
    if not width:
        return html.escape(s, quote=True)
    return "<br>".join(html.escape(line, quote=True) for line in textwrap.wrap(s, width) or [""])


def wrap_lines(text: str, width: int) -> list[str]:
    """Lines of at most `width` characters; a line never starts with the '·' that parts two
    items (it ends the line before)."""
    lines = textwrap.wrap(str(text), width, break_long_words=True) or [""]
    for i in range(1, len(lines)):
        if lines[i].startswith("· ") and lines[i - 1]:
            lines[i - 1], lines[i] = lines[i - 1] + " ·", lines[i][2:]
    return lines


# --- plain words for codes ---------------------------------------------------------------

COMPONENT_WORDS = {
    "Office of Field Operations": "Office of Field Operations (ports of entry)",
    "U.S. Border Patrol": "U.S. Border Patrol (between ports)",
    "Air and Marine Operations": "Air and Marine Operations",
    "by_state_total": "Ports of entry + Border Patrol together (from CBP's encounters by state)",
}
DEATH_DRUG_WORDS = {
    "all_drugs": "All drugs",
    "synthetic_opioids": "Synthetic opioids (mostly fentanyl)",
    "psychostimulants": "Psychostimulants (mostly meth)",
    "cocaine": "Cocaine",
    "heroin": "Heroin",
    "natural_semisynthetic_opioids": "Prescription-type opioids",
    "all_opioids": "All opioids",
    "methadone": "Methadone",
}
CITIZENSHIP_WORDS = {
    "CHINA, PEOPLES REPUBLIC OF": "China",
    "OTHER": "Other (CBP's residual group)",
    "EL SALVADOR": "El Salvador",
    "KOREA, SOUTH": "South Korea",
    "RUSSIA": "Russia",
}
REGION_WORDS = {
    "Southwest Land Border": "Southwest border",
    "Northern Land Border": "Northern border",
    "Other": "Coastal and interior (not a land border)",
    "Southwest Border": "Southwest border",
    "Northern Border": "Northern border",
    "Coastal/Interior": "Coastal and interior",
}
DEMOGRAPHIC_WORDS = {
    "FMUA": "Family units",
    "UAC": "Unaccompanied children",
    "Single Adults": "Single adults",
    "Accompanied Minors": "Accompanied minors",
}


def citizenship(code: str) -> str:
    if code in CITIZENSHIP_WORDS:
        return CITIZENSHIP_WORDS[code]
    words = (
        str(code).title().replace(" Of", " of").replace(" And ", " and ").replace(" The", " the")
    )
    if ", " in words:  # "KOREA, NORTH" -> "North Korea"
        a, b = words.split(", ", 1)
        words = f"{b} {a}"
    return words


AGENCY_WORDS = {"HIDTA": "law enforcement reporting to HIDTA"}  # not 'all U.S. law enforcement'


def label(dimension: str, key: str) -> str:
    """The plain words for a code of a dimension (component, drug, region, citizenship...)."""
    key = str(key)
    if dimension == "agency":
        return AGENCY_WORDS.get(key, key)
    if dimension == "component":
        return COMPONENT_WORDS.get(key, key)
    if dimension == "drug":
        return contract.SEIZURE_DRUGS.get(key, key).split(" (")[0]
    if dimension == "death_drug":
        return DEATH_DRUG_WORDS.get(key, contract.DEATH_DRUGS.get(key, key).split(" (")[0])
    if dimension == "citizenship":
        return citizenship(key)
    if dimension in ("region", "land_border_region"):
        return REGION_WORDS.get(key, key)
    if dimension == "demographic":
        return DEMOGRAPHIC_WORDS.get(key, key)
    if dimension == "area_of_responsibility":
        return key.replace(" Field Office", " (port field office)").replace(" Sector", " sector")
    return key


def number(v: float, unit: str = "") -> str:
    """12,345 / 1.2 million / 1.15 billion, with the unit."""
    a = abs(v)
    if a >= 1e9:
        s = f"{v / 1e9:,.2f}".rstrip("0").rstrip(".") + " billion"
    elif a >= 1e6:
        s = f"{v / 1e6:,.1f}".rstrip("0").rstrip(".") + " million"
    elif a >= 100 or float(v).is_integer():
        s = f"{v:,.0f}"
    else:
        s = f"{v:,.1f}"
    return f"{s} {unit}".strip()
