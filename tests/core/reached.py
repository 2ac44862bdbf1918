"""One check for the annotated folders the importer is pinned on (holdout, holdout2, realistic):
score a folder once per test session and say which figures fell below the ones reached."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from phoihop.core.importing.scoring import Report, format_report, score_folder

DATA = Path(__file__).resolve().parents[1] / "data"


@cache
def report_of(folder: str) -> Report:
    return score_folder(DATA / folder)


def assert_reached(folder: str, reached: dict[str, float]) -> None:
    report = report_of(folder)
    figures = report.figures()
    failing = {k: figures[k] for k, bar in reached.items() if figures[k] < bar}
    assert not failing, f"below the reached figure: {failing}\n{format_report(report)}"


def assert_complete(folder: str, count: int) -> None:
    assert len(list((DATA / folder).glob("*.gold.json"))) == count
    documents = report_of(folder).documents
    assert len(documents) == count
    assert not [d.error for d in documents if d.error]
