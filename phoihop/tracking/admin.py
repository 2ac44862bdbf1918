from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from phoihop.tracking.models import Attachment, Record, SchoolClass, Student


@admin.register(SchoolClass)
class SchoolClassAdmin(admin.ModelAdmin):
    list_display = ["name", "grade", "unit", "school_year"]
    raw_id_fields = ["unit", "school_year"]


@admin.register(Student)
class StudentAdmin(SimpleHistoryAdmin):
    list_display = [
        "full_name",
        "code",
        "school_class",
        "weak_results",
        "frequent_absence",
        "hardship",
    ]
    list_filter = ["weak_results", "frequent_absence", "hardship"]
    search_fields = ["full_name", "code"]
    raw_id_fields = ["unit", "school_class"]


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0


@admin.register(Record)
class RecordAdmin(SimpleHistoryAdmin):
    list_display = ["activity", "done_on", "outcome", "student"]
    raw_id_fields = ["activity", "student", "created_by"]
    inlines = [AttachmentInline]
