from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "phoihop.reviews"
    verbose_name = _("Tổng hợp, sơ kết và tổng kết")
