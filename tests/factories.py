"""Small factories for the Django tests."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model

from phoihop.documents.models import Document, Item, ItemParty, Section, Target
from phoihop.schedule.models import Activity, SchoolYear
from phoihop.tracking.models import Record, SchoolClass, Student
from phoihop.units.models import Membership, Party, Unit

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Nguyễn Văn"
    last_name = factory.Sequence(lambda n: f"A{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    level = Unit.Level.THCS
    name = factory.Sequence(lambda n: f"Trường THCS số {n}")
    code = factory.Sequence(lambda n: f"THCS{n}")


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Party

    unit = factory.SubFactory(UnitFactory)
    kind = "cong_doan"
    name = factory.Sequence(lambda n: f"Tổ chức {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(UnitFactory)
    role = Membership.Role.LEADER


class SchoolYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolYear
        django_get_or_create = ("unit", "label")

    unit = None
    label = "2025-2026"
    starts_on = dt.date(2025, 9, 5)
    semester1_ends_on = dt.date(2026, 1, 17)
    semester2_starts_on = dt.date(2026, 1, 19)
    ends_on = dt.date(2026, 5, 31)


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    unit = factory.SubFactory(UnitFactory)
    doc_type = Document.Type.KE_HOACH
    title = factory.Sequence(lambda n: f"Kế hoạch phối hợp số {n}")


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    document = factory.SubFactory(DocumentFactory)
    heading = factory.Sequence(lambda n: f"Mục {n}")
    label = factory.Sequence(lambda n: f"{n}")


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    document = factory.SubFactory(DocumentFactory)
    text = "Duy trì sĩ số đạt 100%"
    comparator = "="
    value = 100
    unit_label = "%"


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Item

    document = factory.SubFactory(DocumentFactory)
    text = factory.Sequence(lambda n: f"Nội dung phối hợp số {n}")


def link_parties(item: Item, *parties: Party) -> None:
    for position, party in enumerate(parties):
        ItemParty.objects.create(item=item, party=party, is_lead=position == 0, position=position)


class SchoolClassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolClass

    unit = factory.SubFactory(UnitFactory)
    name = factory.Sequence(lambda n: f"{6 + n % 4}A{n}")
    grade = 6


class StudentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Student

    school_class = factory.SubFactory(SchoolClassFactory)
    unit = factory.SelfAttribute("school_class.unit")
    code = factory.Sequence(lambda n: f"HS{n:05d}")
    full_name = factory.Sequence(lambda n: f"Trần Thị Học Sinh {n}")


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    item = factory.SubFactory(ItemFactory)
    unit = factory.SelfAttribute("item.document.unit")
    key = factory.Sequence(lambda n: f"k{n}")
    title = factory.Sequence(lambda n: f"Hoạt động {n}")
    window_starts_on = dt.date(2025, 10, 1)
    window_ends_on = dt.date(2025, 10, 31)
    due_on = dt.date(2025, 10, 15)


class RecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Record

    activity = factory.SubFactory(ActivityFactory)
    done_on = dt.date(2025, 10, 10)
    notes = "Đã thực hiện"
