from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phoihop.reminders.digest import send_due_digests


class Command(BaseCommand):
    help = gettext_lazy(
        "Gửi thư nhắc việc hằng ngày cho những người đã đến giờ nhận mà hôm nay chưa nhận."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now",
            action="store_true",
            help=_("gửi ngay cho mọi người hôm nay chưa nhận, không chờ giờ đã chọn"),
        )

    def handle(self, *args, **options):
        sent = send_due_digests(force_time=options["now"])
        self.stdout.write(_("Đã gửi %(n)s thư nhắc việc.") % {"n": sent})
