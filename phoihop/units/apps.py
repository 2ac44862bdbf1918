from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "phoihop.units"
    verbose_name = _("Đơn vị và tổ chức")
