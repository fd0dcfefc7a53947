"""The `searchkit` command: each subcommand is a thin wrapper over one library call.

Exit status: 0 success (a search with hits), 1 a search with no hits,
2 a usage or query error, 3 an index or file error. Errors are one line on stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import NothingIndexedError, QueryError, SearchkitError
from ..ingestion.filesystem import DEFAULT_MAX_FILE_SIZE, parse_size
from ..safetext import printable, repair_text

if TYPE_CHECKING:
    from ..results import IndexReport

EXIT_OK, EXIT_NO_HITS, EXIT_USAGE, EXIT_ERROR = 0, 1, 2, 3


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see `{self.prog} --help`)\n")


def _add_index_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--index",
        metavar="DIR|URL",
        default=None,
        help="index folder, or an index on OpenSearch as opensearch://HOST:PORT/NAME "
        "(default: $SEARCHKIT_INDEX, else the checkout's index/, else index/ in the user "
        "data folder)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="searchkit",
        description="Full-text search over news articles. With no command on a terminal, "
        "opens the search shell.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("index", help="build or update an index from files and folders")
    p.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="files or folders (default: what the index was built from, else the bundled articles)",
    )
    _add_index_option(p)
    p.add_argument("--rebuild", action="store_true", help="rebuild from scratch")
    p.add_argument(
        "--no-entities",
        action="store_true",
        help="skip named-entity extraction (faster; given entities are kept)",
    )
    p.add_argument(
        "--workers",
        type=_positive,
        default=None,
        metavar="N",
        help="processes for analysis (default: the number of cores)",
    )
    p.add_argument(
        "--follow-links",
        action="store_true",
        help="follow symbolic links that lead outside the named folders (default: skip them)",
    )
    p.add_argument(
        "--max-file-size",
        type=_size,
        default=DEFAULT_MAX_FILE_SIZE,
        metavar="SIZE",
        help="skip files larger than this, e.g. 500K, 64M, 1G (default: 32M)",
    )
    p.add_argument(
        "--dask",
        default=os.environ.get("SEARCHKIT_DASK") or None,
        metavar="ADDRESS",
        help="read and analyse on a Dask cluster: a scheduler address (tcp://HOST:8786), "
        "or 'local' for a LocalCluster (default: $SEARCHKIT_DASK; needs searchkit[dask])",
    )
    p.add_argument("--json", action="store_true", help="print the summary as JSON")

    p = sub.add_parser("search", help="run one query and print ranked hits")
    p.add_argument("query", metavar="QUERY")
    p.add_argument("--limit", type=_positive, default=10, metavar="N")
    p.add_argument("--page", type=_positive, default=1, metavar="P")
    p.add_argument("--sort", choices=("relevance", "date", "-date"), default="relevance")
    p.add_argument(
        "--filter",
        action="append",
        default=[],
        metavar="FIELD:VALUE",
        help="restrict to matches of FIELD:VALUE (repeatable)",
    )
    p.add_argument(
        "--exact", action="store_true", help="search unknown words as typed (no typo tolerance)"
    )
    p.add_argument(
        "--expand",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="re-rank free text with words from its best hits (default: off; see README)",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    _add_index_option(p)

    p = sub.add_parser("show", help="print one article with its metadata and entities")
    p.add_argument("id", metavar="ID")
    p.add_argument("--json", action="store_true")
    p.add_argument(
        "--original",
        action="store_true",
        help="print the original text as read (with site furniture)",
    )
    _add_index_option(p)

    p = sub.add_parser("stats", help="describe the index")
    p.add_argument("--json", action="store_true")
    _add_index_option(p)

    p = sub.add_parser(
        "check", help="verify every file of the index against the checksum recorded for it"
    )
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    _add_index_option(p)

    p = sub.add_parser("shell", help="the interactive search shell")
    _add_index_option(p)
    p.add_argument(
        "--history",
        type=Path,
        default=None,
        metavar="FILE",
        help="history file (default: in the user data directory)",
    )

    p = sub.add_parser("eval", help="score the index on a TREC-style test collection")
    p.add_argument(
        "--topics", type=Path, required=True, metavar="FILE", help="lines of `id<TAB>query`"
    )
    p.add_argument(
        "--qrels",
        type=Path,
        required=True,
        metavar="FILE",
        help="TREC qrels: `topic iteration doc relevance`",
    )
    p.add_argument("--json", action="store_true")
    _add_index_option(p)

    p = sub.add_parser(
        "eval-entities", help="score entity extraction on a CoNLL-format annotated file"
    )
    p.add_argument(
        "--conll",
        type=Path,
        required=True,
        metavar="FILE",
        help="`TOKEN TAG` lines (IOB tags over PER/ORG/LOC/MISC), -DOCSTART- between articles",
    )
    p.add_argument("--json", action="store_true")

    p = sub.add_parser("help", help="help on a topic: `searchkit help query`")
    p.add_argument("topic", nargs="?", choices=("query",), default="query")
    return parser


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be 1 or more")
    return value


def _size(text: str) -> int:
    try:
        return parse_size(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def _notify(message: str) -> None:
    print(printable(message), file=sys.stderr)


def _open(args: argparse.Namespace):
    """The index named by --index, or the default one (built from seeds/ on first use)."""
    from ..index import Index

    if args.index is not None:
        return Index.open(args.index)
    return Index.open_or_build(notify=_notify)


def _location(args: argparse.Namespace) -> str | Path:
    """--index, else $SEARCHKIT_INDEX (a folder or an OpenSearch location), else the default."""
    from ..locations import default_index_dir

    return args.index or os.environ.get("SEARCHKIT_INDEX") or default_index_dir()


def cmd_index(args: argparse.Namespace) -> int:
    from ..indexing import update_index
    from .render import render_report

    try:
        index, report = update_index(
            _location(args),
            args.paths,
            rebuild=args.rebuild,
            extract_entities=not args.no_entities,
            workers=args.workers,
            progress=sys.stderr.isatty() and not args.json,
            follow_links=args.follow_links,
            max_file_size=args.max_file_size,
            dask=args.dask,
        )
    except NothingIndexedError as e:
        _warn(e.report)  # why nothing was indexed; main() prints the error line
        raise
    _warn(report)
    if args.json:
        print(json.dumps(report.to_json()))
    else:
        print(render_report(report, len(index)))
    return EXIT_OK


def _warn(report: IndexReport) -> None:
    for warning in report.warnings:
        _notify(f"searchkit: warning: {warning}")


def cmd_search(args: argparse.Namespace) -> int:
    index = _open(args)
    results = index.search(
        args.query,
        limit=args.limit,
        page=args.page,
        sort=args.sort,
        filters=args.filter,
        exact=args.exact,
        expand=args.expand,
    )
    for notice in results.notices:
        _notify(f"searchkit: notice: {notice}")
    if args.json:
        print(json.dumps(results.to_json(), ensure_ascii=False))
    else:
        from .render import render_results, use_color  # not needed for --json

        print(render_results(results, color=use_color(args.color, sys.stdout)))
    return EXIT_OK if results.total else EXIT_NO_HITS


def cmd_show(args: argparse.Namespace) -> int:
    from .render import document_json, render_document, use_color

    index = _open(args)
    doc = index.document(repair_text(args.id))  # an id that is not valid UTF-8 is no id
    if doc is None:
        raise SearchkitError(
            f"no article with id {args.id!r} (ids are shown by `searchkit search`)"
        )
    if args.json:
        print(json.dumps(document_json(doc), ensure_ascii=False))
    elif args.original:
        print(printable(doc.original, multiline=True))
    else:
        print(render_document(doc, color=use_color("auto", sys.stdout)))
    return EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    from .render import render_stats

    stats = _open(args).stats()
    print(json.dumps(stats.to_json()) if args.json else render_stats(stats))
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from ..index import Index

    report = Index.check(_location(args))
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False))
    else:  # a cluster's report may carry warnings (a yellow index)
        for warning in getattr(report, "warnings", ()):
            _notify(f"searchkit: warning: {warning}")
    if not report.ok:
        raise report.error()
    if not args.json:
        print(report.summary())
    return EXIT_OK


def cmd_shell(args: argparse.Namespace) -> int:
    from .shell.app import run_shell

    return run_shell(index_dir=args.index, history_file=args.history)


def cmd_eval(args: argparse.Namespace) -> int:
    from ..evaluation import evaluate, render_evaluation

    report = evaluate(_open(args), args.topics, args.qrels)
    for notice in report.notices:
        _notify(f"searchkit: notice: {notice}")
    print(json.dumps(report.to_json()) if args.json else render_evaluation(report))
    return EXIT_OK


def cmd_eval_entities(args: argparse.Namespace) -> int:
    from ..analysis.entities.evaluate import evaluate_conll, render_scores

    scores = evaluate_conll(args.conll)
    print(json.dumps(scores.to_json()) if args.json else render_scores(scores, str(args.conll)))
    return EXIT_OK


def cmd_help(args: argparse.Namespace) -> int:
    from ..query.language import QUERY_HELP

    print(QUERY_HELP)
    return EXIT_OK


COMMANDS = {
    "index": cmd_index,
    "search": cmd_search,
    "show": cmd_show,
    "stats": cmd_stats,
    "check": cmd_check,
    "shell": cmd_shell,
    "eval": cmd_eval,
    "eval-entities": cmd_eval_entities,
    "help": cmd_help,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `searchkit` console script and `python -m searchkit`."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        if sys.stdin.isatty() and sys.stdout.isatty():
            args = parser.parse_args(["shell"])
        else:
            parser.print_help(sys.stderr)
            return EXIT_USAGE
    try:
        return COMMANDS[args.command](args)
    except QueryError as e:
        _notify(f"searchkit: query error: {e}")
        return EXIT_USAGE
    except SearchkitError as e:
        _notify(f"searchkit: {e}")
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("searchkit: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `searchkit search x | head`: the reader went away; that is not an error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
