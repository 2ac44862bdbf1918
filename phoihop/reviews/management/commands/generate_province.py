from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phoihop.reviews.province import generate_province


class Command(BaseCommand):
    help = gettext_lazy(
        "Tạo dữ liệu mô phỏng một tỉnh: Sở GD&ĐT, các trường, lớp, học sinh, kế hoạch đã xếp lịch "
        "và một năm kết quả thực hiện, để xem trang tổng hợp ở quy mô thật."
    )

    def add_arguments(self, parser):
        parser.add_argument("--schools", type=int, default=20, help=_("số trường (mặc định 20)"))
        parser.add_argument(
            "--students-per-school",
            type=int,
            default=200,
            help=_("số học sinh mỗi trường (mặc định 200)"),
        )
        parser.add_argument("--seed", type=int, default=1, help=_("hạt giống ngẫu nhiên"))
        parser.add_argument(
            "--phong", type=int, default=0, help=_("số Phòng GD&ĐT ở giữa (mặc định không có)")
        )
        parser.add_argument("--year", default="2025-2026", help=_("năm học, ví dụ 2025-2026"))

    def handle(self, *args, **options):
        stats = generate_province(
            options["schools"],
            options["students_per_school"],
            options["seed"],
            phong=options["phong"],
            label=options["year"],
        )
        self.stdout.write(
            _(
                "Đã tạo %(office)s (mã đơn vị %(pk)s): %(schools)s trường, %(classes)s lớp, "
                "%(students)s học sinh, %(documents)s kế hoạch, %(activities)s hoạt động, "
                "%(records)s kết quả, %(measurements)s số đo chỉ tiêu trong %(seconds)s giây."
            )
            % {
                "office": stats.office.name,
                "pk": stats.office.pk,
                "schools": stats.schools,
                "classes": stats.classes,
                "students": stats.students,
                "documents": stats.documents,
                "activities": stats.activities,
                "records": stats.records,
                "measurements": stats.measurements,
                "seconds": stats.total_seconds,
            }
        )
        steps = {
            "units": _("đơn vị"),
            "students": _("lớp, học sinh"),
            "plans": _("kế hoạch, xếp lịch"),
            "records": _("kết quả thực hiện"),
            "measurements": _("số đo chỉ tiêu"),
            "tally": _("số liệu tổng hợp"),
        }
        for step, seconds in stats.seconds.items():
            self.stdout.write(
                "  "
                + _("%(step)s: %(seconds)s giây")
                % {"step": steps.get(step, step), "seconds": seconds}
            )
