"""A stored document turns back into the plan it was made from (``document_to_plan``)."""

from __future__ import annotations

import pytest

from phoihop.core.parties import PARTY_CODES
from phoihop.documents.plan_dict import document_to_plan
from phoihop.documents.services import create_document_from_plan, split_number
from tests import factories as f
from tests.documents.conftest import gold_files, load_gold

pytestmark = pytest.mark.django_db


def _nearest_section(path: str | None, known: set[str]) -> str | None:
    while path:
        if path in known:
            return path
        if "." not in path:
            return None
        path = path.rsplit(".", 1)[0]
    return None


def _parties(codes) -> list[str]:
    return [c for c in dict.fromkeys(codes or []) if c in PARTY_CODES]


@pytest.mark.parametrize("gold", gold_files(), ids=lambda p: p.name[:3])
def test_seed_plan_survives_a_round_trip_through_the_database(gold):
    plan = load_gold(gold)
    unit = f.UnitFactory(name="Trường THCS thử")
    back = document_to_plan(create_document_from_plan(unit, plan))

    assert back["format"] == "phoihop.import/1"
    for key in ("doc_type", "title", "date", "place", "period"):
        assert back[key] == (plan.get(key) or None), key
    assert back["issuer"] == (plan.get("issuer") or unit.name)
    assert back["co_issuer"] == (plan.get("co_issuer") or None)
    assert split_number(back["number"]) == split_number(plan.get("number"))
    assert back["legal_basis"] == [
        {"text": b["text"], "ref": b.get("ref") or None} for b in plan.get("legal_basis") or []
    ]
    assert back["sections"] == [
        {"path": s["path"], "heading": s["heading"], "level": s["level"]}
        for s in plan.get("sections") or []
    ]
    known = {s["path"] for s in plan.get("sections") or []}
    assert [(c["section"], c["text"], c["parties"], c["cadence"]) for c in back["commitments"]] == [
        (
            _nearest_section(c.get("section"), known),
            c["text"],
            _parties(c.get("parties")),
            c.get("cadence"),
        )
        for c in plan.get("commitments") or []
    ]
    for mine, theirs in zip(back["commitments"], plan.get("commitments") or [], strict=True):
        if theirs.get("target"):
            assert mine["target"]["value"] == theirs["target"]["value"]
            assert mine["target"]["comparator"] == theirs["target"]["comparator"]
    # Item targets that match no listed target are added after the listed ones.
    listed = [(t["text"], t.get("value")) for t in plan.get("targets") or []]
    assert [(t["text"], t["value"]) for t in back["targets"]][: len(listed)] == listed
    assert [(r["name"], r["purpose"]) for r in back["recipients"]] == [
        ((r.get("name") or r.get("text")), r.get("purpose") or None)
        for r in plan.get("recipients") or []
    ]
    assert [(s["authority"], s["title"], s["name"]) for s in back["signers"]] == [
        (s.get("authority") or None, s.get("title"), s.get("name") or "")
        for s in plan.get("signers") or []
    ]


def test_plan_carries_the_issuers_superior_from_the_parent_unit():
    office = f.UnitFactory(level="phong_gd", name="Phòng GD&ĐT Mê Linh")
    school = f.UnitFactory(parent=office, name="Trường THCS Hợp Hòa")
    document = f.DocumentFactory(unit=school)
    assert document_to_plan(document)["issuer_superior"] == "Phòng GD&ĐT Mê Linh"
    school.superior_name = "UBND xã Hợp Hòa"
    school.save()
    assert document_to_plan(document)["issuer_superior"] == "UBND xã Hợp Hòa"


def test_items_argument_limits_the_commitments(world):
    from phoihop.documents.models import Item

    document = world.a.document
    plan = document_to_plan(document, items=Item.objects.filter(pk=world.a.police_item.pk))
    assert [c["text"] for c in plan["commitments"]] == [world.a.police_item.text]
    assert plan["commitments"][0]["parties"] == ["cong_an", "cong_doan"]
