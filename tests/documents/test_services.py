"""Saving an imported plan as a document of a unit."""

import pytest

from phoihop.documents.services import create_document_from_plan
from phoihop.units.models import Party
from tests import factories as f

pytestmark = pytest.mark.django_db


def plan(**changes):
    base = {
        "format": "phoihop.import/1",
        "doc_type": "ke_hoach",
        "title": "Kế hoạch phối hợp thử",
        "sections": [{"path": "I", "heading": "I. Nội dung", "level": 1}],
        "commitments": [
            {
                "section": "I",
                "text": "Công an phường cùng Công đoàn tuyên truyền.",
                "parties": ["cong_an", "cong_doan"],
                "cadence": None,
                "target": None,
            },
        ],
    }
    return {**base, **changes}


def test_missing_lead_party_leaves_the_next_party_as_lead():
    unit = f.UnitFactory()
    union = f.PartyFactory(unit=unit, kind="cong_doan", name="Công đoàn trường")
    document = create_document_from_plan(unit, plan(), create_missing_parties=False)
    links = list(document.items.get().item_parties.all())
    assert [(link.party, link.is_lead) for link in links] == [(union, True)]


def test_created_party_does_not_collide_with_an_existing_name():
    unit = f.UnitFactory()
    f.PartyFactory(unit=unit, kind="other", name="Công an")
    document = create_document_from_plan(unit, plan(), create_missing_parties=True)
    police = Party.objects.get(unit=unit, kind="cong_an")
    assert police.name != "Công an"
    assert document.items.get().item_parties.get(is_lead=True).party == police
