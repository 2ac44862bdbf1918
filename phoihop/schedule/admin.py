from django.contrib import admin

from phoihop.schedule.models import Activity, DayOff, SchoolYear


class DayOffInline(admin.TabularInline):
    model = DayOff
    extra = 0


@admin.register(SchoolYear)
class SchoolYearAdmin(admin.ModelAdmin):
    list_display = ["label", "unit", "starts_on", "semester1_ends_on", "ends_on"]
    raw_id_fields = ["unit"]
    inlines = [DayOffInline]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["title", "unit", "due_on", "status", "assignee_party", "school_class"]
    list_filter = ["status"]
    search_fields = ["title"]
    raw_id_fields = ["item", "unit", "assignee_party", "assignee_user", "school_class"]
