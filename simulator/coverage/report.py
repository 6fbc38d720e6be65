"""The coverage report: built from the catalogue and the tally, merged, rendered.

The report is plain JSON (what `GET /_usersim/coverage` answers), so the pytest plugin can
merge the reports of several servers (one per pytest-xdist worker) and render them as
text or Markdown without the server's code or contracts at hand. Everything keyed by
name is a mapping, so merging is adding numbers; totals and gaps are derived afresh.

Shape, per face: `operations` (each with `calls`, `answers`: the documented answers with
how often each was given, `statuses` and `codes` given, `undocumented`: statuses given
that the operation does not document), `outside_operations` (answers given before the
face knew the operation: a refused key, an unknown path), `codes` (the documented codes
with counts), `undocumented_codes`, and `totals`. Then `scenarios` (fault rules, presets
and policies, with how often each was added, applied or set and how often it fired) and
the session's `totals` over the faces that were called at all.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from simulator.coverage.catalogue import FaceCatalogue, face_catalogue
from simulator.coverage.tally import CoverageTally
from simulator.face import Faces
from simulator.records import record

if TYPE_CHECKING:
    from simulator.runtime import Simulator

_DERIVED = ("totals", "undocumented")


def build(
    faces: Iterable[FaceCatalogue],
    tally: CoverageTally,
    presets: Iterable[str],
    policies: Iterable[str],
) -> dict[str, Any]:
    """The report of one server: what its contracts document, and what it answered."""
    report: dict[str, Any] = {"faces": {face.name: _empty(face) for face in faces}}
    for (face, operation, status), count in list(tally.answers.items()):
        entry = report["faces"].get(face)
        if entry is None:
            continue
        entry["requests"] += count
        operations = _operations(entry, operation)
        if status == 0:  # the connection was dropped (a fault): called, never answered
            for op in operations:
                op["calls"] += count
            continue
        if not operations:
            _add_to(entry["outside_operations"]["statuses"], str(status), count)
        for op in operations:
            op["calls"] += count
            _add_to(op["statuses"], str(status), count)
            key = answer_key(status, op["answers"])
            if key is not None:
                op["answers"][key] += count
    for (face, operation, code), count in list(tally.codes.items()):
        entry = report["faces"].get(face)
        if entry is None:
            continue
        documented = entry["codes"] if code in entry["codes"] else entry["undocumented_codes"]
        _add_to(documented, code, count)
        operations = _operations(entry, operation)
        for op in operations:
            _add_to(op["codes"], code, count)
        if not operations:
            _add_to(entry["outside_operations"]["codes"], code, count)
    report["scenarios"] = {
        "faults": {
            rule: {
                "added": tally.faults_added.get(rule, 0),
                "fired": tally.faults_fired.get(rule, 0),
            }
            for rule in {**tally.faults_added, **tally.faults_fired}
        },
        "presets": {
            name: {
                "applied": tally.presets_applied.get(name, 0),
                "fired": tally.presets_fired.get(name, 0),
            }
            for name in presets
        },
        "policies": {
            name: {
                "set": tally.policies_set.get(name, 0),
                "requests": tally.policy_requests.get(name, 0),
            }
            for name in policies
        },
    }
    return finish(report)


def coverage_report(simulator: Simulator, faces: Faces) -> dict[str, Any]:
    """The report of a running simulator, for the faces its app serves."""
    return build(
        face_catalogue(faces),
        simulator.coverage,
        simulator.scenarios.presets,
        simulator.policies.names(),
    )


def merge(reports: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Several servers' reports as one: counts added, totals and gaps derived again."""
    merged: dict[str, Any] = {}
    for report in reports:
        merged = _add(merged, _strip(report))
    merged.setdefault("faces", {})
    merged.setdefault("scenarios", {"faults": {}, "presets": {}, "policies": {}})
    return finish(merged)


def answer_key(status: int, answers: dict[str, int]) -> str | None:
    """Which documented answer a status is: its own code, its class (`4XX`), `default`."""
    for key in (str(status), f"{status // 100}XX", "default"):
        if key in answers:
            return key
    return None


def finish(report: dict[str, Any]) -> dict[str, Any]:
    """Derive every face's totals and undocumented answers, and the session's totals."""
    used = {"operations": [0, 0], "answers": [0, 0], "codes": [0, 0]}
    for entry in report["faces"].values():
        counts = {"operations": [0, 0], "answers": [0, 0], "codes": [0, 0]}
        for op in entry["operations"].values():
            counts["operations"][0] += op["calls"] > 0
            counts["operations"][1] += 1
            counts["answers"][0] += sum(1 for given in op["answers"].values() if given)
            counts["answers"][1] += len(op["answers"])
            op["undocumented"] = (
                sorted(s for s in op["statuses"] if answer_key(int(s), op["answers"]) is None)
                if op["answers"]
                else []
            )
        counts["codes"][0] = sum(1 for given in entry["codes"].values() if given)
        counts["codes"][1] = len(entry["codes"])
        entry["totals"] = {kind: _ratio(*pair) for kind, pair in counts.items()}
        if entry["requests"]:
            for kind, (covered, total) in counts.items():
                used[kind][0] += covered
                used[kind][1] += total
    report["totals"] = {
        "faces_called": sum(1 for entry in report["faces"].values() if entry["requests"]),
        **{kind: _ratio(*pair) for kind, pair in used.items()},
    }
    return report


def operations_percent(report: dict[str, Any]) -> float:
    """The share of operations called, over the faces the session called (0 if none)."""
    return float(report["totals"]["operations"]["percent"] or 0.0)


# -- reading a report ---------------------------------------------------------------------


@record
class OperationRow:
    face: str
    operation: str
    calls: int
    given: list[str]  # documented answers given, and statuses where none are documented
    missing: list[str]  # documented answers never given
    undocumented: list[str]
    codes: list[str]


def rows(report: dict[str, Any]) -> Iterator[OperationRow]:
    """Every operation of every face, the gaps first: never called, then called without
    every documented answer, then complete."""
    found = []
    for face, entry in report["faces"].items():
        for name, op in entry["operations"].items():
            answers = op["answers"]
            given = [k for k, n in answers.items() if n] if answers else sorted(op["statuses"])
            found.append(
                OperationRow(
                    face,
                    name,
                    op["calls"],
                    given,
                    [k for k, n in answers.items() if not n],
                    op["undocumented"],
                    sorted(op["codes"]),
                )
            )
    yield from sorted(found, key=lambda row: (row.calls > 0, not row.missing))


def summary_lines(report: dict[str, Any]) -> list[str]:
    """A terminal summary, one line per face (as pytest-cov prints one per file)."""
    lines = [
        f"{'face':<16}{'requests':>9}  {'operations':>16}  {'answers':>16}  {'error codes':>16}"
    ]
    for label, requests, totals in _total_rows(report):
        lines.append(
            f"{label:<16}{requests:>9}  {_cell(totals['operations'])}  "
            f"{_cell(totals['answers'])}  {_cell(totals['codes'])}"
        )
    lines[-1] += f"   (over the {report['totals']['faces_called']} faces called)"
    for face, entry in report["faces"].items():
        if not entry["requests"]:
            continue
        never = [name for name, op in entry["operations"].items() if not op["calls"]]
        if never:
            lines.append(f"{face} never called: {', '.join(never)}")
        codes = [code for code, count in entry["codes"].items() if not count]
        if codes:
            lines.append(f"{face} error codes never given: {', '.join(codes)}")
    lines.extend(_scenario_lines(report["scenarios"]))
    return lines


def markdown(report: dict[str, Any]) -> str:
    """The report as a Markdown document: totals, then each face's operations, gaps first."""
    out = [
        "# usersim contract coverage",
        "",
        "Operations called, documented answers given (HTTP statuses per operation) and "
        "documented error codes given, per face.",
        "",
        "| face | requests | operations | answers | error codes |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    called = f"**total** (the {report['totals']['faces_called']} faces called)"
    for label, requests, totals in _total_rows(report):
        out.append(
            f"| {called if label == 'TOTAL' else label} | {requests} | "
            f"{short(totals['operations'])} | {short(totals['answers'])} | {short(totals['codes'])} |"
        )
    by_face: dict[str, list[OperationRow]] = {}
    for row in rows(report):
        by_face.setdefault(row.face, []).append(row)
    for face, entry in report["faces"].items():
        out += ["", f"## {face}: {entry['title']}", ""]
        out += [
            "| operation | calls | answers given | documented, never given | undocumented | error codes |",
            "| --- | ---: | --- | --- | --- | --- |",
        ]
        for row in by_face.get(face, []):
            out.append(
                f"| `{row.operation}` | {row.calls} | {_list(row.given)} | {_list(row.missing)} | "
                f"{_list(row.undocumented)} | {_list(row.codes)} |"
            )
        never = [code for code, count in entry["codes"].items() if not count]
        if never:
            out += ["", f"Error codes never given: {_list(never)}."]
        if entry["undocumented_codes"]:
            out += [
                "",
                f"Error codes the contract does not document: {_list(entry['undocumented_codes'])}.",
            ]
        outside = entry["outside_operations"]
        if outside["statuses"]:
            statuses = ", ".join(f"{s} ({n})" for s, n in outside["statuses"].items())
            out += ["", f"Answers before an operation was known: {statuses}."]
    out += [
        "",
        "## Scenario switches",
        "",
        *(f"- {line}" for line in _scenario_lines(report["scenarios"])),
    ]
    return "\n".join(out) + "\n"


def _total_rows(report: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(face, requests, totals) per face, then the session's TOTAL."""
    found = [
        (face, str(entry["requests"]), entry["totals"]) for face, entry in report["faces"].items()
    ]
    return [*found, ("TOTAL", "", report["totals"])]


def _scenario_lines(scenarios: dict[str, Any]) -> list[str]:
    faults = scenarios["faults"]
    fired = [f"{rule} ({c['fired']})" for rule, c in faults.items() if c["fired"]]
    idle = [rule for rule, c in faults.items() if c["added"] and not c["fired"]]
    presets = scenarios["presets"]
    used = [
        f"{n} (applied {c['applied']}, fired {c['fired']})"
        for n, c in presets.items()
        if c["applied"] or c["fired"]
    ]
    unused = [n for n, c in presets.items() if not (c["applied"] or c["fired"])]
    policies = scenarios["policies"]
    set_ = [
        f"{n} (set {c['set']}, {c['requests']} requests)" for n, c in policies.items() if c["set"]
    ]
    unset = [n for n, c in policies.items() if not c["set"]]
    return [
        f"fault rules fired: {', '.join(fired) or 'none'}"
        + (f"; added but never fired: {', '.join(idle)}" if idle else ""),
        f"presets used: {', '.join(used) or 'none'}; never used: {', '.join(unused) or 'none'}",
        f"policies set: {', '.join(set_) or 'none'}; never set: {', '.join(unset) or 'none'}",
    ]


def _empty(face: FaceCatalogue) -> dict[str, Any]:
    return {
        "title": face.title,
        "contracts": list(face.contracts),
        "requests": 0,
        "operations": {
            name: {
                "calls": 0,
                "answers": dict.fromkeys(answers, 0),
                "statuses": {},
                "codes": {},
            }
            for name, answers in face.operations.items()
        },
        "outside_operations": {"statuses": {}, "codes": {}},
        "codes": dict.fromkeys(face.codes, 0),
        "undocumented_codes": {},
    }


def _operations(entry: dict[str, Any], operation: str | None) -> list[dict[str, Any]]:
    """The catalogue entries a journaled operation names (GraphQL: each root field)."""
    known = entry["operations"]
    return [known[name] for name in (operation or "").split(",") if name in known]


def _add_to(counts: dict[str, int], key: str, count: int) -> None:
    counts[key] = counts.get(key, 0) + count


def _ratio(covered: int, total: int) -> dict[str, Any]:
    return {
        "covered": covered,
        "total": total,
        "percent": round(100 * covered / total, 1) if total else None,
    }


def short(ratio: dict[str, Any]) -> str:
    """ "12/20 (60.0%)", or "-" when nothing is documented."""
    if not ratio["total"]:
        return "-"
    return f"{ratio['covered']}/{ratio['total']} ({ratio['percent']:.1f}%)"


def _cell(ratio: dict[str, Any]) -> str:
    if not ratio["total"]:
        return f"{'-':>16}"
    return f"{ratio['covered']:>5}/{ratio['total']:<5}{ratio['percent']:>5.1f}%"


def _list(items: Iterable[str]) -> str:
    return ", ".join(f"`{item}`" for item in items) or "-"


def _strip(node: Any) -> Any:
    """A copy without what `finish` derives."""
    if isinstance(node, dict):
        return {key: _strip(value) for key, value in node.items() if key not in _DERIVED}
    return copy.copy(node)


def _add(a: Any, b: Any) -> Any:
    """`b` added into `a`: numbers summed, mappings by key, lists joined without repeats."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key, value in b.items():
            a[key] = _add(a[key], value) if key in a else value
        return a
    if isinstance(a, bool) or isinstance(b, bool):
        return a
    if isinstance(a, int) and isinstance(b, int):
        return a + b
    if isinstance(a, list) and isinstance(b, list):
        return a + [item for item in b if item not in a]
    return a
