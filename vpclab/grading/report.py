"""The results of ``vpclab grade`` in its ``--out`` folder, each file written atomically.

- ``grades.csv``: one row per submission; the columns ``submission, learner, assignment,
  status, score, max_score``, then one column per question id with that question's points
  (empty where the question was not graded).
- ``grades.json``: ``{"format": "vpclab-grades", "version": 1, "rows": [...]}``; each row has
  the same fields plus, per question, points, status and message; the flags; the protected
  cells changed and the cells missing; the cells that raised errors; whether the network was
  cut; the file's SHA-256 (a rerun skips a file whose content it has already graded).
- ``feedback/<learner>.html`` (or ``<submission>.html`` without a learner): a page a learner
  can read, every text escaped.

A file is written to a temporary file in the same folder, then renamed over the old one, so
a reader never sees half a file.
"""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from vpclab.errors import VpcLabError
from vpclab.grading.questions import question
from vpclab.i18n import message

__all__ = ["CSV_COLUMNS", "feedback_page", "grades_csv", "load_rows", "merge_rows", "page_name", "write_atomic",
           "write_reports"]

CSV_COLUMNS = ("submission", "learner", "assignment", "status", "score", "max_score")
FORMAT, VERSION = "vpclab-grades", 1
_STYLE = ("body{font-family:system-ui,sans-serif;max-width:860px;margin:2em auto;padding:0 1em;color:#1f2328}"
          "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #d0d7de;padding:4px 8px;"
          "text-align:left;vertical-align:top}.correct{color:#1a7f37}.incorrect,.unreadable{color:#cf222e}"
          ".unanswered{color:#57606a}section{border-top:2px solid #d0d7de;margin-top:1.5em}")


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            file.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def load_rows(out: Path) -> dict[str, dict[str, Any]]:
    """The rows of an earlier run in ``out`` by submission (none when there is no readable file)."""
    try:
        data = json.loads((out / "grades.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    rows = data.get("rows") if isinstance(data, Mapping) and data.get("format") == FORMAT else None
    return {row["submission"]: row for row in rows or []
            if isinstance(row, dict) and isinstance(row.get("submission"), str)}


def merge_rows(old: Mapping[str, dict[str, Any]], new: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Old rows updated with new ones, by submission, in submission order."""
    merged = dict(old)
    merged.update({row["submission"]: row for row in new})
    return [merged[name] for name in sorted(merged)]


def page_name(row: Mapping[str, Any]) -> str:
    """The feedback page of a row: the learner's, else the submission's (a safe file name)."""
    who = row.get("learner") or Path(str(row["submission"])).stem
    return (re.sub(r"[^\w.-]+", "_", str(who)).strip("._") or "submission") + ".html"


def _question_ids(rows: Iterable[Mapping[str, Any]]) -> list[str]:
    from vpclab.grading.bank import ASSIGNMENTS

    ids: dict[str, None] = {}
    for row in rows:  # the assignments graded, in their question order
        if row.get("questions"):
            ids.update(dict.fromkeys(ASSIGNMENTS.get(str(row.get("assignment")), ())))
            ids.update(dict.fromkeys(row["questions"]))
    return list(ids)


def grades_csv(rows: list[dict[str, Any]]) -> str:
    questions = _question_ids(rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*CSV_COLUMNS, *questions])
    for row in rows:
        graded = row.get("questions") or {}
        writer.writerow([*("" if row.get(c) is None else row[c] for c in CSV_COLUMNS),
                         *(graded[q]["points"] if q in graded else "" for q in questions)])
    return buffer.getvalue()


def _hint(question_id: str) -> str | None:
    try:
        return question(question_id).hint
    except VpcLabError:  # a question id from an older grades.json that no longer exists
        return None


def _section(row: Mapping[str, Any]) -> str:
    e = html.escape
    total = message("batch.html.total", assignment=row.get("assignment") or "?", score=row.get("score") or 0,
                    max_score=row.get("max_score") or 0)
    about = message("batch.html.submission", submission=row["submission"], status=row["status"])
    parts = [f"<section><h2>{e(total)}</h2><p>{e(about)}</p><p>{e(str(row.get('message') or ''))}</p>"]
    questions = row.get("questions") or {}
    if questions:
        parts.append("<table><tr>" + "".join(f"<th>{e(h)}</th>" for h in (
            message("label.question"), message("label.points"), message("label.status"),
            message("batch.html.feedback"))) + "</tr>")
        for qid, q in questions.items():
            hint = _hint(qid) if q["status"] != "correct" else None
            text = q["message"] + (f" — {message('check.hint', hint=hint)}" if hint else "")
            parts.append(f'<tr><td>{e(qid)}</td><td>{e(str(q["points"]))}/{e(str(q["max_points"]))}</td>'
                         f'<td class="{e(q["status"])}">{e(q["status"])}</td><td>{e(text)}</td></tr>')
        parts.append("</table>")
    else:
        parts.append(f"<p>{e(message('batch.html.no_questions'))}</p>")
    lists = [
        ("batch.html.errors", row.get("cell_errors") or []),
        ("batch.html.missing", [message("batch.missing_cell", **c) for c in row.get("missing_cells") or []]),
        ("batch.html.changed", [message("batch.changed_cell", **c) for c in row.get("changed_cells") or []]),
        ("batch.html.flags", row.get("flags") or []),
    ]
    for title, items in lists:
        if items:
            parts.append(f"<h3>{e(message(title))}</h3><ul>" + "".join(f"<li>{e(str(i))}</li>" for i in items)
                         + "</ul>")
    parts.append("</section>")
    return "".join(parts)


def feedback_page(rows: Sequence[Mapping[str, Any]]) -> str:
    """One learner's page: a friendly header, then each of their submissions."""
    who = rows[0].get("learner") or rows[0]["submission"]
    title = html.escape(message("batch.html.title", who=who))
    body = "".join(_section(row) for row in rows)
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
            f"<style>{_STYLE}</style></head><body><h1>{title}</h1>"
            f"<p>{html.escape(message('batch.html.intro'))}</p>{body}</body></html>\n")


def write_reports(out: Path, rows: list[dict[str, Any]], *, network_cut: bool) -> int:
    """Write grades.csv, grades.json and the feedback pages for ``rows``; the number of pages."""
    pages: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        row["feedback"] = f"feedback/{page_name(row)}"
        pages.setdefault(page_name(row), []).append(row)
    for name, mine in pages.items():
        write_atomic(out / "feedback" / name, feedback_page(mine))
    write_atomic(out / "grades.csv", grades_csv(rows))
    document = {"format": FORMAT, "version": VERSION, "network_cut": network_cut, "rows": rows}
    write_atomic(out / "grades.json", json.dumps(document, indent=1, ensure_ascii=False) + "\n")
    return len(pages)
