"""`indicators`: build, query, ingest, history, rollback, verify, claims, export.

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

    store = Store()
    for f in args.files:
        size = Path(f).stat().st_size if Path(f).is_file() else 0
        if size > args.max_mb * 1_000_000:
            raise InputError(
                f, f"the file is {size / 1e6:.1f} MB, over the limit of {args.max_mb} MB (--max-mb)"
            )
    pl, v = ingest.ingest(args.files, store, dry_run=args.dry_run)
    for line in pl.describe():
        print(line)
    if args.dry_run:
        print("dry run: nothing was written")
    elif v is None:
        print("nothing changed: the store already holds these data")
    else:
        print(f"stored as version {v.number}")
    return 0


def cmd_history(args) -> int:
    store = Store()
    cur = store.current().number
    rows = []
    for v in store.history():
        m = v.meta
        rows.append(
            {
                "version": v.number,
                "current": "*" if v.number == cur else "",
                "created": m["created"],
                "kind": m.get("kind", ""),
                "message": m["message"],
                "rows": sum(t["rows"] for t in m["tables"].values()),
            }
        )
    _print_frame(pd.DataFrame(rows), args.format)
    return 0


def cmd_rollback(args) -> int:
    v = Store().rollback(args.version)
    query.clear_cache()
    print(f"version {v.number} now holds the tables of version {args.version}")
    return 0


def cmd_verify(args) -> int:
    from . import manifest

    store = Store()
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


def cmd_claims(args) -> int:
    from . import claims

    df = claims.evaluate_all()
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
    s.add_argument("--max-mb", type=float, default=200, help="refuse files larger than this (MB)")
    s.set_defaults(func=cmd_ingest)

    s = sub.add_parser("history", help="list stored versions")
    s.add_argument("--format", choices=["table", "csv", "json"], default="table")
    s.set_defaults(func=cmd_history)

    s = sub.add_parser("rollback", help="make an earlier version current again (as a new version)")
    s.add_argument("version", type=int)
    s.set_defaults(func=cmd_rollback)

    s = sub.add_parser("verify", help="check the store and the bundled source files (sha256)")
    s.set_defaults(func=cmd_verify)

    s = sub.add_parser("claims", help="evaluate every article claim against the current data")
    s.add_argument("--format", choices=["table", "csv", "json"], default="table")
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
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except (query.QueryError, KeyError) as exc:
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
