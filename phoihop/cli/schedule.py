"""``phoihop calendar`` and ``phoihop schedule``: the school calendar and the cadence engine from
the command line.

Pure core: nothing here imports Django, so both commands work on a machine with no database (and
the CLI stays fast). The handlers return an exit code and raise ``phoihop.cli.errors.CommandError``
for the user's mistakes.
"""

from __future__ import annotations

import argparse

from phoihop.cli.documents import load_plan
from phoihop.cli.errors import CommandError
from phoihop.cli.runtime import print_json
from phoihop.core.i18n import _

SCHEDULE_FORMAT = "phoihop.schedule/1"


# -- phoihop calendar -----------------------------------------------------------------------------


def register_calendar(sub) -> None:
    parser = sub.add_parser(
        "calendar", help=_("in khung năm học: các mốc, ngày nghỉ, Tết và tên năm âm lịch")
    )
    parser.add_argument("year", metavar=_("NĂM_HỌC"), help=_("ví dụ 2025-2026"))
    parser.add_argument("--json", action="store_true", help=_("in dạng JSON"))
    parser.set_defaults(handler=cmd_calendar)


def cmd_calendar(args: argparse.Namespace) -> int:
    from phoihop.core.calendar import (
        CalendarError,
        format_school_year,
        get_school_year,
        school_year_as_dict,
    )

    try:
        school_year = get_school_year(args.year)
        if args.json:
            print_json(school_year_as_dict(school_year))
        else:
            print(format_school_year(school_year))
    except CalendarError as exc:
        raise CommandError(str(exc)) from exc
    return 0


# -- phoihop schedule -----------------------------------------------------------------------------


def register_schedule(sub) -> None:
    parser = sub.add_parser(
        "schedule",
        help=_("lập lịch các nội dung của một kế hoạch trên một năm học (không cần CSDL)"),
    )
    parser.add_argument(
        "file",
        metavar=_("TỆP"),
        help=_("JSON của “phoihop import” (phoihop.import/1) hoặc tệp văn bản (.docx, .txt …)"),
    )
    parser.add_argument("--year", required=True, metavar=_("NĂM_HỌC"), help=_("ví dụ 2025-2026"))
    parser.add_argument("--json", action="store_true", help=_("in dạng JSON"))
    parser.add_argument(
        "--classes",
        type=int,
        default=0,
        metavar="N",
        help=_("số lớp, cho các nội dung làm theo từng lớp / từng học sinh"),
    )
    parser.add_argument(
        "--students-per-class",
        type=int,
        default=0,
        metavar="M",
        help=_("số học sinh mỗi lớp, cho các nội dung làm theo từng học sinh"),
    )
    parser.set_defaults(handler=cmd_schedule)


def _subjects(classes: int, students_per_class: int):
    """Made-up classes "Lớp 1" … "Lớp N" with M students each, to count the work of a school."""
    from phoihop.core.cadence import Subject

    return [
        Subject(
            id=str(n),
            name=_("Lớp %(n)s") % {"n": n},
            members=tuple(f"{n}-{m}" for m in range(1, students_per_class + 1)),
        )
        for n in range(1, classes + 1)
    ]


def _item_label(index: int, text: str) -> str:
    """ "23. GVCN thường xuyên …": the engine quotes it in its messages."""
    return f"{index}. {' '.join(text.split())}"


def _plan_items(plan: dict) -> list[dict]:
    items = plan.get("commitments")
    if items is None:
        items = plan.get("items")
    if not isinstance(items, list):
        raise CommandError(_("Kế hoạch không có danh sách nội dung (“commitments”)."))
    return [item for item in items if isinstance(item, dict)]


def cmd_schedule(args: argparse.Namespace) -> int:
    from phoihop.core.cadence import ScheduleError, describe, expand
    from phoihop.core.calendar import CalendarError, get_school_year

    if args.classes < 0 or args.students_per_class < 0:
        raise CommandError(_("Số lớp và số học sinh mỗi lớp không được âm."))
    try:
        school_year = get_school_year(args.year)
    except CalendarError as exc:
        raise CommandError(str(exc)) from exc
    plan, _text = load_plan(args.file)
    subjects = _subjects(args.classes, args.students_per_class)

    results, errors = [], []
    for index, item in enumerate(_plan_items(plan), start=1):
        text = str(item.get("text") or "")
        cadence = item.get("cadence")
        kind = cadence.get("per_subject") if isinstance(cadence, dict) else None
        try:
            occurrences = expand(
                cadence,
                school_year,
                # Made-up classes stand for classes only, never for staff or units.
                subjects=subjects if kind in ("lop", "hoc_sinh") else (),
                item_label=_item_label(index, text),
            )
        except ScheduleError as exc:
            message = str(exc)
            if kind in ("lop", "hoc_sinh") and not subjects:
                message += " " + _("(Ở dòng lệnh: thêm --classes N --students-per-class M.)")
            errors.append(message)
            continue
        results.append((index, item, occurrences, describe(cadence)))
    if errors:
        raise CommandError("\n".join(errors))

    if args.json:
        print_json(_as_json(plan, school_year.label, results))
    else:
        print(_as_text(plan, school_year.label, results))
    return 0


def _occurrence_dict(occ) -> dict:
    return {
        "key": occ.key,
        "label": occ.label,
        "kind": occ.kind,
        "window_start": occ.window_start.isoformat(),
        "window_end": occ.window_end.isoformat(),
        "due_on": occ.due_on.isoformat(),
        "subject": occ.subject.name if occ.subject else None,
        "obligations": len(occ.obligations),
        "repeat": occ.repeat,
        "at_least": occ.at_least,
    }


def _as_json(plan: dict, label: str, results) -> dict:
    items = []
    for index, item, occurrences, description in results:
        items.append(
            {
                "index": index,
                "text": item.get("text"),
                "parties": item.get("parties") or [],
                "cadence": item.get("cadence"),
                "description": description,
                "activities": sum(1 for o in occurrences if o.kind == "activity"),
                "self_assessments": sum(1 for o in occurrences if o.kind == "self_assessment"),
                "obligations": sum(len(o.obligations) for o in occurrences),
                "occurrences": [_occurrence_dict(o) for o in occurrences],
            }
        )
    return {
        "format": SCHEDULE_FORMAT,
        "title": plan.get("title"),
        "school_year": label,
        "items": items,
        "totals": {
            "items": len(items),
            "activities": sum(i["activities"] for i in items),
            "self_assessments": sum(i["self_assessments"] for i in items),
            "obligations": sum(i["obligations"] for i in items),
        },
    }


def _as_text(plan: dict, label: str, results) -> str:
    def fmt(day) -> str:
        return day.strftime("%d/%m/%Y")

    out = [
        _("Lịch năm học %(year)s: %(title)s")
        % {"year": label, "title": plan.get("title") or _("(chưa có tên)")}
    ]
    totals = {"activity": 0, "self_assessment": 0, "obligations": 0}
    for index, item, occurrences, description in results:
        text = " ".join(str(item.get("text") or "").split())
        short = text if len(text) <= 100 else text[:99] + "…"
        out.append("")
        out.append(f"{index}. {short}")
        out.append("   " + description)
        activities = sum(1 for o in occurrences if o.kind == "activity")
        obligations = sum(len(o.obligations) for o in occurrences)
        checkins = len(occurrences) - activities
        totals["activity"] += activities
        totals["self_assessment"] += checkins
        totals["obligations"] += obligations
        summary = _("   %(n)s hoạt động") % {"n": activities}
        if checkins:
            summary += _(", %(n)s lần tự đánh giá") % {"n": checkins}
        if obligations:
            summary += _(", %(n)s lượt học sinh") % {"n": obligations}
        out.append(summary)
        for occ in occurrences:
            line = _("   - hạn %(due)s (%(start)s – %(end)s) %(label)s") % {
                "due": fmt(occ.due_on),
                "start": fmt(occ.window_start),
                "end": fmt(occ.window_end),
                "label": occ.label,
            }
            if occ.subject:
                line += f" · {occ.subject.name}"
            if occ.obligations:
                line += _(" · %(n)s học sinh") % {"n": len(occ.obligations)}
            if occ.repeat > 1:
                line += _(" · %(n)s lần") % {"n": occ.repeat}
            out.append(line)
    out.append("")
    out.append(
        _(
            "Tổng: %(items)s nội dung, %(activities)s hoạt động, %(checkins)s lần tự đánh giá, %(obligations)s lượt học sinh."
        )
        % {
            "items": len(results),
            "activities": totals["activity"],
            "checkins": totals["self_assessment"],
            "obligations": totals["obligations"],
        }
    )
    return "\n".join(out)
