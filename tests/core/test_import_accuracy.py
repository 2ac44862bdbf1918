"""The importer reads the five annotated seeds (and their .docx/TCVN3/VNI/NFD versions) to the
bars of issue 3."""

from __future__ import annotations

from functools import cache

import pytest

from phoihop.core.importing.fixtures import VARIANTS
from phoihop.core.importing.scoring import Report, format_report, score_folder

BARS = {
    "sections": 0.95,
    "commitments": 0.90,
    "parties": 0.90,
    "cadence_exact": 0.90,
    "targets": 0.95,
    "legal_basis": 0.95,
    "doc_type": 1.0,
    "number": 1.0,
    "date": 1.0,
}


@cache
def _report(seeds_path: str, variant: str) -> Report:
    transform = VARIANTS.get(variant)
    return score_folder(seeds_path, transform=transform, variant=variant)


def _assert_bars(report: Report) -> None:
    figures = report.figures()
    failing = {k: figures[k] for k, bar in BARS.items() if figures[k] < bar}
    assert not failing, f"below the bar: {failing}\n{format_report(report)}"


def test_seed_texts_reach_the_accuracy_bars(seeds):
    report = _report(str(seeds), "txt")
    assert not [d.error for d in report.documents if d.error]
    _assert_bars(report)


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_seed_variants_reach_the_accuracy_bars(seeds, variant):
    _assert_bars(_report(str(seeds), variant))


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_seed_variants_score_within_two_points_of_the_text(seeds, variant):
    base = _report(str(seeds), "txt").figures()
    other = _report(str(seeds), variant).figures()
    drops = {k: (base[k], other[k]) for k in BARS if other[k] < base[k] - 0.02}
    assert not drops, drops
