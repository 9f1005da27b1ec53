"""Propose the checkable claims of any text: numbers, units, filters and periods found by rules
over the project's own vocabulary (contract.py's drugs, agencies, components, regions, codes).

`extract(text, article_date)` splits the text into sentences and, for every number that
measures something the tables hold (deaths, pounds or kilograms seized, pills, encounters,
seizure events), proposes a claim: the value ("27,000", "3.2 million", "five hundred
thousand"), the comparator ("over", "nearly", ...), the table and its filters, the period
(fiscal or calendar; "the past decade" and "last year" relative to the article's date), the
verdict computed by claims.evaluate, and a confidence. Numbers that are dates, times, ages,
years, money or percentages give no proposal; quantities the tables do not hold (tons of
precursors, chemicals scheduled) and quantifiers such as "almost all ... from China" give a
`not_checkable` proposal that says why. No number-word library is used: text2num's
alpha2digit was tried and rewrote "3.2 million" as "3.2 1000000" and "half a million" as
"half a 1000000", and left "two tons" alone; the rules below handle all three.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser

from . import claims, contract
from .store import Store

# --- numbers ------------------------------------------------------------------------------

SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
SCALE_ABBR = {"k": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "bn": 1e9, "b": 1e9}

_WORD = r"(?:" + "|".join(sorted(SMALL, key=len, reverse=True)) + r")"
_WORDNUM = re.compile(
    rf"\b(?:(?:a|one)\s+half\s+(?:a\s+)?|half\s+a\s+|an?\s+)?"
    rf"(?:{_WORD}(?:[\s-]+(?:and\s+)?(?:{_WORD}|hundred|thousand|million|billion|trillion))*"
    r"|(?<=\ba\s)(?:hundred|thousand|million|billion))\b",
    re.I,
)
_DIGITS = re.compile(
    r"(?<![\w.,/:-])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?"
    r"(?:\s*(thousand|million|billion|trillion)\b|\s?(k|mn|mln|bn|m|b)\b)?",
    re.I,
)


def words_to_number(text: str) -> float | None:
    """'five hundred thousand' -> 500000; 'twenty-seven' -> 27; 'half a million' -> 500000."""
    t = text.lower().replace("-", " ")
    half = False
    if t.startswith(("half a ", "a half ", "one half ")):
        half, t = True, re.sub(r"^(half a|a half( a)?|one half( a)?)\s+", "", t)
    tokens = [w for w in t.split() if w not in ("and",)]
    if tokens and tokens[0] in ("a", "an"):
        tokens[0] = "one"
    total, current, seen = 0.0, 0.0, False
    for w in tokens:
        if w in SMALL:
            current += SMALL[w]
            seen = True
        elif w == "hundred":
            current = (current or 1) * 100
            seen = True
        elif w in SCALES:
            total += (current or 1) * SCALES[w]
            current = 0.0
            seen = True
        else:
            return None
    if not seen:
        return None
    value = total + current
    return value / 2 if half else value


@dataclass
class Number:
    value: float
    start: int
    end: int
    text: str
    words: bool = False


def find_numbers(sentence: str) -> list[Number]:
    """Every number in a sentence, digits (with scale words) or words."""
    out: list[Number] = []
    for m in _DIGITS.finditer(sentence):
        v = float(m.group(1).replace(",", "") + (m.group(2) or ""))
        if m.group(3):
            v *= SCALES[m.group(3).lower()]
        elif m.group(4):
            v *= SCALE_ABBR[m.group(4).lower()]
        out.append(Number(v, m.start(), m.end(), m.group(0)))
    for m in _WORDNUM.finditer(sentence):
        if any(n.start < m.end() and m.start() < n.end for n in out):
            continue
        v = words_to_number(m.group(0))
        if v is not None and m.group(0).strip().lower() not in ("a", "an", "one"):
            out.append(Number(v, m.start(), m.end(), m.group(0), words=True))
    return sorted(out, key=lambda n: n.start)


# --- text ---------------------------------------------------------------------------------


class _TextParser(HTMLParser):
    BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section"}
    SKIP = {"script", "style", "noscript", "template", "head"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skip += 1
        elif tag in self.BLOCK:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in self.BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """The visible text of an HTML page, paragraphs kept apart; scripts and styles dropped."""
    p = _TextParser()
    p.feed(html)
    p.close()
    text = "".join(p.parts)
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    return re.sub(r"\s*\n\s*\n\s*", "\n\n", text).strip()


def looks_like_html(text: str) -> bool:
    return bool(re.search(r"<(html|body|p|div|article|br|h1|span)\b", text[:5000], re.I))


ABBREV = {
    "u.s", "u.k", "u.n", "mr", "mrs", "ms", "dr", "rep", "sen", "gov", "gen", "lt", "col",
    "st", "no", "vs", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
    "nov", "dec", "inc", "corp", "co", "jr", "sr", "dept", "est", "approx", "a.m", "p.m", "d.c",
}  # fmt: skip


def sentences(text: str) -> list[str]:
    """Sentences of a text (paragraph breaks always split; 'U.S.' and 'Dr.' do not)."""
    out = []
    paras = []
    for block in re.split(r"\n\s*\n", text):
        lines = [ln.strip() for ln in block.split("\n") if ln.strip()]
        cur = ""
        for ln in lines:
            cur = f"{cur} {ln}".strip()
            # a line that ends a sentence, or a short heading, ends its paragraph; wrapped
            # lines of one paragraph are joined
            if re.search(r"[.!?:\"”]$", ln) or (len(ln) < 60 and not re.search(r"[,;]$", ln)):
                paras.append(cur)
                cur = ""
        if cur:
            paras.append(cur)
    for para in paras:
        para = " ".join(para.split())
        start = 0
        for m in re.finditer(r"[.!?][\"”’)]?\s+(?=[\"“‘(]?[A-Z0-9])", para):
            before = para[start : m.start() + 1]
            word = re.search(r"([\w.]+)\.$", before)
            if word and (word.group(1).lower() in ABBREV or len(word.group(1)) == 1):
                continue
            out.append(para[start : m.end()].strip())
            start = m.end()
        if para[start:].strip():
            out.append(para[start:].strip())
    return [s for s in out if s]


# --- vocabulary ---------------------------------------------------------------------------

DEATH_DRUG_WORDS = [
    (r"synthetic opioids? other than methadone|synthetic opioid|fentanyl", "synthetic_opioids"),  # CDC's name, whole
    (r"heroin", "heroin"),
    (r"cocaine", "cocaine"),
    (r"methamphetamine|\bmeth\b|psychostimulant|stimulant", "psychostimulants"),
    (r"methadone", "methadone"),
    (r"benzodiazepine", "benzodiazepines"),
    (r"prescription opioid|natural and semi-?synthetic|semi-?synthetic opioid", "natural_semisynthetic_opioids"),
    (r"opioid|opiate", "all_opioids"),
]  # fmt: skip
SEIZURE_DRUG_WORDS = [
    (r"counterfeit pills?|fake pills?", "counterfeit_pills"),
    (r"fentanyl", "fentanyl"),
    (r"methamphetamine|\bmeth\b|crystal meth", "methamphetamine"),
    (r"cocaine", "cocaine"),
    (r"heroin", "heroin"),
    (r"marijuana|cannabis", "marijuana"),
    (r"ecstasy|\bmdma\b", "ecstasy"),
    (r"ketamine", "ketamine"),
    (r"\bkhat\b", "khat"),
    (r"\blsd\b", "lsd"),
]
DEMONYMS = {
    "chinese": "CHINA, PEOPLES REPUBLIC OF", "mexican": "MEXICO", "venezuelan": "VENEZUELA",
    "cuban": "CUBA", "haitian": "HAITI", "colombian": "COLOMBIA", "ecuadorian": "ECUADOR",
    "guatemalan": "GUATEMALA", "honduran": "HONDURAS", "salvadoran": "EL SALVADOR",
    "nicaraguan": "NICARAGUA", "indian": "INDIA", "russian": "RUSSIA", "ukrainian": "UKRAINE",
    "peruvian": "PERU", "brazilian": "BRAZIL", "canadian": "CANADA", "turkish": "TURKEY",
    "romanian": "ROMANIA", "filipino": "PHILIPPINES", "burmese": "MYANMAR (BURMA)",
}  # fmt: skip
COUNTRY_WORDS = {
    "china": "CHINA, PEOPLES REPUBLIC OF", "mexico": "MEXICO", "venezuela": "VENEZUELA",
    "cuba": "CUBA", "haiti": "HAITI", "colombia": "COLOMBIA", "ecuador": "ECUADOR",
    "guatemala": "GUATEMALA", "honduras": "HONDURAS", "el salvador": "EL SALVADOR",
    "nicaragua": "NICARAGUA", "india": "INDIA", "russia": "RUSSIA", "ukraine": "UKRAINE",
    "peru": "PERU", "brazil": "BRAZIL", "canada": "CANADA", "turkey": "TURKEY",
    "romania": "ROMANIA", "philippines": "PHILIPPINES", "myanmar": "MYANMAR (BURMA)",
}  # fmt: skip
DATELINE = re.compile(
    r"^\s*(?P<city>[A-Z][A-Z.'\- ]{2,40})(?:,\s*[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?(?:\s+\d{1,2})?)?\s*"
    r"(?:\([A-Za-z. ]{2,30}\))?\s*(?:—|–|--|-)\s*"
)
# a newspaper's or outlet's name: capitalised words before a masthead word ("The Washington
# Post", "the Colorado Sun", "Kansas City Star"); capitals only: "Florida today" is not one
OUTLETS = re.compile(
    r"\b(?:[Tt]he\s+)?(?:[A-Z][a-z]+\s+){1,3}(?:Post|Times|Examiner|Free Beacon|Daily News|Magazine|Tribune|Republic|"
    r"Today|Capital Journal|Sun|Star|Herald|Journal|Gazette|Chronicle|Inquirer|Dispatch|Register|Observer|Courier|"
    r"Press|Globe|Bee|Star-Tribune|Star Tribune|Plain Dealer|Sentinel|Enquirer)\b"
)
USBP = r"border patrol|\busbp\b|between (?:the )?ports"
OFO_NAMED = r"(?<!between )(?<!between the )ports? of entry|office of field operations|\bofo\b|at (?:the )?ports\b"
# "CBP officers" are the Office of Field Operations' staff, but a writer may mean CBP as a whole
CBP_OFFICERS = r"\b(?:cbp|customs and border protection) officers\b"
OFO = OFO_NAMED + "|" + CBP_OFFICERS
AMO = r"air and marine|\bamo\b"
CBP = r"\bcbp\b|customs and border protection|homeland security|\bdhs\b|border agents|" + "|".join(
    (USBP, OFO, AMO)
)
DEA = r"\bdea\b|drug enforcement administration"
ALL_LAW = r"law enforcement|nationwide|across the (?:country|united states|u\.s\.)|police"
SOUTHWEST = (
    r"southwest(?:ern)? (?:land )?border|southern border|u\.s\.-mexico border|mexican border"
)
NORTHERN = r"northern (?:land )?border|canadian border|u\.s\.-canada border"
DRUG_CONTEXT = r"overdos|\bdrugs?\b|opioid|opiate|fentanyl|heroin|cocaine|meth|poison|narcotic|substance|benzo|stimulant"
DEATH_CONTEXT = r"\bdied\b|\bdeaths?\b|overdos|\bkilled\b|fatal|lost their lives|lives"
# (an arrest, or something illegal, is not a border encounter on its own: "police arrested 300
# people", "illegal drug sales")
BORDER_CONTEXT = (
    r"border|\bcross|\benter|\bentr(?:y|ies)\b|apprehen|encounter|expel|expuls|inadmissib|migrant|"
    r"illegal(?:ly)?\s+(?:cross|enter|entr|immigra|alien)|without (?:proper )?documentation|patrol|ports? of entry"
)
MONTHS = (
    r"jan(?:uary|\.)?|feb(?:ruary|\.)?|mar(?:ch|\.)?|apr(?:il|\.)?|may|june?|july?|aug(?:ust|\.)?|"
    r"sep(?:t(?:ember)?|\.)?|oct(?:ober|\.)?|nov(?:ember|\.)?|dec(?:ember|\.)?"
)
MONTHS_CAP = (
    r"Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|Aug(?:ust|\.)?|"
    r"Sep(?:t(?:ember)?|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?"
)
COMPARATORS = [
    (r"(?:just |slightly |well |far )?(?:more than|over|above|upwards of|in excess of|exceeding|greater than|surpassing|topping|topped|exceeded|surpassed|passed|eclipsed)\s*$", "over"),
    (r"(?:at least|no fewer than|no less than|a minimum of)\s*$", "at_least"),
    (r"(?:nearly|almost|close to|just (?:shy|short) of|approaching|just under|nigh on)\s*$", "nearly"),
    (r"(?:less than|fewer than|under|below|short of)\s*$", "under"),
    (r"(?:at most|no more than|up to|a maximum of)\s*$", "at_most"),
    (r"(?:exactly|precisely|a total of exactly)\s*$", "exactly"),
    (r"(?:about|around|approximately|roughly|some|an estimated|estimated|circa|nearly about|~|an average of)\s*$", "about"),
]  # fmt: skip


def _find(pattern: str, text: str) -> bool:
    return re.search(pattern, text, re.I) is not None


def _nearest(vocab: list[tuple[str, str]], text: str, pos: int) -> str | None:
    """The vocabulary code mentioned nearest to `pos` (after it first, within reach). A word
    inside a longer one of the vocabulary ("opioid" in "synthetic opioid") is not a mention
    of its own. Words more than 300 characters away are out of reach (and not searched: a
    'sentence' of thousands of figures made this quadratic)."""
    lo = max(0, pos - 300)
    text, pos = text[lo : pos + 300], pos - lo
    found = [(m.start(), m.end(), code) for pattern, code in vocab
             for m in re.finditer(pattern, text, re.I)]  # fmt: skip
    best = None
    for a, b, code in found:
        if any(x <= a and b <= y and (y - x) > (b - a) for x, y, _ in found):
            continue
        d = a - pos
        dist = d if d >= 0 else -d + 25  # prefer words after the number
        if best is None or dist < best[0]:
            best = (dist, code)
    return best[1] if best else None


# --- periods ------------------------------------------------------------------------------


@dataclass
class Period:
    basis: str
    start: int
    end: int
    pos: int  # where it is said (for the nearest-number rule)
    text: str
    relative: bool = False
    span: int = 0  # "the past N years": N, resolved per table (latest final year, latest FY)
    month: int = 0  # "the 12 months ending April 2023": 4
    reach: int = 0  # where it stops applying ("since 2016, when 63,600 died": its clause's end)

    def as_dict(self) -> dict:
        return {"basis": self.basis, "start": self.start, "end": self.end, "text": self.text}


_YEAR = r"((?:19|20)\d{2})"
_SPAN_WORDS = {"decade": 10, "two decades": 20}
MONTH_NUMBER = {m: i + 1 for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))}  # fmt: skip


def find_periods(sentence: str, today: dt.date, latest_final: int) -> list[Period]:
    """Periods said in a sentence: fiscal and calendar years, spans, relative periods."""
    s = sentence
    out: list[Period] = []
    taken: list[tuple[int, int]] = []

    def add(m, basis, y0, y1, relative=False, span=0, month=0, reach=0):
        if any(a < m.end() and m.start() < b for a, b in taken):
            return
        taken.append((m.start(), m.end()))
        out.append(Period(basis, y0, y1, m.start(), m.group(0), relative, span, month, reach))

    # cumulative "since": from that year to the latest complete one (resolved per table); read
    # first, so that "since fiscal 2021" or "since ... in January 2021" is not that year alone
    for m in re.finditer(
        rf"\bsince\s+(?:[^,.;]{{0,40}}?\bin\s+)?(?:(?:{MONTHS})\.?\s+)?(?:(fiscal(?: year)?|fy)\s*)?{_YEAR}\b",
        s,
        re.I,
    ):
        basis = "fiscal" if m.group(1) else "calendar"
        if re.search(
            r"\b(?:lowest|highest|fewest|least|most|first time|largest|smallest)(?: level| point)?\s*$",
            s[: m.start()],
            re.I,
        ):
            taken.append((m.start(), m.end()))  # "the lowest since 2019": no period of the figure's
        else:
            add(m, basis, int(m.group(2)), today.year - 1, True, span=-int(m.group(2)))
        # "since 2016, when 63,600 died": the figures after 'when' are of that year alone
        when = re.compile(r",?\s*when\b[^,;.]*", re.I).match(s, m.end())
        if when:  # (only in the when-clause: "since 2019, when the pandemic began, 500,000 died")
            add(when, basis, int(m.group(2)), int(m.group(2)), reach=when.end())

    for m in re.finditer(
        rf"(?:\b(?:12|twelve)[- ]months?(?: period)?|(?<!fiscal )\byear) (?:ending|ended|through|to|up to)(?: in)? ({MONTHS})\s+{_YEAR}\b",
        s,
        re.I,
    ):
        mon = MONTH_NUMBER[m.group(1).lower()[:3]]
        add(m, "12_month_ending", int(m.group(2)), int(m.group(2)), month=mon)

    # "the fiscal year ending September 30, 2024": FY2024
    for m in re.finditer(
        rf"\bfiscal year (?:ending|ended|through)(?: in)? sept(?:ember|\.)?(?: 30,?)?\s+{_YEAR}\b",
        s,
        re.I,
    ):
        add(m, "fiscal", int(m.group(1)), int(m.group(1)))

    # one month of a year ("in December 2023"; not the end of a window or of a range)
    for m in re.finditer(
        rf"(?<!ending )(?<!ended )(?<!through )(?<!to )(?<!until )\b({MONTHS})\s+(?:of\s+)?{_YEAR}\b",
        s,
        re.I,
    ):
        mon = MONTH_NUMBER[m.group(1).lower()[:3]]
        add(m, "month", int(m.group(2)), int(m.group(2)), month=mon)

    fy = r"(?:fiscal(?: years?)?|\bfy\s?|federal fiscal year)"
    for m in re.finditer(
        rf"{fy}\s*'?{_YEAR}\s*(?:-|–|to|through|and)\s*(?:{fy}\s*)?{_YEAR}", s, re.I
    ):
        add(m, "fiscal", int(m.group(1)), int(m.group(2)))
    for m in re.finditer(rf"{fy}\s*'?{_YEAR}\b", s, re.I):
        add(m, "fiscal", int(m.group(1)), int(m.group(1)))
    for m in re.finditer(r"\bfy\s?'?(\d{2})\b", s, re.I):
        add(m, "fiscal", 2000 + int(m.group(1)), 2000 + int(m.group(1)))
    for m in re.finditer(rf"\b{_YEAR}\s+fiscal year", s, re.I):
        add(m, "fiscal", int(m.group(1)), int(m.group(1)))
    for m in re.finditer(r"\b(?:last|past|previous) fiscal year", s, re.I):
        y = today.year if today.month >= 10 else today.year - 1
        add(m, "fiscal", y, y, True)
    for m in re.finditer(
        rf"\b(?:from|between)\s+{_YEAR}\s+(?:to|and|through|until)\s+{_YEAR}\b", s, re.I
    ):
        add(m, "calendar", int(m.group(1)), int(m.group(2)))
    for m in re.finditer(rf"\b{_YEAR}\s*(?:-|–|to|through)\s*{_YEAR}\b", s, re.I):
        add(m, "calendar", int(m.group(1)), int(m.group(2)))
    for m in re.finditer(
        r"\b(?:in|over|during|for) the (?:past|last|previous) (decade|two decades|([a-z]+|\d{1,2}) years)\b",
        s,
        re.I,
    ):
        words = m.group(2)
        n = _SPAN_WORDS.get(m.group(1).lower()) or (
            (int(words) if words.isdigit() else words_to_number(words)) if words else None
        )
        if n and 2 <= n <= 30 and n == int(n):
            add(m, "calendar", latest_final - int(n) + 1, latest_final, True, span=int(n))
    for m in re.finditer(r"\blast year\b|\bthe (?:past|previous) year\b|\ba year ago\b", s, re.I):
        add(m, "calendar", today.year - 1, today.year - 1, True)
    for m in re.finditer(r"\b(?:this year|so far this year|year to date)\b", s, re.I):
        add(m, "calendar", today.year, today.year, True)
    for m in re.finditer(
        rf"\b(?:in|during|throughout|for|of|calendar year|by the end of|in calendar year)\s+{_YEAR}\b(?!\s*fiscal)",
        s,
        re.I,
    ):
        add(m, "calendar", int(m.group(1)), int(m.group(1)))
    for m in re.finditer(rf"(?<![\d,.$])\b{_YEAR}\b(?!\s*(?:fiscal|,\d))", s):
        # a bare year, not a date's ('August 29, 2024' is a date, not a period)
        if re.search(rf"(?:{MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s*$", s[: m.start()], re.I):
            continue
        add(m, "calendar", int(m.group(1)), int(m.group(1)))
    return out


# --- claims -------------------------------------------------------------------------------

UNIT_PATTERNS = [
    ("per_100k", r"^\s*(?:(?:overdose\s+)?deaths\s+)?per\s+100,?000\b"),
    ("lb", r"^\s*-?\s*(?:pounds?|lbs?\.?)\b"),
    ("kg", r"^\s*-?\s*(?:kilograms?|kilos?|kgs?)\b"),
    ("tons", r"^\s*(?:metric )?(?:tons?|tonnes?)\b"),
    ("pills", r"^\s*(?:[\w-]+\s+){0,3}?(?:pills|tablets)\b"),
    ("deaths", r"^\s*(?:[\w-]+\s+){0,3}?(?:deaths|fatalities)\b"),
    ("events", r"^\s*(?:[\w-]+\s+){0,2}?(?:seizures|seizure events|busts|drug seizures)\b"),
    ("encounters", r"^\s*(?:[\w-]+\s+){0,2}?(?:encounters|apprehensions|arrests|expulsions|inadmissibles|border crossings|crossings|migrant encounters)\b"),
    ("people", r"^\s*(?:[\w.-]+\s+){0,2}?(?:people|persons|americans|residents|individuals|nationals|citizens|migrants|aliens|noncitizens|adults|children|minors|family members|men|women|lives)\b"),
    ("substances", r"^\s*(?:[\w-]+\s+){0,2}?(?:chemicals|precursors|substances|labs|laboratories|shipments|packages|parcels|companies|firms|suspects|defendants|traffickers|cartels)\b"),
]  # fmt: skip
DISTRACTORS = [
    ("money", lambda before, after: before.rstrip().endswith(("$", "US$", "€", "£"))
     or _find(r"^\s*(?:dollars|usd|euros|in (?:cash|revenue|profits|proceeds|funding|aid))\b", after)),
    ("a percentage", lambda before, after: _find(r"^\s*(?:%|percent|per cent|percentage)", after)),
    ("a time of day", lambda before, after: _find(r"^\s*(?::\d\d|a\.m\.|p\.m\.|am\b|pm\b|o'clock)", after)),
    ("an age", lambda before, after: _find(r"^\s*(?:-|\s)?years?[- ]old|^\s*-year-old", after)
     or _find(r"\b(?:aged?|ages)\s*$", before)
     or (after.startswith(",") and re.search(r"\b[A-Z][a-z]+,\s*$", before) is not None)),
    ("a date", lambda before, after: re.search(rf"\b(?:{MONTHS_CAP})\s*$", before) is not None
     or _find(r"^(?:st|nd|rd|th)\b", after)
     or re.search(rf"^\s*(?:of\s+)?(?:{MONTHS_CAP})\b", after) is not None),
    ("a rate's denominator", lambda before, after: _find(r"\bper\s*$", before)),
    ("a law's or a document's number", lambda before, after: _find(r"\b(?:title|section|sec\.|chapter|article|amendment|order|no\.|number|h\.r\.|s\.)\s*$", before)),
    ("a distance", lambda before, after: _find(r"^\s*(?:miles?|kilometers?|km|feet|meters?)\b", after)),
    ("a duration", lambda before, after: _find(r"^\s*[- ](?:day|week|month|hour|minute)s?\b", after)),
]  # fmt: skip
NOT_IN_DATA = [
    (r"precursor", "Precursor chemicals (imports, scheduling) are not in the bundled data."),
    (r"chemical|schedul|controlled substance", "Drug scheduling decisions are not in the bundled data."),
    (r"originat|produced|manufactur|made in|comes? from|directly from|sourced", "The bundled data record where drugs were seized, not where they were made."),
    (r"pure|purity|potency|lethal dose", "Purity and potency of seized drugs are not in the bundled data."),
    (r"indict|charged|convict|sentenc|prosecut|arrested .* (?:trafficker|dealer)", "Court cases are not in the bundled data."),
    (r"\btons?\b|tonnes?", "Tons of a substance other than drugs the tables weigh cannot be matched."),
]  # fmt: skip
# where a sentence turns from one figure to another: ", while ...", "; ...". A figure's
# qualifiers (component, region, citizenship, drug, state) are read in its own clause: in
# "Border Patrol arrested 1.5 million in FY2024, while encounters of Mexicans topped 700,000",
# the first figure is not Mexicans' and the second not Border Patrol's. Only a break between
# two figures counts: a comma that opens an aside ("Border Patrol, with help from local police,
# apprehended 2 million") leaves the one figure with its whole sentence. A figure that is part
# of the one before (", with 2.14 million at the southwest border", ", including 150,000 of
# Mexican nationals") keeps that one's qualifiers and adds its own; so does the other end of a
# comparison (", down from 2.0 million the previous year", ", compared with 27,000 pounds of
# cocaine"): what it does not name is the first figure's, what it names is its own.
CLAUSE_BREAK = re.compile(
    r"(?:,|—|–)\s*(?=(?P<part>with|including|of which|most of|compared (?:with|to)|up from|down from|versus|vs\.?|"
    r"against)\b|(?:while|whereas|and|but)\b)|;\s*",
    re.I,
)


def clause_of(
    sentence: str, pos: int, figures: list[tuple[int, int]] | None = None
) -> tuple[str, int]:
    """The clause of `sentence` holding the figure at `pos`, and where that clause starts.
    `figures`: (start, end) of the sentence's quantities; breaks not between two are asides."""
    figs = figures if figures is not None else [(pos, pos)]
    start = 0
    text = sentence
    for m in CLAUSE_BREAK.finditer(sentence):
        if m.group("part") and m.start() >= pos:
            # a part after the figure (", including many Mexican nationals") is not the figure's
            return text[start : m.start()], start
        if m.group("part") and m.start() < pos:
            # a part before the figure, closed before it and holding no figure ("Fentanyl
            # seizures, most of them at ports of entry, totaled 27,000"): not the figure's either
            close = sentence.find(",", m.end())
            if 0 <= close < pos and not any(m.end() <= a < close for a, _ in figs):
                text = text[: m.start()] + " " * (close - m.start()) + text[close:]
                continue
        if not (any(b <= m.start() for _, b in figs) and any(a >= m.end() for a, _ in figs)):
            continue  # no figure on one side: an aside, not a turn to another figure
        if m.start() >= pos:
            return text[start : m.start()], start
        if not m.group("part"):
            start = m.end()
    return text[start:], start


# "300 people a day", "1,000 pounds every month": a rate over time, not a period's total
PER_TIME = (r"^[^.;,]{0,80}?\b(?:a|per|each|every|in a single|in one)\s+(?:single\s+)?(?:day|week|month|hour|minute)\b"
            r"|^[^.;,]{0,80}?\b(?:daily|weekly|nightly)\b")  # fmt: skip
# "in each of fiscal years 2022 and 2023", "every year since 2019": a figure per year
# said of the figure itself, after it in its clause (not 'a year-over-year increase' elsewhere)
EACH_YEAR = r"^[^.;,]{0,60}?(?:\b(?:in )?each of\b|\bevery year\b|\beach year\b|\bper year\b|\ba year\b(?!-)|\bannually\b|\byear after year\b)"
TOPIC = r"fentanyl|opioid|drug|overdos|narcotic|heroin|cocaine|meth|precursor|cartel|traffick|border|seiz|pills?\b"
QUANTIFIERS = r"\b(?:almost all|nearly all|virtually all|most|the majority of|the bulk of|the vast majority of|a majority of|half of|all)\b"


@dataclass
class Proposal:
    quote: str
    claimed_value: float | None
    unit: str
    comparator: str
    table: str = ""
    where: dict[str, list[str]] = field(default_factory=dict)
    period: dict = field(default_factory=dict)
    measure: str = ""
    variants: str = ""
    verdict: str = "not_checkable"
    data_value: float | None = None
    explanation: str = ""
    confidence: float = 0.0
    why: str = ""
    number_text: str = ""
    notes: list[str] = field(default_factory=list)
    evaluation: dict = field(default_factory=dict)
    compared_as: tuple[float, str] | None = None  # (value, unit) in the data's unit (kg -> lb)

    def filters(self) -> str:
        return ";".join(f"{k}={v}" for k, vals in self.where.items() for v in vals)

    def as_dict(self) -> dict:
        d = {
            "quote": self.quote,
            "claimed_value": self.claimed_value,
            "unit": self.unit,
            "comparator": self.comparator,
            "table": self.table,
            "where": self.where,
            "period": self.period,
            "measure": self.measure,
            "variants": self.variants,
            "verdict": self.verdict,
            "data_value": self.data_value,
            "explanation": self.explanation,
            "confidence": round(self.confidence, 2),
            "number_text": self.number_text,
            **(
                {"compared_as": {"value": self.compared_as[0], "unit": self.compared_as[1]}}
                if self.compared_as
                else {}
            ),
        }
        if self.why:
            d["why"] = self.why
        for k in ("data_vintage", "published_after_article", "at_publication", "variant_results"):
            if k in self.evaluation:
                d[k] = self.evaluation[k]
        return d

    def claim_row(self, claim_id: str = "", article: dict | None = None) -> dict:
        """The proposal as a row of the `claims` table (the spec claims.evaluate reads)."""
        a = article or {}
        p = self.period or {}
        value, unit = self.compared_as or (self.claimed_value, self.unit)
        label_value = claims._fmt(value, unit) if value else ""
        return {
            "article_id": a.get("article_id", ""),
            "article_title": a.get("article_title", ""),
            "article_outlet": a.get("article_outlet", ""),
            "article_date": a.get("article_date", ""),
            "article_url": a.get("article_url", ""),
            "claim_id": claim_id,
            "kind": "quantitative",
            "quote": self.quote,
            "speaker": a.get("speaker", "The article"),
            "table": self.table,
            "filters": self.filters(),
            "year_basis": p.get("basis", ""),
            "year_start": p.get("start"),
            "year_end": p.get("end"),
            "measure": self.measure,
            "comparator": self.comparator,
            "claimed_value": value,
            "variants": self.variants,
            "unit": unit,
            "event_date": "",
            "event_end": "",
            "label": f"{claims.COMPARATOR_WORDS.get(self.comparator, self.comparator)} {label_value}".strip(),
            "chart_topics": {"overdose_deaths": "deaths", "seizures": "seizures", "encounters": "encounters"}.get(self.table, ""),
            "evidence_url": "",
            "note": self.why or "; ".join(self.notes),
            "source_id": a.get("source_id", ""),
            "vintage": a.get("vintage", ""),
        }  # fmt: skip


class ArticleError(ValueError):
    """An article that cannot be read as given (its date, its size, its encoding): the message
    says what is wrong."""


MAX_ARTICLE_CHARS = 200_000  # about 30,000 words: a long report; reading takes ~1 s per 10,000
# each proposal is checked against the data (about 20-40 ms): a text of thousands of figures
# (a table pasted as text) would hold the page for minutes
MAX_PROPOSALS = 400


def parse_date(text: str | None) -> dt.date | None:
    """YYYY-MM-DD, YYYY-MM or YYYY, exactly and a real date (2024-02-30 is None, not a nearby
    date), or None."""
    if not text:
        return None
    text = str(text).strip()
    for fmt, pattern in (
        ("%Y-%m-%d", r"\d{4}-\d{2}-\d{2}"),
        ("%Y-%m", r"\d{4}-\d{2}"),
        ("%Y", r"\d{4}"),
    ):
        if re.fullmatch(pattern, text):
            try:
                d = dt.datetime.strptime(text, fmt).date()
            except ValueError:
                return None
            return d if d.year >= 1900 else None
    return None


def decode_article(data: bytes) -> str:
    """An article file's text: UTF-8 (with or without a byte-order mark), UTF-16 with its mark,
    else Windows-1252, the usual encoding of text saved on Windows (its dashes and quotes are
    kept, not replaced by question marks)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def latest_final_year(month: str) -> int:
    """The latest year whose final NCHS death counts were out by `month` (YYYY-MM)."""
    y = int(month[:4])
    while claims.first_published("overdose_deaths", "calendar", y, {}) > month:
        y -= 1
    return y


def _comparator(sentence: str, num: Number) -> tuple[str, bool]:
    before = sentence[max(0, num.start - 40) : num.start].lower()
    after = sentence[num.end : num.end + 15].lower()
    if re.match(r"^\s*(?:or more|or greater|plus\b|\+)", after):
        return "at_least", True
    if re.match(r"^\s*(?:or (?:fewer|less))", after):
        return "at_most", True
    for pattern, comp in COMPARATORS:
        if re.search(r"(?:^|\b|\s)" + pattern, before):
            return comp, True
    return "about", False


def _unit(sentence: str, num: Number) -> str:
    after = sentence[num.end : num.end + 70]
    for unit, pattern in UNIT_PATTERNS:
        if re.search(pattern, after, re.I):
            return unit
    # "U.S." keeps its length but loses the full stops that end a clause for the patterns below
    before = sentence[max(0, num.start - 90) : num.start].lower().replace("u.s.", "us  ")
    for unit, subject in (("deaths", r"deaths|died"),
                          ("encounters", r"encounters|apprehensions|arrests|expulsions|inadmissibles|border crossings")):  # fmt: skip
        if re.search(rf"({subject})\b(?:[^.;]|\.(?=\d)){{0,60}}?\b{VERB_TO_FIGURE}\s*$", before):
            return unit
    # "Border Patrol apprehended 2.2 million at the southwest border": the verb is the count
    if re.search(rf"\b(?:apprehended|encountered|expelled){QUALIFIERS}\s*$", before) and _find(
        BORDER_CONTEXT, sentence
    ):
        return "encounters"
    return ""


# "between 70,000 and 80,000": the range's lower end as written before "and"
RANGE_LOW = r"[\d][\d,.]*(?:\s+(?:thousand|million))?"
# the figure it follows is the year before the period the sentence speaks of: "down from
# 110,037 a year earlier", "compared with 110,037 the previous year"
# ("the year before the pandemic" is another year: not followed by a noun)
YEAR_EARLIER = (r"^\s*(?:(?:deaths|encounters|pounds|lbs?|seizures|pills)\s+)?(?:(?:in\s+)?(?:the\s+same\s+(?:period|months?)\s+)?"
                r"(?:a|one|the)\s+year\s+(?:earlier|prior)\b|(?:a|one)\s+year\s+before\b(?!\s+(?:the|a|an|that|this|[a-z]+ed)\b)"
                r"|(?:in\s+)?the\s+(?:previous|prior|preceding)\s+(?:fiscal\s+|calendar\s+)?year\b"
                r"|(?:in\s+)?the\s+year\s+before\b(?!\s+(?:the|a|an|that|this|[A-Za-z]+ed)\b))")  # fmt: skip
# a figure the sentence's change starts from: its year is not the sentence's ("down from
# 110,037"), and is left out unless said; a contrast ("compared with 81,000 pounds of cocaine")
# keeps the sentence's year
COMPARED_FROM = r"\b(?:down|up) from\s*$"
# the other end of a comparison: a figure without a unit of its own takes the first one's
OTHER_END = r"\b(?:(?:down|up) from|compared (?:with|to)|from)\s*$"


# a presidency is not a period: "under Biden", "the Trump administration"
PRESIDENCY = (r"\b(?:under|during) (?:(?:former )?president )?(?:biden|trump|obama)\b"
              r"|\b(?:biden|trump|obama)(?:'s)? (?:administration|presidency|years|term)\b")  # fmt: skip
# one day or one incident: "on Tuesday", "last week", "in a single group"
INCIDENT = (r"\bon (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b|\b(?:last|this) (?:week|weekend)\b"
            r"|\byesterday\b|\bin (?:a|one) (?:single )?(?:group|bust|raid|traffic stop|operation|incident|load|shipment)\b")  # fmt: skip
# when a figure was said, not when it happened: "the agency said in a statement on Monday"
SAID = (
    r"\b(?:said|says|announced|statement|release|reported|told|published|posted|testified|wrote)\b"
)
# one named port of entry ("the Nogales port of entry", "the port of Nogales", "the Bridge of the
# Americas"): not "a port of entry", "Port of entry encounters" or "ports of entry", which are
# CBP's Office of Field Operations
ONE_PORT = (r"\b[Pp]ort of (?!Entry\b)[A-Z][a-z]+|\bBridge of the [A-Z][a-z]+"
            r"|\b(?!(?:The|A|An|At|Each|Every|One|This|That|Port|Ports|Its|Their)\b)[A-Z][a-z]+(?: [A-Z][a-z]+)? "
            r"(?:[Pp]ort of [Ee]ntry|[Pp]ort|border crossing|[Bb]ridge)\b")  # fmt: skip


# the words that may stand between a verb and its figure ("fell to about 80,000", "hit a record
# 302,000", "dropped below 450,000")
QUALIFIERS = (
    r"(?:\s+(?:about|around|roughly|nearly|almost|over|more than|less than|fewer than|some|approximately|an estimated|"
    r"a record(?: high| low)?|a new record|record|just over|just under|below|above|under|close to|well over|"
    rf"between(?:\s+{RANGE_LOW}\s+and)?))*"
)
# a verb that leads to a figure ("fell to", "topped"), then its QUALIFIERS
VERB_TO_FIGURE = (
    r"(?:rose to|fell to|topped|exceeded|surpassed|passed|climbed to|dropped to|declined to|increased to|decreased to|"
    r"came to|reached|totall?ed|to|of|at|hit|numbered|stood at|were|was|dropped below|fell below|rose above|"
    r"(?:down|up) from|compared (?:with|to))" + QUALIFIERS
)


YEAR_BEFORE = (
    rf"(?:\b(?:{MONTHS})\.?\s+(?:of\s+)?|\b(?:end|start|beginning|middle|half|spring|summer|fall|autumn|winter)\s+of\s+"
    rf"|\b(?:in|since|by|until|before|after|from|through|during)\s+)$"
)


def _distractor(sentence: str, num: Number) -> str:
    before = sentence[max(0, num.start - 30) : num.start]
    after = sentence[num.end : num.end + 30]
    for name, test in DISTRACTORS:
        if test(before, after):
            return name
    # a year: alone, or after a month or a preposition of time ("June of 2024", "the end of
    # 2022"), even when a unit's words come before it ("encounters in June of 2024")
    if (
        not num.words
        and re.fullmatch(r"(?:19|20)\d{2}", num.text.strip())
        and (not _unit(sentence, num) or re.search(YEAR_BEFORE, sentence[max(0, num.start - 30) : num.start], re.I))
    ):  # fmt: skip
        return "a year"
    return ""


class Extractor:
    def __init__(
        self,
        article_date: str | None = None,
        store: Store | None = None,
        rules=claims.DEFAULT_RULES,
    ):
        self.date = parse_date(article_date)
        if article_date and self.date is None:
            raise ArticleError(f"the article date {str(article_date)[:40]!r} is not a date written YYYY-MM-DD "
                               "(or YYYY-MM, or YYYY)")  # fmt: skip
        self.dated = self.date is not None
        self.today = self.date or dt.date.today()
        self.month = self.today.strftime("%Y-%m")
        self.article_date = str(article_date or "").strip()
        self.store = store
        self.rules = rules
        self.latest_final = latest_final_year(self.month)
        # the latest complete federal fiscal year (Oct-Sep) before the article
        self.latest_fy = self.today.year if self.today.month >= 10 else self.today.year - 1
        self._qty: list[tuple[int, int]] = []  # quantities of the sentence being read
        self._cl, self._cpos = "", 0  # the clause of the number being read, and its place there
        self._figs: list[tuple[int, int]] = []

    # -- one number --------------------------------------------------------------------------
    def propose(self, sentence: str, num: Number, periods: list[Period]) -> Proposal | None:
        if num.value <= 0:
            return None
        why = _distractor(sentence, num)
        if why:
            if why == "a percentage" and _find(TOPIC, sentence):
                return self._not_checkable(
                    sentence,
                    num,
                    "",
                    self._why_not(
                        sentence,
                        "Percentages (shares, changes) are not checked automatically: confirm "
                        "the counts they come from.",
                    ),
                )
            return None
        unit = _unit(sentence, num)
        comp, said = _comparator(sentence, num)
        rng = self._range(sentence, num)
        if rng:
            comp, said, other = rng
            unit = unit or _unit(sentence, other)
            scale = re.search(r"\b(thousand|million|billion)\b", other.text)
            if (
                comp == "at_least"
                and scale
                and not re.search(r"\b(?:thousand|million|billion)\b", num.text)
            ):
                # "between 2.2 and 2.5 million": the low end's scale is the high end's
                factor = {"thousand": 1e3, "million": 1e6, "billion": 1e9}[scale.group(1)]
                num = replace(num, value=num.value * factor, text=f"{num.text} {scale.group(1)}")
        if not unit and re.search(OTHER_END, sentence[max(0, num.start - 20) : num.start], re.I):
            # "up from 14,700 a year earlier": the first figure's unit
            first = [
                n
                for n in find_numbers(sentence)
                if n.end <= num.start and _unit(sentence, n) and not _distractor(sentence, n)
            ]
            unit = _unit(sentence, first[-1]) if first else ""
        if unit == "people":
            near = sentence[num.end : num.end + 60]
            if _find(r"\bdied\b|\bdeaths?\b|\bkilled\b|lost their lives|\bfatal", near) or (
                _find(DEATH_CONTEXT, sentence)
                and not _find(r"arrest|apprehen|encounter|cross|enter", sentence)
            ):
                if not _find(DRUG_CONTEXT, sentence):
                    return None  # deaths, but not overdose deaths: not in the tables
                unit = "deaths"
            elif _find(BORDER_CONTEXT, sentence):
                unit = "encounters"
            else:
                return None
        if unit == "deaths" and not _find(DRUG_CONTEXT, sentence):
            return None  # deaths, but not overdose deaths
        weighed_drug = _find(r"^\s*(?:metric )?(?:tons?|tonnes?)\s+of\s+(?:[\w-]+\s+){0,2}?"
                             r"(?:fentanyl|meth\w*|cocaine|heroin|marijuana|cannabis)\b(?!\s+precursor)",
                             sentence[num.end : num.end + 60])  # fmt: skip
        if unit == "tons" and weighed_drug:
            unit = "tons_drug"
        if unit in ("substances", "tons"):
            if not _find(TOPIC, sentence):
                return None
            return self._not_checkable(
                sentence,
                num,
                unit,
                self._why_not(sentence, "This quantity is not in the bundled tables."),
                comp,
            )
        if not unit:
            return None
        p = Proposal(
            quote=sentence,
            claimed_value=num.value,
            unit=unit,
            comparator=comp,
            number_text=num.text,
        )
        p.confidence = 0.9 if said else 0.75
        self._cl, off = clause_of(sentence, num.start, self._figs)
        self._cpos = num.start - off
        if unit in ("deaths", "per_100k"):
            self._deaths(p, sentence, num)
        elif unit in ("lb", "kg", "pills", "events", "tons_drug"):
            if unit == "tons_drug":
                p.unit = "tons"
            self._seizures(p, sentence, num)
            if unit == "pills" and p.where.get("agency") == ["CBP"]:
                return self._not_checkable(sentence, num, unit, "CBP publishes its seizures by weight (pounds) and by "
                                           "number of seizures, not by pill count.", comp)  # fmt: skip
        elif unit == "encounters":
            self._encounters(p, sentence, num)
        if rng:
            low, high = sorted((num, rng[2]), key=lambda n: n.start)
            p.notes.append(f"'between {low.text} and {high.text}' is a range: its two ends are checked as two "
                           f"claims, at least {low.text} and at most {high.text}.")  # fmt: skip
        after = sentence[num.end : num.end + 90]
        year_earlier = re.search(YEAR_EARLIER, after[:50], re.I)
        if year_earlier:  # the year before the sentence's period, not "the previous year" itself
            periods = [
                per for per in periods if not num.end <= per.pos < num.end + year_earlier.end()
            ]
        if not year_earlier and _find(COMPARED_FROM, sentence[max(0, num.start - 20) : num.start]):
            # the other end of a comparison: its year is not the sentence's, unless said after it
            nxt = min((a for a, _ in self._qty if a > num.start), default=len(sentence))
            if not any(num.end <= per.pos < nxt for per in periods):
                return None
        self._period(p, sentence, num, periods)
        if year_earlier:
            self._year_earlier(p, after)
        presidency = re.search(PRESIDENCY, sentence, re.I)
        if presidency and any(n.startswith("No period stated") for n in p.notes):
            p.why = (f"'{presidency.group(0)}' is a presidency, not a period the tables are summed over: give the "
                     "years (for CBP, fiscal years) to check the figure.")  # fmt: skip
        incident = next((m for m in re.finditer(INCIDENT, self._cl, re.I)  # (not when it was said)
                         if not re.search(SAID, self._cl[max(0, m.start() - 40) : m.start()], re.I)), None)  # fmt: skip
        if incident:
            p.why = (f"'{incident.group(0).strip()}': one day's or one incident's figure is not in the tables, which "
                     "hold monthly and yearly totals.")  # fmt: skip
        if p.table == "encounters" and re.search(
            r"\bICE\b|immigration and customs enforcement", self._cl, re.I
        ):
            p.why = ("ICE's arrests and removals are not in the tables: they hold CBP's encounters at and between "
                     "ports of entry.")  # fmt: skip
        port = p.table in ("seizures", "encounters") and re.search(ONE_PORT, self._cl)
        if port:
            p.why = (f"'{port.group(0).strip()}': one port's figures are not in the tables, which hold CBP's field "
                     "offices, Border Patrol sectors and border regions.")  # fmt: skip
        if re.search(PER_TIME, after, re.I):
            p.why = ("A figure per day, week or month is not compared with the tables' totals: check "
                     "the total it is worked out from.")  # fmt: skip
        elif (
            p.period.get("start") != p.period.get("end")
            and _find(EACH_YEAR, after)
            and not year_earlier
        ):
            p.why = (f"A figure for each of several years ({p.period.get('start')}-{p.period.get('end')}) is not "
                     "their sum: check each year's figure on its own.")  # fmt: skip
        if p.why:
            return self._not_checkable(sentence, num, p.unit, p.why, comp)
        return p

    def _area(self, p: Proposal, where: dict, clause: str, table: str) -> None:
        """A Border Patrol sector or a CBP field office named ('the El Paso Sector', 'the San
        Diego Field Office'): the tables hold both, by name; one they do not hold is said."""
        m = re.search(r"\b((?:[A-Z][a-z]+ ){1,3})(Sector|Field Office)\b", clause) or re.search(
            r"\b((?:[A-Z][a-z]+ ){1,3})(sector|field office)\b", clause
        )
        if not m:
            return
        from . import query

        name = f"{m.group(1).strip()} {m.group(2).title()}"
        held = {
            str(a).lower(): a for a in query.distinct(table, "area_of_responsibility", self.store)
        }
        if name.lower() not in held:
            p.why = f"'{name}' is not among the sectors and field offices in the tables."
            return
        where["area_of_responsibility"] = [held[name.lower()]]
        component = (
            "U.S. Border Patrol" if m.group(2).lower() == "sector" else "Office of Field Operations"
        )
        where.setdefault("component", [component])
        where.pop("region", None)
        where.pop("land_border_region", None)  # (the area is within one)

    @staticmethod
    def _range(sentence: str, num: Number) -> tuple[str, bool, Number] | None:
        """'between 70,000 and 80,000': (comparator, said, the range's other end) for either
        end of a range, or None."""
        before = sentence[max(0, num.start - 40) : num.start]
        if re.search(r"\bbetween\s*$", before, re.I):
            m = re.match(r"\s*and\s+", sentence[num.end :])
            other = m and next(
                (n for n in find_numbers(sentence) if n.start == num.end + m.end()), None
            )
            return ("at_least", True, other) if other else None
        if re.search(rf"\bbetween\s+{RANGE_LOW}\s+and\s*$", before, re.I):
            other = next((n for n in find_numbers(sentence) if n.end <= num.start and
                          re.fullmatch(r"\s*and\s*", sentence[n.end : num.start])), None)  # fmt: skip
            return ("at_most", True, other) if other else None
        return None

    @staticmethod
    def _year_earlier(p: Proposal, after: str) -> None:
        """'down from 110,037 a year earlier': the year before the period the sentence gave."""
        per = p.period
        if per.get("start") is None:
            return
        said = re.search(YEAR_EARLIER, after[:50], re.I).group(0).strip()
        per["start"], per["end"] = per["start"] - 1, per["end"] - 1
        span = f"{per['start']}" if per["start"] == per["end"] else f"{per['start']}-{per['end']}"
        p.notes.append(f"'{said}' is read as the year before the sentence's period: {span}.")

    def _not_checkable(self, sentence, num, unit, why, comp="about") -> Proposal:
        return Proposal(quote=sentence, claimed_value=num.value if num else None, unit=unit, comparator=comp,
                        why=why, explanation=f"Not checkable with the bundled data: {why}",
                        confidence=0.6, number_text=num.text if num else "")  # fmt: skip

    @staticmethod
    def _why_not(sentence: str, default: str) -> str:
        for pattern, why in NOT_IN_DATA:
            if _find(pattern, sentence):
                return why
        return default

    def _deaths(self, p: Proposal, s: str, num: Number) -> None:
        p.table = "overdose_deaths"
        p.measure = "age_adjusted_rate" if p.unit == "per_100k" else "deaths"
        cl = self._cl
        geo = self._geo(cl) or self._geo(s) or "US"
        drug = (
            _nearest(DEATH_DRUG_WORDS, cl, self._cpos)
            or _nearest(DEATH_DRUG_WORDS, s, num.start)
            or "all_drugs"
        )
        p.where = {
            "geo": [geo],
            "drug": [drug],
            "status": ["final"],
            "period_type": ["calendar_year"],
        }

    def _geo(self, s: str) -> str | None:
        # a dateline ("WASHINGTON (AP) —", "NEW YORK, March 3 (Reuters) -") says where the
        # copy was filed, an outlet's name ("The Washington Post") who wrote it: neither is
        # the place a figure is about
        m = DATELINE.match(s)
        # a state's name alone as the dateline ("MAINE —") is the place of the story; a city's
        # (WASHINGTON, NEW YORK, "ALBUQUERQUE, New Mexico") is only where it was filed
        city = m.group("city").strip().lower() if m else ""
        if m and not (
            city in contract.NAME_TO_GEO
            and city not in ("washington", "new york")
            and m.group(0).count(",") == 0
        ):
            s = s[m.end() :]
        s = OUTLETS.sub(" ", s)
        low = s.lower()
        for name, code in sorted(contract.NAME_TO_GEO.items(), key=lambda x: -len(x[0])):
            if code in contract.STATE_CODES and re.search(rf"\b{re.escape(name)}\b", low):
                if name == "washington" and re.search(
                    r"washington,? d\.?c|in washington\b(?! state)", low
                ):
                    continue
                if name == "georgia" and "georgia" in low and "country" in low:
                    continue
                return code
        return None

    def _seizures(self, p: Proposal, s: str, num: Number) -> None:
        p.table = "seizures"
        p.measure = "events" if p.unit == "events" else "quantity"
        cl = self._cl
        drug = _nearest(SEIZURE_DRUG_WORDS, cl, self._cpos) or _nearest(
            SEIZURE_DRUG_WORDS, s, num.start
        )
        form = (
            "pills"
            if p.unit == "pills"
            else ("powder" if _find(r"\bpowder", s[num.end : num.end + 60]) else "")
        )
        if drug == "counterfeit_pills" and p.unit != "pills":
            drug = "fentanyl" if _find("fentanyl", s) else None
        # the agency of the figure's own clause; of the sentence when the clause names none
        a = cl if (_find(DEA, cl) or _find(CBP, cl)) else s
        if _find(DEA, a):
            agency = "DEA"
        elif _find(CBP, a) or (p.unit == "pills" and _find(r"\bborders?\b|\bagents\b", cl)):
            agency = "CBP"  # (pills seized at the border are CBP's, which it does not count)
        elif _find(ALL_LAW, s) or p.unit == "pills":
            agency = "HIDTA" if p.unit == "pills" else "CBP"
            if agency == "CBP":
                p.notes.append("No agency named: CBP's nationwide seizures are assumed.")
                p.confidence -= 0.25
        else:
            agency = "CBP"
            p.notes.append("No agency named: CBP's nationwide seizures are assumed.")
            p.confidence -= 0.25
        where: dict[str, list[str]] = {"agency": [agency]}
        if agency == "CBP":
            if _find(AMO, cl) and not _find(USBP + "|" + OFO, cl):
                where["series"] = ["cbp_amo"]
            else:
                where["series"] = ["cbp_nationwide"]
                if _find(USBP, cl) and not _find(OFO, cl):
                    where["component"] = ["U.S. Border Patrol"]
                elif _find(OFO_NAMED, cl) and not _find(USBP, cl):
                    where["component"] = ["Office of Field Operations"]
                elif _find(CBP_OFFICERS, cl) and not _find(USBP, cl):
                    # CBP's officers are the Office of Field Operations' (its agents the Border
                    # Patrol's); a writer may mean CBP as a whole: that is the other choice
                    where["component"] = ["Office of Field Operations"]
                    p.variants = ("CBP as a whole (ports of entry + Border Patrol): "
                                  "component=Office of Field Operations;component=U.S. Border Patrol")  # fmt: skip
                    p.notes.append("'CBP officers' is read as the Office of Field Operations' officers (at ports of "
                                   "entry); CBP as a whole is the other choice.")  # fmt: skip
                else:
                    p.variants = (
                        "including Air and Marine Operations: series=cbp_nationwide;series=cbp_amo"
                    )
            if drug:
                where["drug"] = [drug]
            if _find(SOUTHWEST, cl):
                where["region"] = ["Southwest Border"]
            elif _find(NORTHERN, cl):
                where["region"] = ["Northern Border"]
            if p.unit in ("lb", "kg", "tons"):
                where["unit"] = ["lb"]
            self._area(p, where, cl, "seizures")
        else:
            where["drug"] = [drug or "fentanyl"]
            if form:
                where["form"] = [form]
            where["coverage"] = ["year"]
            # one unit: DEA's powder figures come in pounds (its releases) and in kilograms
            # (the threat assessment's), for the same year; a claim is compared in its own
            # unit where the data hold it (kg: in pounds otherwise, see `evaluate`)
            if p.unit in ("lb", "kg", "tons"):  # (pills: form=pills already says it)
                where["unit"] = ["kg"] if p.unit == "kg" else ["lb"]
            if agency == "HIDTA":
                p.variants = "DEA only: agency=DEA"
        if p.unit == "tons":
            metric = _find(r"^\s*(?:metric tons?|tonnes?)", s[num.end : num.end + 20])
            factor = 2204.62 if metric else 2000.0
            p.compared_as = (round(p.claimed_value * factor, 1), "lb")
            p.notes.append(
                f"The claim's {claims._fmt(p.claimed_value)} {'metric tons' if metric else 'tons (short)'} "
                f"is compared as {p.claimed_value * factor:,.0f} lb."
            )
            p.confidence -= 0.1
        if p.unit == "kg" and where.get("unit") == ["lb"] and agency == "CBP":
            p.notes.append(
                f"The claim's {claims._fmt(p.claimed_value)} kg is compared as {p.claimed_value * 2.20462:,.0f} lb."
            )
            p.compared_as = (round(p.claimed_value * 2.20462, 1), "lb")
        p.where = where

    def _encounters(self, p: Proposal, s: str, num: Number) -> None:
        p.table, p.measure = "encounters", "encounters"
        where: dict[str, list[str]] = {}
        s = self._cl  # the figure's own clause: its qualifiers
        if _find(USBP, s) and not _find(OFO, s):
            where["component"] = ["U.S. Border Patrol"]
        elif _find(OFO, s) and not _find(USBP, s):
            where["component"] = ["Office of Field Operations"]
        elif _find(r"apprehen|\barrest|illegal(?:ly)?\s+cross", s) and not _find(
            r"inadmissib|encounters?\b", s
        ):
            # apprehensions and arrests for illegal crossings are the Border Patrol's (the ports
            # of entry count inadmissibles)
            where["component"] = ["U.S. Border Patrol"]
            p.notes.append("Apprehensions (arrests for crossing between ports) are the Border Patrol's: its "
                           "encounters are compared.")  # fmt: skip
        low = s.lower()
        for word, code in DEMONYMS.items():
            if re.search(
                rf"\b{word}\s+(?:nationals|citizens|migrants|people|immigrants|individuals|adults|children|families|asylum)",
                low,
            ):
                where["citizenship"] = [code]
                break
        else:
            m = re.search(r"(?:from|of|citizens of|nationals of)\s+(?:the\s+)?([a-z ]+)", low)
            for word, code in COUNTRY_WORDS.items():
                if m and m.group(1).startswith(word):
                    where["citizenship"] = [code]
                    break
        state = self._geo(s)
        if state:  # only CBP's encounters by state hold states (see `evaluate`)
            where["state"] = [state]
        if _find(SOUTHWEST, s):
            where["land_border_region"] = ["Southwest Land Border"]
        elif _find(NORTHERN, s):
            where["land_border_region"] = ["Northern Land Border"]
        self._area(p, where, s, "encounters")
        end = self._cpos + (num.end - num.start)  # the number's end in its clause
        after = s[end : end + 60].lower()
        if re.search(r"apprehen", after):
            where["encounter_type"] = ["Apprehensions"]
        elif re.search(r"expuls|expelled", after):
            where["encounter_type"] = ["Expulsions"]
        elif re.search(r"inadmissib", after):
            where["encounter_type"] = ["Inadmissibles"]
        if _find(r"unaccompanied (?:children|minors)", s):
            where["demographic"] = ["UAC"]
        elif _find(r"family units?|families", s):
            where["demographic"] = ["FMUA"]
        elif _find(r"single adults", s):
            where["demographic"] = ["Single Adults"]
        if _find(r"title 42", s):
            where["title_of_authority"] = ["Title 42"]
        elif _find(r"title 8", s):
            where["title_of_authority"] = ["Title 8"]
        p.where = where

    def _period(self, p: Proposal, s: str, num: Number, periods: list[Period]) -> None:
        chosen = None
        periods = [per for per in periods if not per.reach or per.pos <= num.start < per.reach]
        if periods:
            # the period said nearest the number, preferring one after it in the same clause
            def dist(per: Period) -> float:
                d = per.pos - num.end
                return d if d >= 0 else (-d + 30)

            nxt = min((a for a, _ in self._qty if a > num.start), default=len(s))
            after = [per for per in periods if num.end <= per.pos < nxt]
            before = [per for per in periods if per.pos < num.start]
            chosen = min(after or before or periods, key=dist)
        cbp = p.table == "encounters" or (
            p.table == "seizures" and p.where.get("agency") == ["CBP"]
        )
        if chosen is None:
            p.confidence -= 0.2
            if p.table == "overdose_deaths":
                y = self.latest_final
                p.period = {"basis": "calendar", "start": y, "end": y}
                p.notes.append(
                    f"No period stated: the latest final year published by {self.month} ({y}) is assumed."
                )
            elif cbp:
                y = self.latest_fy
                p.period = {"basis": "fiscal", "start": y, "end": y}
                p.notes.append(
                    f"No period stated: the latest complete fiscal year before {self.month} (FY{y}) is assumed."
                )
            else:
                y = self.today.year - 1
                p.period = {"basis": "calendar", "start": y, "end": y}
                p.notes.append(f"No period stated: {y} is assumed.")
        else:
            y0, y1, basis = chosen.start, chosen.end, chosen.basis
            if chosen.span < 0:  # "since YEAR"
                y1 = (self.latest_final if p.table == "overdose_deaths" else self.latest_fy if cbp and basis == "fiscal" else self.today.year - 1)  # fmt: skip
                y0 = -chosen.span
                if cbp and basis == "calendar" and p.table == "encounters":
                    basis, y1 = "fiscal", self.latest_fy
                chosen = Period(basis, y0, y1, chosen.pos, chosen.text, True)
                p.notes.append(
                    f"'{chosen.text}' is read as {y0}-{y1}, the latest complete year; later months are not counted."
                )
                p.confidence -= 0.15
            elif chosen.span and p.table != "overdose_deaths":
                # "the past N years" ends with the latest complete year of the series
                y1 = self.latest_fy if cbp else self.today.year - 1
                y0, basis = y1 - chosen.span + 1, "fiscal" if cbp else "calendar"
                chosen = Period(basis, y0, y1, chosen.pos, chosen.text, True, chosen.span)
            p.period = {"basis": basis, "start": y0, "end": y1}
            if chosen.basis == "month":  # one month: CBP's tables hold months; deaths do not
                p.period["basis"] = "calendar"
                if p.table == "overdose_deaths":
                    p.why = (f"'{chosen.text}' is one month: the death counts are annual and 12-month "
                             "totals, not a single month's deaths.")  # fmt: skip
                else:
                    p.where["month"] = [str(chosen.month)]
                    p.notes.append(f"'{chosen.text}' is read as that month alone.")
            if chosen.basis == "12_month_ending":
                if p.table == "overdose_deaths":
                    p.where.update(
                        status=["provisional"],
                        period_type=["12_month_ending"],
                        month=[str(chosen.month)],
                    )
                elif chosen.month in (
                    9,
                    12,
                ):  # ending September: a fiscal year; December: a calendar year
                    p.period["basis"] = "fiscal" if chosen.month == 9 else "calendar"
                    p.notes.append(
                        f"'{chosen.text}' is read as {'FY' if chosen.month == 9 else 'calendar year '}{chosen.start}."
                    )
                else:  # a 12-month window of monthly CBP data is not a year the engine sums
                    p.period["basis"] = "calendar"
                    p.why = (f"'{chosen.text}' is a 12-month window across two years: CBP's monthly figures are "
                             "checked by fiscal or calendar year, or by one month.")  # fmt: skip
            if chosen.relative:
                p.notes.append(
                    f"'{chosen.text}' read relative to {'the article date' if self.dated else 'today (no article date given)'} {self.today.isoformat()}: "
                    + (f"{chosen.start}-{chosen.end}" if chosen.start != chosen.end else f"{chosen.start}")
                    + (" (the latest final years then published)" if p.table == "overdose_deaths" and chosen.end == self.latest_final and chosen.start != chosen.end else "")
                    + "."
                )  # fmt: skip
                if not self.dated:
                    p.confidence -= 0.2
        if p.table == "overdose_deaths" and p.period["basis"] == "fiscal":
            p.period["basis"] = "calendar"
            p.notes.append(
                "Death counts are by calendar year; the fiscal year is read as a calendar year."
            )
            p.confidence -= 0.2
        if p.table == "overdose_deaths" and p.period["basis"] == "12_month_ending":
            p.variants = "predicted: measure=deaths_predicted" if p.measure == "deaths" else ""
        elif p.table == "overdose_deaths" and p.measure == "deaths":
            p.variants = (
                "provisional, reported: status=provisional;period_type=12_month_ending;month=12 || "
                "provisional, predicted: status=provisional;period_type=12_month_ending;month=12;measure=deaths_predicted"
            )
            if p.where.get("geo") != ["US"]:
                p.variants = ""
        if (
            p.table == "seizures"
            and p.where.get("agency") in (["DEA"], ["HIDTA"])
            and p.period["end"] >= self.today.year
        ):
            p.where["coverage"] = ["year_to_date"]
            p.notes.append("A figure for the article's own year can only be a year-to-date one.")
            p.variants = "full year: coverage=year"
        if (
            p.table == "encounters"
            and p.period["start"] <= 2023
            and "title_of_authority" not in p.where
        ):
            t8 = "Title 8 only (Title 42 expulsions left out): title_of_authority=Title 8"
            if p.where.get("encounter_type") == ["Apprehensions"]:  # a writer's "apprehensions"
                # are often all the Border Patrol's encounters, Title 42 expulsions included
                t8 = "apprehensions and Title 42 expulsions: encounter_type=Apprehensions;encounter_type=Expulsions"
            p.variants = f"{t8} || {p.variants}" if p.variants else t8

    # -- a sentence ---------------------------------------------------------------------------
    def rank_claim(self, s: str) -> Proposal | None:
        m = re.search(
            r"\b(among the|one of the|is the|the)\s+(highest|worst|top (\w+)|lowest)\b", s, re.I
        )
        geo = self._geo(s)
        if not (m and geo and _find(DEATH_CONTEXT, s)):
            return None
        if m.group(2).lower() == "lowest":
            return None
        n = 5.0
        if m.group(3):
            n = float(m.group(3)) if m.group(3).isdigit() else (words_to_number(m.group(3)) or 5.0)
        elif m.group(1).lower() in ("is the", "the"):
            n = 1.0
        y = self.latest_final
        p = Proposal(quote=s, claimed_value=n, unit="rank", comparator="rank_at_most", table="overdose_deaths",
                     where={"geo": [geo], "drug": ["all_drugs"], "status": ["final"], "period_type": ["calendar_year"]},
                     period={"basis": "calendar", "start": y, "end": y}, measure="age_adjusted_rate",
                     number_text=m.group(0), confidence=0.6)  # fmt: skip
        p.notes.append(
            f"'{m.group(0)}' read as a rank of at most {n:.0f} of 50 states and DC by age-adjusted overdose death rate "
            f"(all drugs, the state series in the source files), {y}, the latest final year published by {self.month}."
        )
        return p

    def quantifier_claim(self, s: str) -> Proposal | None:
        if _find(QUANTIFIERS, s) and _find(
            r"fentanyl|drug|opioid|precursor|heroin|cocaine|meth", s
        ):
            for pattern, why in NOT_IN_DATA[:4]:
                if _find(pattern, s):
                    p = self._not_checkable(s, None, "", why)
                    p.number_text = re.search(QUANTIFIERS, s, re.I).group(0)
                    return p
        return None

    def extract(self, text: str) -> list[Proposal]:
        if looks_like_html(text):  # the limit is on the text read, not the page's markup
            if len(text) > 20 * MAX_ARTICLE_CHARS:
                raise ArticleError(
                    f"the HTML has {len(text):,} characters; at most {20 * MAX_ARTICLE_CHARS:,} are read"
                )
            text = html_to_text(text)
        if len(text) > MAX_ARTICLE_CHARS:
            raise ArticleError(f"the text has {len(text):,} characters; at most {MAX_ARTICLE_CHARS:,} are read "
                               "(about 30,000 words): check a shorter part of it")  # fmt: skip
        out: list[Proposal] = []
        for s in sentences(text):
            periods = find_periods(s, self.today, self.latest_final)
            period_spans = [(per.pos, per.pos + len(per.text)) for per in periods]
            found: list[Proposal] = []
            nums = find_numbers(s)
            self._qty = [(n.start, n.end) for n in nums if _unit(s, n) and not _distractor(s, n)]
            # the figures a clause break must stand between: any number but a year, date, age...
            self._figs = [(n.start, n.end) for n in nums if not _distractor(s, n)]
            for num in nums:
                inside = [b - a for a, b in period_spans if a <= num.start < b]
                if inside and (
                    not _unit(s, num)
                    or (
                        max(inside) > len(num.text)
                        and re.fullmatch(r"(?:19|20)\d{2}", num.text.strip())
                    )
                ):  # a period's year, even before a unit's word ("fiscal 2024 as migrants ...");
                    continue  # a bare one before a unit may be a count ("made 2000 arrests")
                p = self.propose(s, num, periods)
                if p is not None:
                    found.append(p)
            if len(out) + len(found) > MAX_PROPOSALS:  # before more work, not after all of it
                raise ArticleError(f"the text holds more than {MAX_PROPOSALS} figures that could be claims; at most "
                                   f"{MAX_PROPOSALS} are checked at once: check a shorter part of it")  # fmt: skip
            checkable = [p for p in found if p.table]
            if not checkable:
                extra = (
                    found[:1]
                    or [x for x in (self.rank_claim(s), self.quantifier_claim(s)) if x][:1]
                )
                out += extra
            else:
                out += checkable
        for p in out:
            self.evaluate(p)
        return out

    def _retry(self, p: Proposal, note: str, **changes) -> dict | None:
        """A second comparison, where the first found no data: `p` with `changes` (another
        table, unit or status). When that gives a verdict, `p` takes the changes and `note`
        and its evaluation is returned; else `p` is left as it was and None is returned."""
        alt = Proposal(**{**p.__dict__, **changes, "notes": list(p.notes)})
        row = alt.claim_row("P", {"article_date": self.article_date or self.month})
        ev = claims.evaluate(row, self.store, self.rules)
        if ev["verdict"] == "not_checkable":
            return None
        for k, v in changes.items():
            setattr(p, k, v)
        p.notes.append(note)
        return ev

    def evaluate(self, p: Proposal) -> None:
        p.confidence = max(0.05, min(1.0, p.confidence))
        if not p.table:
            p.verdict = "not_checkable"
            return
        row = p.claim_row("P", {"article_date": self.article_date or self.month})
        ev = claims.evaluate(row, self.store, self.rules)
        if ev["verdict"] == "not_checkable" and p.where.get("unit") == ["kg"]:
            # no figure published in kilograms for that period: the claim in pounds
            lb = round(float(p.claimed_value) * 2.20462, 1)
            note = f"The claim's {claims._fmt(p.claimed_value)} kg is compared as {lb:,.0f} lb."
            ev = (
                self._retry(p, note, where={**p.where, "unit": ["lb"]}, compared_as=(lb, "lb"))
                or ev
            )
        if (
            ev["verdict"] == "not_checkable"
            and p.where.get("drug") == ["counterfeit_pills"]
            and _find("fentanyl", p.quote)
        ):
            # "fake pills containing fentanyl": DEA's fentanyl pills (its "fake pills" of 2021 first)
            note = "'Fake pills' with fentanyl are compared with DEA's fentanyl pills."
            ev = self._retry(p, note, where={**p.where, "drug": ["fentanyl"]}) or ev
        if (
            ev["verdict"] == "not_checkable"
            and p.table == "overdose_deaths"
            and p.where.get("status") == ["final"]
            and p.measure == "deaths"
            and p.period.get("start") == p.period.get("end")
        ):
            # no final count for that year: the provisional count of the 12 months ending December
            where = {
                **p.where,
                "status": ["provisional"],
                "period_type": ["12_month_ending"],
                "month": ["12"],
            }
            note = (f"No final count for {p.period['start']} in the data: the provisional (VSRR) count for the "
                    "12 months ending December is compared.")  # fmt: skip
            got = self._retry(
                p, note, where=where, variants="provisional, predicted: measure=deaths_predicted"
            )
            if got:
                ev = got
                p.confidence -= 0.1
        by_state = {
            "land_border_region",
            "citizenship",
            "demographic",
            "title_of_authority",
            "state",
            "month",
        }
        if (
            ev["verdict"] == "not_checkable"
            and p.table == "encounters"
            and set(p.where) <= by_state
            and (p.period.get("basis") == "fiscal" or "month" in p.where)  # (calendar: see notes)
        ):
            # years after CBP's files by area of responsibility: its encounters by state hold
            # them (both components together, no component, area or encounter type)
            note = ("Compared with CBP's encounters by state (ports of entry and Border Patrol together): "
                    "the files by area of responsibility do not cover this period.")  # fmt: skip
            ev = self._retry(p, note, table="encounters_by_state") or ev
        p.evaluation = ev
        p.verdict, p.data_value = ev["verdict"], ev["data_value"]
        said = [
            n for n in dict.fromkeys(p.notes) if n not in ev["explanation"]
        ]  # (the engine may give the note)
        p.explanation = ev["explanation"] + (" " + " ".join(said) if said else "")
        if p.verdict == "not_checkable":
            p.why = p.why or ev["explanation"]


def extract(
    text: str,
    article_date: str | None = None,
    store: Store | None = None,
    rules=claims.DEFAULT_RULES,
) -> list[Proposal]:
    """Proposed claims of a text (HTML is reduced to its text first)."""
    return Extractor(article_date, store, rules).extract(text)


def extract_json(
    text: str, article_date: str | None = None, store: Store | None = None
) -> list[dict]:
    return [p.as_dict() for p in extract(text, article_date, store)]
