import sys

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phoihop.reviews import tally


class Command(BaseCommand):
    help = gettext_lazy(
        "Kiểm tra hoặc tính lại bảng số liệu tổng hợp theo ngày mà trang tổng hợp của Sở, Phòng "
        "đọc (giữ đúng tự động khi ghi hoạt động và kết quả)."
    )

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument(
            "--check", action="store_true", help=_("so sánh với số đếm lại, không sửa gì")
        )
        group.add_argument("--rebuild", action="store_true", help=_("đếm lại toàn bộ và thay thế"))

    def handle(self, *args, **options):
        if options["rebuild"]:
            buckets = tally.rebuild()
            self.stdout.write(_("Đã tính lại: %(n)s dòng số liệu.") % {"n": buckets})
            return
        drift = tally.check()
        if not drift:
            self.stdout.write(_("Số liệu tổng hợp khớp với số đếm lại."))
            return
        self.stderr.write(
            _(
                "Số liệu tổng hợp bị lệch so với số đếm lại (%(n)s dòng khác nhau, tối đa 20 dòng "
                "mỗi phía); chạy lại với --rebuild để sửa."
            )
            % {"n": len(drift.kept) + len(drift.recounted)}
        )
        for row in drift.kept:
            self.stderr.write("  - " + ", ".join(map(str, row)))
        for row in drift.recounted:
            self.stderr.write("  + " + ", ".join(map(str, row)))
        sys.exit(1)
