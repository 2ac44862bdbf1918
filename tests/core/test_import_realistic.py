"""The importer on three plans written for this test in the shapes real documents take once copied
out of a PDF, an old Word file or a web page (tests/data/realistic/): a tiểu học plan with the
commune police whose lines are cut mid-sentence, with headings that lost their dot ("I MỤC ĐÍCH",
"II/", "1)", a numeral alone on its line) and a header flattened into two columns; a THCS Quy chế
typed in a TCVN3 font that lost every toneless "ư" ("Trờng", "Chơng", "nh sau"); and a joint plan of
the Women's Union and a kindergarten whose line breaks were all lost. The figures are those reached
when the rules were written: they guard against regressions, they are not an estimate on unseen
plans. Two misses are left as they are: "phối hợp với bảo vệ nhà trường" (the school's guard) is
annotated as the school taking part, and "tuyên truyền … cho cha mẹ trẻ" as the parents being the
audience only."""

from __future__ import annotations

import pytest

from phoihop.core.importing.shapes import syllables
from tests.core.reached import assert_complete, assert_reached

FOLDER = "realistic"

REACHED = {
    "sections": 1.0,
    "commitments": 1.0,
    "parties": 0.96,
    "party_sets_exact": 0.875,
    "cadence_exact": 1.0,
    "targets": 1.0,
    "legal_basis": 1.0,
    "recipients": 1.0,
    "signers": 1.0,
    "doc_type": 1.0,
    "number": 1.0,
    "date": 1.0,
}

pytestmark = pytest.mark.skipif(not syllables(), reason="hunspell-vi is not installed")


def test_realistic_set_is_complete():
    assert_complete(FOLDER, 3)


def test_realistic_figures_stay_at_what_was_reached():
    assert_reached(FOLDER, REACHED)
