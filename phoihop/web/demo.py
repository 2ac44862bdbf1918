"""The demo unit: a province office, one lower-secondary school, its partners, people and a plan;
below the office, optionally, a few hundred generated schools with a year of records, so that the
office's roll-up is seen at a meaningful size.

Everything here is invented for the demo (names, places, the plan's wording). ``load_demo`` is
idempotent: it does nothing when the database already holds units.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from phoihop.core.calendar import parse_school_year_label, school_year_label_for
from phoihop.core.i18n import gettext_noop
from phoihop.documents.services import create_document_from_plan
from phoihop.reviews.province import demo_plan, generate_province
from phoihop.schedule.services import ensure_school_year, schedule_document
from phoihop.tracking.models import SchoolClass, Student
from phoihop.units.models import Membership, Party, Unit

DEMO_PASSWORD = "phoihop-demo"

PARTIES = [
    ("lanh_dao", "Ban giám hiệu", "BGH"),
    ("cong_doan", "Công đoàn cơ sở", "CĐCS"),
    ("doan_thanh_nien", "Chi đoàn giáo viên", "Chi đoàn"),
    ("doi_thieu_nien", "Liên đội", "Liên đội"),
    ("gvcn", "Giáo viên chủ nhiệm", "GVCN"),
    ("cmhs", "Ban đại diện cha mẹ học sinh", "Ban ĐD CMHS"),
    ("ubnd", "UBND phường Thanh Bình", "UBND phường"),
    ("cong_an", "Công an phường Thanh Bình", "Công an phường"),
    ("y_te", "Trạm y tế phường Thanh Bình", "Trạm y tế"),
]

# (username, full name, role, party kind or None, class name or None, what they do)
PEOPLE = [
    ("hieutruong", "Nguyễn Minh An", "leader", "lanh_dao", None, gettext_noop("Hiệu trưởng")),
    ("vanthu", "Trần Thị Bình", "clerk", None, None, gettext_noop("Văn thư")),
    ("congdoan", "Lê Văn Cường", "member", "cong_doan", None, gettext_noop("Chủ tịch Công đoàn")),
    (
        "tongphutrach",
        "Phạm Thu Dung",
        "member",
        "doi_thieu_nien",
        None,
        gettext_noop("Tổng phụ trách Đội"),
    ),
    ("gvcn6a", "Hoàng Thị Em", "homeroom", "gvcn", "6A", gettext_noop("GVCN lớp 6A")),
    ("gvcn7a", "Vũ Đức Giang", "homeroom", "gvcn", "7A", gettext_noop("GVCN lớp 7A")),
    ("cmhs", "Đỗ Văn Hải", "partner", "cmhs", None, gettext_noop("Trưởng ban đại diện CMHS")),
    ("congan", "Bùi Quang Khải", "partner", "cong_an", None, gettext_noop("Công an phường")),
    ("yte", "Ngô Thị Lan", "partner", "y_te", None, gettext_noop("Trạm y tế phường")),
]

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE = ["Văn", "Thị", "Minh", "Thu", "Đức", "Ngọc", "Gia", "Bảo"]
GIVEN = [
    "An",
    "Bích",
    "Châu",
    "Duy",
    "Giang",
    "Hà",
    "Khang",
    "Linh",
    "Mai",
    "Nam",
    "Phúc",
    "Quân",
    "Sơn",
    "Tâm",
    "Uyên",
    "Vy",
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str


def demo_logins() -> list[DemoLogin]:
    logins = [
        DemoLogin("admin", DEMO_PASSWORD, gettext_noop("Quản trị hệ thống")),
        DemoLogin("so", DEMO_PASSWORD, gettext_noop("Chuyên viên Sở GD&ĐT")),
    ]
    logins += [DemoLogin(p[0], DEMO_PASSWORD, p[5]) for p in PEOPLE]
    return logins


def _student_name(i: int) -> str:
    return (
        f"{FAMILY[i % len(FAMILY)]} {MIDDLE[(i // 3) % len(MIDDLE)]} {GIVEN[(i * 7) % len(GIVEN)]}"
    )


@transaction.atomic
def load_demo(*, students_per_class: int = 40, province_schools: int = 0) -> bool:
    """Create the demo when the database has no unit yet; return whether it did.

    ``province_schools`` generated schools (``reviews.province``, 100 students each, under four
    Phòng when there are enough of them) join the demo school below the Sở."""
    if Unit.objects.exists():
        return False
    User = get_user_model()
    office = Unit.objects.create(
        level=Unit.Level.SO,
        name="Sở Giáo dục và Đào tạo tỉnh Sông Lam",
        code="SGDĐT",
        locality="tỉnh Sông Lam",
        superior_name="UBND TỈNH SÔNG LAM",
    )
    school = Unit.objects.create(
        parent=office,
        level=Unit.Level.THCS,
        name="Trường THCS Hoa Sen",
        code="THCSHS",
        locality="phường Thanh Bình, tỉnh Sông Lam",
    )
    # The current school year, whatever the date the demo is loaded on: the calendars, "Việc của
    # tôi" and dashboards then show past months recorded and work due this week.
    today = timezone.localdate()
    label = school_year_label_for(today)
    first_year = parse_school_year_label(label)[0]
    year = ensure_school_year(label)

    parties = {
        kind: Party.objects.create(unit=school, kind=kind, name=name, short_name=short)
        for kind, name, short in PARTIES
    }
    classes = {}
    for grade, name in [(6, "6A"), (7, "7A")]:
        classes[name] = SchoolClass.objects.create(
            unit=school, school_year=year, name=name, grade=grade
        )
    serial = 0
    for school_class in classes.values():
        students = []
        for i in range(students_per_class):
            serial += 1
            students.append(
                Student(
                    unit=school,
                    school_class=school_class,
                    code=f"HS{serial:04d}",
                    full_name=_student_name(serial),
                    birth_date=dt.date(
                        first_year - 5 - school_class.grade, 1 + serial % 12, 1 + serial % 27
                    ),
                    weak_results=(i % 13 == 3),
                    frequent_absence=(i % 17 == 5),
                    hardship=(i % 11 == 7),
                    enrolled_on=year.starts_on,
                )
            )
        Student.objects.bulk_create(students)

    admin = User.objects.create_superuser("admin", "admin@phoihop.local", DEMO_PASSWORD)
    admin.first_name = "Quản trị"
    admin.save()
    officer = User.objects.create_user(
        "so", password=DEMO_PASSWORD, first_name="Đinh Văn", last_name="Mạnh"
    )
    Membership.objects.create(
        user=officer,
        unit=office,
        role=Membership.Role.LEADER,
        title="Chuyên viên phòng Giáo dục trung học",
    )
    for username, full_name, role, kind, class_name, title in PEOPLE:
        family, _space, given = full_name.rpartition(" ")
        user = User.objects.create_user(
            username, password=DEMO_PASSWORD, first_name=family, last_name=given
        )
        Membership.objects.create(
            user=user,
            unit=school,
            role=role,
            party=parties.get(kind) if kind else None,
            school_class=classes.get(class_name) if class_name else None,
            title=title,
        )

    plan = demo_plan(first_year)
    principal = User.objects.get(username="hieutruong")
    document = create_document_from_plan(school, plan, user=principal)
    document.status = document.Status.IN_FORCE
    document.save(update_fields=["status"])
    schedule_document(document)
    _record_past_work(school, principal)
    if province_schools:
        generate_province(
            province_schools,
            students_per_school=100,
            phong=4 if province_schools >= 8 else 0,
            label=year.label,
            office=office,
        )
    return True


def _record_past_work(school: Unit, principal) -> None:
    """Make the demo look lived in: most activities due before today were done (home visits to
    most families), a few were not, so dashboards and "Việc của tôi" show both."""
    from phoihop.schedule.models import Activity
    from phoihop.tracking.models import Record

    today = timezone.localdate()
    students: dict[int, list[int]] = {}
    for class_id, student_id in Student.objects.filter(unit=school).values_list(
        "school_class_id", "pk"
    ):
        students.setdefault(class_id, []).append(student_id)
    records, done = [], []
    past = Activity.objects.filter(unit=school, due_on__lt=today).order_by("due_on", "pk")
    for n, activity in enumerate(past):
        if n % 6 == 5:
            continue  # left undone: shows up as overdue
        when = activity.due_on - dt.timedelta(days=n % 4)
        if activity.obligations and activity.school_class_id:
            records += [
                Record(
                    activity=activity,
                    student_id=student_id,
                    done_on=when,
                    participants=gettext_noop("Cha mẹ học sinh"),
                    created_by=principal,
                )
                for i, student_id in enumerate(students.get(activity.school_class_id, []))
                if (i + n) % 9
            ]
        else:
            records.append(
                Record(
                    activity=activity,
                    done_on=when,
                    created_by=principal,
                    notes=gettext_noop("Đã thực hiện theo kế hoạch."),
                )
            )
        done.append(activity.pk)
    Record.objects.bulk_create(records, batch_size=1000)
    Activity.objects.filter(pk__in=done).update(status=Activity.Status.DONE)
