from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from phoihop.documents import models


class SectionInline(admin.TabularInline):
    model = models.Section
    extra = 0
    fields = ["position", "label", "heading", "level", "parent"]
    raw_id_fields = ["parent"]


class TargetInline(admin.TabularInline):
    model = models.Target
    extra = 0


class LegalBasisInline(admin.TabularInline):
    model = models.LegalBasis
    fk_name = "document"
    extra = 0
    raw_id_fields = ["ref_document"]


class RecipientInline(admin.TabularInline):
    model = models.Recipient
    extra = 0


class SignerInline(admin.TabularInline):
    model = models.Signer
    extra = 0


@admin.register(models.Document)
class DocumentAdmin(SimpleHistoryAdmin):
    list_display = ["title", "doc_type", "number", "symbol", "unit", "status", "issued_on"]
    list_filter = ["doc_type", "status"]
    search_fields = ["title", "symbol", "unit__name"]
    raw_id_fields = ["unit", "parent", "previous", "created_by", "school_year"]
    inlines = [LegalBasisInline, SectionInline, TargetInline, RecipientInline, SignerInline]


class ItemPartyInline(admin.TabularInline):
    model = models.ItemParty
    extra = 0
    raw_id_fields = ["party"]


@admin.register(models.Item)
class ItemAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "document", "section"]
    search_fields = ["text"]
    raw_id_fields = ["document", "section", "target"]
    inlines = [ItemPartyInline]
