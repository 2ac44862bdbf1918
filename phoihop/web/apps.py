from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "phoihop.web"
    verbose_name = _("Giao diện")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from phoihop.web import two_factor

        user_logged_in.connect(two_factor.note_sign_in, dispatch_uid="phoihop-two-factor")
