"""The importer on six coordination documents written for this test (tests/data/holdout/): a
mầm non plan with parents and the health station, a tiểu học plan with the ward police, a THPT
Quy chế in Chương/Điều/khoản, a Phòng GD&ĐT – LĐLĐ joint plan with two signers side by side, a
sloppy plan (no diacritics, tabs, Markdown, broken lines) and a plan with a flattened two-column
header. The thresholds are the figures reached when the rules were generalised on them: they
guard against regressions; they are not an unbiased estimate on unseen plans."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from phoihop.core.importing.scoring import Report, format_report, score_folder

HOLDOUT = Path(__file__).resolve().parents[1] / "data" / "holdout"

REACHED = {
    "sections": 1.0,
    "commitments": 1.0,
    "parties": 0.98,
    "party_sets_exact": 0.95,
    # one miss: "Mỗi lớp tổ chức họp … 02 lần/năm học" is annotated per class, but
    # test_import_cadence pins a clause-initial "mỗi lớp" as no per-subject
    "cadence_exact": 0.98,
    "targets": 1.0,
    "legal_basis": 1.0,
    "recipients": 1.0,
    "signers": 1.0,
    "doc_type": 1.0,
    "number": 1.0,
    "date": 1.0,
}


@cache
def _report() -> Report:
    return score_folder(HOLDOUT)


def test_holdout_set_is_complete():
    assert len(list(HOLDOUT.glob("*.gold.json"))) == 6
    assert len(_report().documents) == 6


def test_holdout_documents_import_without_error():
    assert not [d.error for d in _report().documents if d.error]


def test_holdout_figures_stay_at_what_was_reached():
    report = _report()
    figures = report.figures()
    failing = {k: figures[k] for k, bar in REACHED.items() if figures[k] < bar}
    assert not failing, f"below the reached figure: {failing}\n{format_report(report)}"
