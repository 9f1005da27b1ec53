"""`indicators`: build, query, ingest, history, rollback, verify, claims, export, dictionary.

Exit codes: 0 success; 1 bad input file or store problem (nothing changed); 2 usage error
(unknown table, column or chart).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd

from . import contract, query
from .errors import InputError, StoreError
from .extract import ArticleError
from .limits import DECOMPRESSED_RATIO, max_decompressed
from .store import Store


def _print_frame(df: pd.DataFrame, fmt: str) -> None:
    if fmt == "json":
        print(df.to_json(orient="records", date_format="iso"))
    elif fmt == "csv":
        from .export import safe_csv

        sys.stdout.write(safe_csv(df))
    else:
        with pd.option_context("display.max_rows", 500, "display.width", 200):
            print(df.to_string(index=False) if len(df) else "(no rows)")


def cmd_build(args) -> int:
    from . import build

    build.run()
    query.clear_cache()
    return 0


def cmd_query(args) -> int:
    where = query.parse_where(args.where or [])
    df = query.query(args.table, where, args.by or [], args.sum)
    _print_frame(df, args.format)
    return 0


def cmd_ingest(args) -> int:
    from . import ingest
    from .errors import DecisionNeeded
    from .limits import upload_mb

    store = Store()
    max_mb = args.max_mb or upload_mb()
    for f in args.files:
        size = Path(f).stat().st_size if Path(f).is_file() else 0
        if size > max_mb * 1_000_000:
            raise InputError(
                f, f"the file is {size / 1e6:.1f} MB, over the limit of {max_mb:g} MB (--max-mb)"
            )
    try:
        pl, v = ingest.ingest(
            args.files, store, dry_run=args.dry_run, dropped=args.dropped, init=args.init,
            max_bytes=max_decompressed(max_mb),
        )  # fmt: skip
    except DecisionNeeded as exc:
        for line in exc.plan.describe(details=args.details):
            print(line)
        raise
    for line in pl.describe(details=args.details):
        print(line)
    if args.dry_run:
        print("dry run: nothing was written")
        if pl.needs_decision:
            print(
                f"{pl.cells_dropped} stored cells are missing from the new files: saving needs --dropped keep or --dropped drop"
            )
    elif v is None:
        print("nothing changed: the store already holds these data")
    else:
        print(f"stored as version {v.number}")
    return 0


def cmd_history(args) -> int:
    _print_frame(Store().history_frame(), args.format)
    return 0


def cmd_rollback(args) -> int:
    v = Store().rollback(args.version)
    query.clear_cache()
    print(f"version {v.number} now holds the tables of version {args.version}")
    return 0


def cmd_verify(args) -> int:
    from . import manifest

    store = Store()
    if args.repair:
        for line in store.repair():
            print(f"removed {line}")
    else:
        for line in store.describe_leftovers():
            print(f"leftover: {line} (remove with: indicators verify --repair)", file=sys.stderr)
    problems = store.verify() + manifest.verify()
    if problems:
        for p in problems:
            print(p, file=sys.stderr)
        good = store.last_sound_version()
        if good:
            print(
                f"recover with: indicators rollback {good}   (or rebuild: indicators build)",
                file=sys.stderr,
            )
        else:
            print(
                "recover with: indicators build   (rebuilds every table from data/raw)",
                file=sys.stderr,
            )
        return 1
    print(
        f"store version {store.current().number} and {len(manifest.entries())} source files are intact"
    )
    return 0


def cmd_register(args) -> int:
    from . import manifest
    from .store import data_dir

    root = data_dir()
    facts = manifest.describe_file(Path(args.file), root)
    entry = {
        "id": args.id,
        "path": facts["path"],
        "title": args.title,
        "agency": args.agency,
        "layout": facts["layout"],
        "official_url": args.official_url,
        "copied_from": {"repository": args.repository, "commit": args.commit, "path": args.copied_path}
        if args.repository
        else None,
        "release": args.release,
        "vintage": args.vintage,
        "licence": args.licence,
        "sha256": facts["sha256"],
        "sha256_original": facts["sha256_original"],
        "bytes_original": facts["bytes_original"],
        "rows": facts["rows"],
        "provenance": args.provenance or str(Path(facts["path"]).parent / "PROVENANCE.md"),
        "notes": args.notes,
    }  # fmt: skip
    if not (root / entry["provenance"]).is_file():
        raise InputError(args.file, f"no provenance note at {entry['provenance']} (--provenance)")
    written = manifest.add(entry, root, replace=args.replace, after=args.after)
    print(json.dumps(written, indent=1))
    print(
        f"{written['id']}: {facts['layout']} -> table {facts['table']}, {facts['rows']} rows, data "
        f"through {facts['vintage_in_data']}; run `indicators build` to rebuild the tables"
    )
    return 0


def _read_article(name: str) -> str:
    if name == "-":
        return sys.stdin.read()
    path = Path(name)
    if not path.is_file():
        raise query.QueryError(f"no such file: {name}")
    from .extract import decode_article

    return decode_article(path.read_bytes())


def cmd_claims(args) -> int:
    from . import claims

    if args.action == "extract":
        from . import extract

        if not args.file:
            raise query.QueryError("claims extract needs FILE (or - for standard input)")
        props = extract.extract(_read_article(args.file), args.date)
        rows = [p.as_dict() for p in props]
        if args.format == "json":
            print(json.dumps(rows, indent=1, ensure_ascii=False, default=str))
        else:
            flat = pd.DataFrame(
                [
                    {
                        **{k: r[k] for k in ("claimed_value", "unit", "comparator", "table")},
                        "where": ";".join(f"{k}={'/'.join(v)}" for k, v in r["where"].items()),
                        "period": "{basis} {start}-{end}".format(**r["period"])
                        if r["period"]
                        else "",
                        "verdict": r["verdict"],
                        "data_value": r["data_value"],
                        "quote": r["quote"][:80],
                    }
                    for r in rows
                ]
            )
            _print_frame(flat, "csv" if args.format == "csv" else "table")
        return 0
    if args.action:
        raise query.QueryError(f"unknown claims action {args.action!r}; use: extract")
    df = claims.evaluate_all(article=args.article)
    if args.format == "claimreview":
        from . import claimreview

        print(claimreview.to_json(df, base_url=args.base_url or ""))
        return 0
    cols = [
        "claim_id",
        "kind",
        "quote",
        "claimed_value",
        "unit",
        "data_value",
        "verdict",
        "explanation",
    ]
    _print_frame(
        df[cols + [c for c in df.columns if c not in cols and args.format == "json"]], args.format
    )
    return 0


def cmd_export(args) -> int:
    from . import export

    if args.list:
        for name, title in export.chart_list():
            print(f"{name}\t{title}")
        return 0
    if not args.chart or not args.out:
        raise query.QueryError("export needs CHART and --out FILE (or --list)")
    where = query.parse_where(args.where or [])
    path = export.export_chart(
        args.chart, where, args.format, Path(args.out), claims=not args.no_claims
    )
    print(f"wrote {path}")
    return 0


def cmd_dictionary(args) -> int:
    text = contract.data_dictionary()
    if args.write:
        out = Path(__file__).resolve().parents[2] / "docs" / "data-dictionary.md"
        out.write_text(text)
        print(f"wrote {out}")
    else:
        sys.stdout.write(text)
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="indicators",
        description="U.S. drug-trafficking indicators: build, query and update the bundled data.",
    )
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("build", help="rebuild the bundled tables from data/raw (data/sources.json)")
    s.set_defaults(func=cmd_build)

    s = sub.add_parser("query", help="filter and sum a table")
    s.add_argument("table", help=f"one of: {', '.join(contract.TABLES)}")
    s.add_argument(
        "--where", action="append", metavar="COL=VALUE", help="filter (repeat; same column = OR)"
    )
    s.add_argument("--by", action="append", metavar="COL", help="group by (repeat)")
    s.add_argument(
        "--sum", metavar="COL", help="numeric column to sum (default: the table's main measure)"
    )
    s.add_argument("--format", choices=["table", "csv", "json"], default="table")
    s.set_defaults(func=cmd_query)

    s = sub.add_parser("ingest", help="recognise, validate and merge official files into the store")
    s.add_argument("files", nargs="+")
    s.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    s.add_argument(
        "--max-mb", type=float, default=None,
        help="refuse files larger than this (MB; default: the Upload page's server.maxUploadSize); "
        f"a gzip may expand to {DECOMPRESSED_RATIO:g}x this",
    )  # fmt: skip
    s.add_argument(
        "--dropped", choices=["keep", "drop"],
        help="stored cells a newer file no longer has (within the periods it covers): keep or drop them; "
        "required when there are any",
    )  # fmt: skip
    s.add_argument(
        "--init", action="store_true", help="create the store if the data directory has none"
    )
    s.add_argument(
        "--details",
        type=int,
        default=10,
        metavar="N",
        help="revisions and missing cells listed (default 10)",
    )
    s.set_defaults(func=cmd_ingest)

    s = sub.add_parser("history", help="list stored versions")
    s.add_argument("--format", choices=["table", "csv", "json"], default="table")
    s.set_defaults(func=cmd_history)

    s = sub.add_parser("rollback", help="make an earlier version current again (as a new version)")
    s.add_argument("version", type=int)
    s.set_defaults(func=cmd_rollback)

    s = sub.add_parser(
        "register",
        help="add an official file under data/raw to data/sources.json (sha256, size, rows, layout computed)",
    )
    s.add_argument("file", help="the file, under data/raw/<source>/")
    s.add_argument("--id", required=True, help="a short id, e.g. cbp_seizures_fy23_fy26_may")
    s.add_argument("--title", required=True)
    s.add_argument("--agency", required=True, help="e.g. CBP, CDC/NCHS, DEA, Census")
    s.add_argument("--official-url", required=True, help="the official page of the dataset")
    s.add_argument(
        "--release", required=True, help="the release, in words (e.g. 'May 2026 release')"
    )
    s.add_argument("--vintage", help="the release as YYYY-MM when later than the data's last month")
    s.add_argument(
        "--licence", default="Public domain (U.S. federal government work, 17 U.S.C. 105)"
    )
    s.add_argument(
        "--repository", help="public repository it was copied from (with --commit, --copied-path)"
    )
    s.add_argument("--commit", default="")
    s.add_argument("--copied-path", default="")
    s.add_argument(
        "--provenance", help="its provenance note (default: PROVENANCE.md in its folder)"
    )
    s.add_argument("--notes", default="")
    s.add_argument("--after", help="place it after this id (build order); default: last")
    s.add_argument("--replace", action="store_true", help="update the entry with this id")
    s.set_defaults(func=cmd_register)

    s = sub.add_parser("verify", help="check the store and the bundled source files (sha256)")
    s.add_argument(
        "--repair",
        action="store_true",
        help="delete what killed writers left (tmp-* files, uncommitted versions, unused objects)",
    )
    s.set_defaults(func=cmd_verify)

    s = sub.add_parser(
        "claims",
        help="evaluate every article claim against the current data; `claims extract FILE` proposes the claims of a text",
    )
    s.add_argument("action", nargs="?", choices=["extract"], help="extract: propose claims of FILE")
    s.add_argument("file", nargs="?", help="text or HTML file for extract (- for standard input)")
    s.add_argument("--format", choices=["table", "csv", "json", "claimreview"], default="table")
    s.add_argument("--date", help="extract: the article's date (YYYY-MM-DD), for 'last year' etc.")
    s.add_argument("--article", help="only this article id")
    s.add_argument("--base-url", help="claimreview: the dashboard's URL, for each review's url")
    s.set_defaults(func=cmd_claims)

    s = sub.add_parser("export", help="render a chart to PNG, SVG, CSV or PPTX without a browser")
    s.add_argument("chart", nargs="?")
    s.add_argument("--list", action="store_true", help="name the charts")
    s.add_argument(
        "--where", action="append", metavar="COL=VALUE", help="chart filter (see --list)"
    )
    s.add_argument("--format", choices=["png", "svg", "csv", "pptx"], default="png")
    s.add_argument("--out", metavar="FILE")
    s.add_argument(
        "--no-claims", action="store_true", help="leave the article's claims off the chart"
    )
    s.set_defaults(func=cmd_export)

    s = sub.add_parser(
        "dictionary", help="print docs/data-dictionary.md as generated from the table contract"
    )
    s.add_argument("--write", action="store_true", help="write it to docs/data-dictionary.md")
    s.set_defaults(func=cmd_dictionary)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except (query.QueryError, KeyError, ArticleError) as exc:
        print(f"error: {exc.args[0] if exc.args else exc}", file=sys.stderr)
        return 2
    except InputError as exc:
        print(f"error: {exc.describe()}\nnothing was stored", file=sys.stderr)
        return 1
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except json.JSONDecodeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
