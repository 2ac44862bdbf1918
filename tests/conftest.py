"""Fixtures for the Django tests: two schools under one office, with people in every role."""

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from phoihop.documents.models import Document
from phoihop.units.models import Membership, Party, Unit
from tests import factories as f
from tests.seeds import SEEDS_DIR
from tests.smtp import smtp  # noqa: F401 (a fixture: a real SMTP server on loopback)


@dataclass
class School:
    unit: Unit
    union: Party
    police: Party
    health: Party
    leader: object
    clerk: object
    homeroom: object
    police_contact: object
    health_contact: object
    school_class: object
    other_class: object
    other_homeroom: object
    document: object
    union_item: object
    police_item: object
    activity: object
    police_activity: object
    student: object
    other_student: object


def make_school(office: Unit, name: str) -> School:
    unit = f.UnitFactory(parent=office, name=name)
    union = f.PartyFactory(unit=unit, kind="cong_doan", name=f"Công đoàn {name}")
    police = f.PartyFactory(unit=unit, kind="cong_an", name=f"Công an phường ({name})")
    health = f.PartyFactory(unit=unit, kind="y_te", name=f"Trạm y tế ({name})")
    school_class = f.SchoolClassFactory(unit=unit, name="6A")
    other_class = f.SchoolClassFactory(unit=unit, name="7A")

    def member(role, **extra):
        membership = f.MembershipFactory(unit=unit, role=role, **extra)
        return membership.user

    document = f.DocumentFactory(unit=unit, title=f"Kế hoạch phối hợp của {name}")
    section = f.SectionFactory(document=document, heading="Phối hợp với Công đoàn", label="I")
    police_section = f.SectionFactory(
        document=document, heading="Phối hợp với Công an", label="II", position=1
    )
    union_item = f.ItemFactory(
        document=document,
        section=section,
        position=0,
        text="Công đoàn tổ chức hội nghị cán bộ đầu năm học.",
        cadence={
            "text": "đầu năm học",
            "count": 1,
            "at_least": False,
            "per": "once",
            "per_subject": None,
            "anchors": ["dau_nam_hoc"],
            "window": None,
        },
    )
    f.link_parties(union_item, union)
    police_item = f.ItemFactory(
        document=document,
        section=police_section,
        position=1,
        text="Công an phường tuyên truyền an toàn giao thông hai lần trong năm học.",
    )
    f.link_parties(police_item, police, union)
    return School(
        unit=unit,
        union=union,
        police=police,
        health=health,
        leader=member(Membership.Role.LEADER),
        clerk=member(Membership.Role.CLERK),
        homeroom=member(Membership.Role.HOMEROOM, school_class=school_class),
        other_homeroom=member(Membership.Role.HOMEROOM, school_class=other_class),
        police_contact=member(Membership.Role.PARTNER, party=police),
        health_contact=member(Membership.Role.PARTNER, party=health),
        school_class=school_class,
        other_class=other_class,
        document=document,
        union_item=union_item,
        police_item=police_item,
        activity=f.ActivityFactory(item=union_item, assignee_party=union),
        police_activity=f.ActivityFactory(item=police_item, assignee_party=police),
        student=f.StudentFactory(school_class=school_class, full_name="Lê Văn Minh"),
        other_student=f.StudentFactory(school_class=other_class, full_name="Phạm Thị Hoa"),
    )


@dataclass
class World:
    office: Unit
    officer: object
    a: School
    b: School


def pytest_configure(config) -> None:
    """The SQLite test database is a real file, as the application's is.

    Django's default in-memory test database is shared between connections through SQLite's shared
    cache, whose table locks fail at once instead of waiting: concurrent tests (issuing numbers from
    threads, the live server of the browser test) would test that mode, not the WAL file with
    IMMEDIATE transactions the application runs on. One file per process; Django deletes it.
    """
    from django.db import connections

    settings = connections["default"].settings_dict
    if settings["ENGINE"].endswith("sqlite3") and not settings["TEST"].get("NAME"):
        name = f"phoihop-test-{os.getpid()}.sqlite3"
        settings["TEST"]["NAME"] = str(Path(tempfile.gettempdir()) / name)


def pytest_sessionstart(session):
    """In CI the seed documents must be there: the accuracy tests would otherwise only skip."""
    if os.environ.get("CI") and not any(SEEDS_DIR.glob("*.gold.json")):
        raise pytest.UsageError(f"CI: no annotated seeds in {SEEDS_DIR} (set PHOIHOP_SEEDS_DIR)")


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the site's language: a request in English (a language cookie) leaves
    Django's translation active in the thread after the response."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real password hashing costs seconds per user on this machine; tests sign in by the dozen."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db) -> World:
    office = f.UnitFactory(level=Unit.Level.SO, name="Sở GD&ĐT thử nghiệm")
    officer = f.MembershipFactory(unit=office, role=Membership.Role.LEADER).user
    return World(
        office=office,
        officer=officer,
        a=make_school(office, "Trường A"),
        b=make_school(office, "Trường B"),
    )


@pytest.fixture
def published(world) -> World:
    """The world with both schools' plans in force: partners read a plan only once it is issued."""
    for school in (world.a, world.b):
        Document.objects.filter(pk=school.document.pk).update(status=Document.Status.IN_FORCE)
        school.document.refresh_from_db()
    return world


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login
