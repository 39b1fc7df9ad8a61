from django.urls import reverse
from rest_framework import serializers

from core.models import Job
from dossiers.services.exports import export_ready


class DossierExportSerializer(serializers.ModelSerializer):
    """R-DOS-2: an export's status: progress, counts, failures by name, and the download once ready."""

    status = serializers.CharField(source="state", read_only=True)
    unit = serializers.IntegerField(source="unit_id", read_only=True, allow_null=True)
    unit_name = serializers.SerializerMethodField()
    total = serializers.SerializerMethodField()
    files = serializers.SerializerMethodField()
    failed = serializers.SerializerMethodField()
    expired = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Job
        fields = ["id", "status", "progress", "message", "error", "unit", "unit_name", "total", "files", "failed",
                  "expired", "download_url", "created_at", "started_at", "finished_at"]
        read_only_fields = fields

    def get_unit_name(self, obj) -> str:
        return (obj.params or {}).get("unit_name", "")

    def get_total(self, obj) -> int:
        return int((obj.params or {}).get("total") or 0)

    def get_files(self, obj) -> int | None:
        return (obj.result or {}).get("files") if isinstance(obj.result, dict) else None

    def get_failed(self, obj) -> list[dict]:
        return list((obj.result or {}).get("failed") or []) if isinstance(obj.result, dict) else []

    def get_expired(self, obj) -> bool:
        return bool((obj.params or {}).get("expired"))

    def get_download_url(self, obj) -> str | None:
        return reverse("api-dossier-export-download", args=[obj.pk]) if export_ready(obj) else None


class DossierExportCreateSerializer(serializers.Serializer):
    unit = serializers.IntegerField(min_value=1)
