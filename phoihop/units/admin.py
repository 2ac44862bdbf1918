from django.contrib import admin

from phoihop.units.models import Membership, Party, Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "code", "parent", "locality"]
    list_filter = ["level"]
    search_fields = ["name", "code", "locality"]
    raw_id_fields = ["parent"]


@admin.register(Party)
class PartyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "short_name", "unit"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]
    raw_id_fields = ["unit"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "unit", "role", "party", "school_class", "title"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__last_name", "unit__name"]
    raw_id_fields = ["user", "unit", "party", "school_class"]
