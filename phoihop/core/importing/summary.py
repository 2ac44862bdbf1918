"""A readable Vietnamese summary of an imported plan, for ``phoihop import FILE`` without --json.

It shows what a clerk checks first — type, number, date, issuer, period — then counts, each item
with its parties and cadence, and every warning, so nothing the importer guessed is hidden.
"""

from __future__ import annotations

from phoihop.core.i18n import _, ngettext


def _doc_types() -> dict[str, str]:
    return {
        "ke_hoach": _("Kế hoạch"),
        "quy_che": _("Quy chế"),
        "ke_hoach_lien_tich": _("Kế hoạch liên tịch"),
        "chuong_trinh_phoi_hop": _("Chương trình phối hợp"),
        "quyet_dinh": _("Quyết định"),
        "bao_cao": _("Báo cáo"),
        "other": _("Khác"),
    }


def _periods() -> dict[str, str]:
    return {
        "day": _("ngày"),
        "week": _("tuần"),
        "month": _("tháng"),
        "quarter": _("quý"),
        "semester": _("học kỳ"),
        "school_year": _("năm học"),
        "year": _("năm"),
    }


def _describe_cadence(cadence: dict | None) -> str:
    if not cadence:
        return ""
    if cadence.get("window"):
        w = cadence["window"]
        return _("từ %(start)s đến %(end)s") % {"start": w["start"], "end": w["end"]}
    parts = []
    periods = _periods()
    if cadence.get("count") is not None and cadence.get("per") in periods:
        text = _("%(count)s lần/%(per)s") % {
            "count": cadence["count"],
            "per": periods[cadence["per"]],
        }
        if cadence.get("at_least"):
            text = _("ít nhất %(text)s") % {"text": text}
        parts.append(text)
    if cadence.get("per_subject"):
        parts.append(_("cho mỗi %(subject)s") % {"subject": cadence["per_subject"]})
    if cadence.get("anchors"):
        parts.append(", ".join(cadence["anchors"]))
    return "; ".join(parts)


def format_summary(plan: dict) -> str:
    """The plan as a few lines of Vietnamese text, warnings last."""
    none = _("(không ghi)")
    lines = [
        _("Loại văn bản: %(type)s")
        % {"type": _doc_types().get(plan.get("doc_type") or "other", _("Khác"))},
        _("Tên: %(title)s") % {"title": plan.get("title") or none},
        _("Số: %(number)s") % {"number": plan.get("number") or none},
        _("Ngày: %(date)s   Nơi ban hành: %(place)s")
        % {"date": plan.get("date") or none, "place": plan.get("place") or none},
        _("Cơ quan ban hành: %(issuer)s") % {"issuer": plan.get("issuer") or none},
    ]
    if plan.get("co_issuer"):
        lines.append(_("Cơ quan cùng ban hành: %(issuer)s") % {"issuer": plan["co_issuer"]})
    period = plan.get("period")
    lines.append(_("Thời gian: %(period)s") % {"period": period["text"] if period else none})
    sections = plan.get("sections") or []
    commitments = plan.get("commitments") or []
    lines.append(
        ngettext("%(n)d mục", "%(n)d mục", len(sections)) % {"n": len(sections)}
        + ", "
        + ngettext("%(n)d nội dung phối hợp", "%(n)d nội dung phối hợp", len(commitments))
        % {"n": len(commitments)}
        + ", "
        + ngettext("%(n)d chỉ tiêu", "%(n)d chỉ tiêu", len(plan.get("targets") or []))
        % {"n": len(plan.get("targets") or [])}
    )
    if plan.get("legal_basis"):
        lines.append(_("Căn cứ:"))
        lines += [f"  - {b['text']}" for b in plan["legal_basis"]]
    if sections:
        lines.append(_("Cấu trúc:"))
        lines += [f"  {'  ' * (s['level'] - 1)}{s['heading']}" for s in sections]
    if commitments:
        lines.append(_("Nội dung phối hợp:"))
        for c in commitments:
            text = c["text"] if len(c["text"]) <= 100 else c["text"][:97] + "…"
            lines.append(f"  [{c['section']}] {text}")
            detail = ", ".join(c.get("parties") or []) or _("(chưa rõ ai thực hiện)")
            cadence = _describe_cadence(c.get("cadence"))
            if cadence:
                detail += " · " + cadence
            lines.append(f"      {detail}")
    if plan.get("targets"):
        lines.append(_("Chỉ tiêu:"))
        lines += [
            f"  - {t['text']} ({t['comparator']} {t['value']} {t['unit']})" for t in plan["targets"]
        ]
    if plan.get("recipients"):
        lines.append(_("Nơi nhận:"))
        lines += [f"  - {r['text']}" for r in plan["recipients"]]
    if plan.get("signers"):
        lines.append(_("Người ký:"))
        lines += [
            "  - " + " ".join(x for x in (s.get("authority"), s.get("title"), s.get("name")) if x)
            for s in plan["signers"]
        ]
    warnings = plan.get("warnings") or []
    if warnings:
        lines.append(_("Cảnh báo:"))
        lines += [f"  ! {w}" for w in warnings]
    else:
        lines.append(_("Không có cảnh báo."))
    return "\n".join(lines)
