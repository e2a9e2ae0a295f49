"""The ``vpclab`` command.

Exit status: 0 on success, 1 when a check finds problems, 2 on bad input (a one-line
message on stderr, never a traceback).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import subprocess
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from vpclab import __version__
from vpclab.cidr import parse
from vpclab.errors import VpcLabError
from vpclab.i18n import message
from vpclab.workspace import kit_root, lesson_notebook, prepare_workspace, reset_lesson

__all__ = ["main"]


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line."""

    def error(self, text: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {text} (see {self.prog} --help)\n")


def _cidr(args: argparse.Namespace) -> int:
    block = parse(args.cidr, strict=True)
    parts = None
    if args.split is not None:
        parts = block.split(args.split)
    elif args.prefix is not None:
        parts = block.subnets(args.prefix)
    if args.json:
        print(json.dumps(block.to_dict(subnets=parts), indent=2))
        return 0
    print(block._text_())
    if parts is not None:
        print(message("cli.parts", count=len(parts), prefix=parts[0].prefix))
        for part in parts:
            print(f"  {part!s:<18} {part.first:<15} – {part.last:<15} {part.usable:>7,} usable")
    return 0


def _trace(args: argparse.Namespace) -> int:
    from vpclab.cloud import Cloud

    cloud = Cloud.from_aws(args.file, lenient=args.lenient)
    result = cloud.trace(args.source, args.destination, args.protocol, args.port,
                         source_port=args.source_port, all_blockers=args.all_blockers)
    print(json.dumps(result.to_dict(), indent=2) if args.json else result._text_())
    return 0 if result.reachable else 1


def _render(args: argparse.Namespace) -> int:
    from vpclab.cloud import Cloud
    from vpclab.errors import InvalidValue
    from vpclab.topology import topology

    cloud = Cloud.from_aws(args.file, lenient=args.lenient)
    if (args.source is None) != (args.destination is None):
        raise InvalidValue("MissingParameter", message("cli.render_needs_both"),
                           fix=message("cli.render_needs_both_fix"))
    result = None
    if args.source is not None:
        result = cloud.trace(args.source, args.destination, args.protocol, args.port)
    diagram = topology(cloud, result)
    if args.output is None:
        print(diagram.source)
        return 0
    suffix = args.output.suffix.lower().lstrip(".")
    if suffix == "dot":
        args.output.write_text(diagram.source, encoding="utf-8")
    elif suffix in ("svg", "png"):
        diagram.save(str(args.output), suffix)
    else:
        raise InvalidValue("InvalidParameterValue", message("render.bad_format", suffix=args.output.suffix),
                           fix=message("render.bad_format_fix"))
    print(message("render.wrote", path=args.output))
    return 0


def _lab(args: argparse.Namespace) -> int:
    root = kit_root()
    work = prepare_workspace(root)
    command = [sys.executable, "-m", "jupyter", "lab", "--ip=127.0.0.1", f"--port={args.port}",
               f"--ServerApp.root_dir={work}"]
    if args.no_browser:
        command.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # containers and Binder often run as root
        command.append("--allow-root")
    command += args.passthrough
    print(message("cli.lab", work=work), flush=True)
    try:
        return subprocess.call(command)
    except KeyboardInterrupt:
        return 0


def _present(args: argparse.Namespace) -> int:
    """A lesson as an app (Voilà): widgets live, code hidden; for workshops."""
    lesson = lesson_notebook(kit_root(), args.lesson)
    command = [sys.executable, "-m", "voila", str(lesson), "--Voila.ip=127.0.0.1", f"--port={args.port}",
               "--strip_sources=True", "--show_tracebacks=False"]
    if args.no_browser:
        command.append("--no-browser")
    command += args.passthrough
    print(message("cli.present", lesson=lesson.name, port=args.port), flush=True)
    try:
        return subprocess.call(command, cwd=lesson.parent)
    except KeyboardInterrupt:
        return 0


def _reset(args: argparse.Namespace) -> int:
    for restored, backup in reset_lesson(kit_root(), args.lesson):
        print(message("cli.reset", path=restored))
        if backup is not None:
            print(message("cli.reset_backup", path=backup))
    return 0


def _assign(args: argparse.Namespace) -> int:
    from vpclab.grading.assign import assign

    root = kit_root() if args.solutions is None or args.exercises is None else Path.cwd()
    solutions = args.solutions or root / "solutions"
    exercises = args.exercises or root / "exercises"
    results = assign(solutions, exercises, write=not args.check)
    stale = [r.exercise for r in results if r.changed]
    for path in stale:
        print(message("cli.stale" if args.check else "cli.written", path=path))
    if not stale:
        print(message("cli.up_to_date", count=len(results)))
    return 1 if args.check and stale else 0


def _positive(kind: type[int] | type[float], option: str, example: str) -> Callable[[str], int | float]:
    """An argparse type: a number above 0, refused in one line otherwise."""
    def read(text: str) -> int | float:
        try:
            value = kind(text)
        except ValueError:
            value = 0
        if not 0 < value < float("inf"):
            raise argparse.ArgumentTypeError(f"{message('batch.bad_number', option=option, value=text)}; "
                                             f"{message('batch.bad_number_fix', option=option, example=example)}")
        return value
    return read


def _grade(args: argparse.Namespace) -> int:
    from vpclab.grading.batch import Options, find_submissions, grade, read_roster
    from vpclab.grading.questions import assignment_questions
    from vpclab.grading.report import load_rows, merge_rows, write_reports

    if args.assignment is not None:
        assignment_questions(args.assignment)  # an unknown name is refused before anything runs
    try:
        root: Path | None = kit_root()
    except VpcLabError:
        root = None
    options = Options(assignment=args.assignment, roster=read_roster(args.roster) if args.roster else {},
                      force=args.force, jobs=args.jobs or os.cpu_count() or 1, cell_timeout=args.cell_timeout,
                      timeout=args.timeout, memory_mb=args.memory, root=root)
    submissions = find_submissions(args.submissions)
    args.out.mkdir(parents=True, exist_ok=True)  # a bad --out is refused before anything runs
    previous = load_rows(args.out)
    tty = sys.stderr.isatty()

    def progress(done: int, total: int, row: dict[str, object]) -> None:
        score = f"{row['score']}/{row['max_score']}" if row.get("max_score") is not None else ""
        line = message("batch.progress", done=done, total=total, submission=row["submission"],
                       status=row["status"], score=score)
        print(f"\r\033[K{line}" if tty else line, end="" if tty and done < total else "\n",
              file=sys.stderr, flush=True)

    result = grade(submissions, options, previous=previous, progress=progress)
    rows = merge_rows(previous, result.rows)
    pages = write_reports(args.out, rows, network_cut=result.network_cut)
    if result.skipped:
        print(message("batch.skipped", count=len(result.skipped)), file=sys.stderr)
    if result.rows:
        print(message("batch.network_cut" if result.network_cut else "batch.network_not_cut"), file=sys.stderr)
    statuses = sorted({str(row["status"]) for row in result.rows})
    counts = ", ".join(f"{s} {sum(r['status'] == s for r in result.rows)}" for s in statuses)
    if counts:
        print(message("batch.statuses", statuses=counts))
    print(message("batch.done", count=len(rows), out=args.out, pages=pages))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="vpclab", description=message("cli.description"))
    parser.add_argument("--version", action="version", version=f"vpclab {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    cidr = commands.add_parser("cidr", help=message("cli.help.cidr"))
    cidr.add_argument("cidr", help="an IPv4 block, like 10.0.0.0/24")
    how = cidr.add_mutually_exclusive_group()
    how.add_argument("--split", type=int, metavar="N", help=message("cli.help.split"))
    how.add_argument("--prefix", type=int, metavar="P", help=message("cli.help.prefix"))
    cidr.add_argument("--json", action="store_true", help=message("cli.help.json"))
    cidr.set_defaults(run=_cidr)

    trace = commands.add_parser("trace", help=message("cli.help.trace"))
    trace.add_argument("file", help=message("cli.help.aws_file"))
    trace.add_argument("--from", dest="source", required=True, help=message("cli.help.endpoint"))
    trace.add_argument("--to", dest="destination", required=True, help=message("cli.help.endpoint"))
    trace.add_argument("--protocol", default="tcp", choices=["tcp", "udp", "icmp", "all"])
    trace.add_argument("--port", type=int, default=443)
    trace.add_argument("--source-port", type=int, default=49152)
    trace.add_argument("--all-blockers", action="store_true", help=message("cli.help.all_blockers"))
    trace.add_argument("--lenient", action="store_true", help=message("cli.help.lenient"))
    trace.add_argument("--json", action="store_true", help=message("cli.help.json"))
    trace.set_defaults(run=_trace)

    render = commands.add_parser("render", help=message("cli.help.render"))
    render.add_argument("file", help=message("cli.help.aws_file"))
    render.add_argument("-o", "--output", type=Path, default=None)
    render.add_argument("--from", dest="source", default=None, help=message("cli.help.endpoint"))
    render.add_argument("--to", dest="destination", default=None, help=message("cli.help.endpoint"))
    render.add_argument("--protocol", default="tcp", choices=["tcp", "udp", "icmp", "all"])
    render.add_argument("--port", type=int, default=443)
    render.add_argument("--lenient", action="store_true", help=message("cli.help.lenient"))
    render.set_defaults(run=_render)

    for name in ("lint", "reach", "export", "collect"):  # each tool module adds its own arguments
        module = importlib.import_module(f"vpclab.{'awsexport' if name == 'export' else name}")
        tool = commands.add_parser(name, help=message(f"cli.help.{name}"))
        module.add_arguments(tool)
        tool.set_defaults(run=module.run)

    lab = commands.add_parser("lab", help=message("cli.help.lab"), epilog=message("cli.help.jupyter"))
    lab.add_argument("--port", type=int, default=8888)
    lab.add_argument("--no-browser", action="store_true")
    lab.set_defaults(run=_lab)

    present = commands.add_parser("present", help=message("cli.help.present"), epilog=message("cli.help.voila"))
    present.add_argument("lesson", help="the lesson's number, like 05")
    present.add_argument("--port", type=int, default=8866)
    present.add_argument("--no-browser", action="store_true")
    present.set_defaults(run=_present)

    reset = commands.add_parser("reset", help=message("cli.help.reset"))
    reset.add_argument("lesson", help="the lesson's number, like 02")
    reset.set_defaults(run=_reset)

    assign_ = commands.add_parser("assign", help=message("cli.help.assign"))
    assign_.add_argument("--solutions", type=Path, default=None)
    assign_.add_argument("--exercises", type=Path, default=None)
    assign_.add_argument("--check", action="store_true", help=message("cli.help.check"))
    assign_.set_defaults(run=_assign)

    grade_ = commands.add_parser("grade", help=message("cli.help.grade"))
    grade_.add_argument("submissions", nargs="+", type=Path, metavar="SUBMISSION",
                        help=message("cli.help.grade_submissions"))
    grade_.add_argument("--out", type=Path, required=True, metavar="DIR", help=message("cli.help.grade_out"))
    grade_.add_argument("--assignment", default=None, metavar="NAME", help=message("cli.help.grade_assignment"))
    grade_.add_argument("--roster", type=Path, default=None, metavar="CSV", help=message("cli.help.grade_roster"))
    grade_.add_argument("--force", action="store_true", help=message("cli.help.grade_force"))
    grade_.add_argument("--jobs", type=_positive(int, "jobs", "2"), default=None, metavar="N",
                        help=message("cli.help.grade_jobs"))
    grade_.add_argument("--cell-timeout", type=_positive(float, "cell-timeout", "60"), default=60.0, metavar="S",
                        help=message("cli.help.grade_cell_timeout"))
    grade_.add_argument("--timeout", type=_positive(float, "timeout", "600"), default=600.0, metavar="S",
                        help=message("cli.help.grade_timeout"))
    grade_.add_argument("--memory", type=_positive(int, "memory", "2048"), default=2048, metavar="MB",
                        help=message("cli.help.grade_memory"))
    grade_.set_defaults(run=_grade)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    passthrough = words[words.index("--") + 1:] if "--" in words else []  # for jupyter / voila
    parser = build_parser()
    args = parser.parse_args(words[:len(words) - len(passthrough) - 1] if "--" in words else words)
    if passthrough and args.command not in ("lab", "present"):
        parser.error(message("cli.no_passthrough", command=args.command))
    args.passthrough = passthrough
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the CLI refuses host bits instead of warning
            status: int = args.run(args)
        return status
    except VpcLabError as err:
        print(f"vpclab {args.command}: {err}", file=sys.stderr)
        return 2
    except OSError as err:
        print(f"vpclab {args.command}: {err.strerror or err}: {err.filename or ''}".rstrip(": "),
              file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
