from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "phoihop.people"
    verbose_name = _("Người dùng và lời mời")
