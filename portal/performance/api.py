"""Performance figures under /api/v1/performance/: the list of tables, and each table for a period.

Public tables answer everyone (no sign-in); staff tables answer only programme administrators and AEO
supervisors (404 for everyone else). The rows are the page's and the CSV's.
"""

from __future__ import annotations

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from portal.performance.permissions import can_see_staff_figures
from portal.performance.registry import tables
from portal.performance.views import get_table_for, read_figures, table_data, table_rows

app_name = "performance-api"

PERIOD_PARAMETERS = [
    OpenApiParameter("period", str, description="12m (default: the last 12 months), a year (2026), a quarter "
                                                "(2026-Q2), a month (2026-05), or custom with start and end"),
    OpenApiParameter("start", OpenApiTypes.DATE, description="first day, with period=custom"),
    OpenApiParameter("end", OpenApiTypes.DATE, description="last day (included), with period=custom"),
    OpenApiParameter("aeo_type", str, description="staff only: AEOC, AEOS or AEOF"),
    OpenApiParameter("country", str, description="staff only: ISO 3166 code of the applicant's country"),
    OpenApiParameter("sector", str, description="staff only: the applicant's main industry sector"),
]


class TableSummarySerializer(serializers.Serializer):
    table = serializers.CharField()
    section = serializers.CharField()
    title = serializers.CharField()
    definition = serializers.CharField()
    target = serializers.CharField()
    public = serializers.BooleanField()
    url = serializers.URLField()


class ColumnSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a declared field, not Field.label


class PeriodSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    label = serializers.CharField()  # type: ignore[assignment]  # a declared field, not Field.label


class AsOfSerializer(serializers.Serializer):
    day = serializers.DateField()
    computed_at = serializers.DateTimeField()


class TableSerializer(serializers.Serializer):
    table = serializers.CharField()
    title = serializers.CharField()
    definition = serializers.CharField()
    target = serializers.CharField()
    basis = serializers.ChoiceField(choices=["period", "stock", "now"],
                                    help_text="period: counted over the period; stock: at its end; now: live")
    period = PeriodSerializer()
    as_of = AsOfSerializer(allow_null=True, help_text="the snapshot the figures come from")
    filters = serializers.DictField(child=serializers.CharField())
    columns = ColumnSerializer(many=True)
    rows = serializers.ListField(child=serializers.DictField(), help_text="one object per row, keyed by column")


class PerformanceTableListView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(operation_id="performance_tables", responses=TableSummarySerializer(many=True))
    def get(self, request: Request) -> Response:
        """Every table of performance figures you may read, with its definition and target."""
        staff = can_see_staff_figures(request.user)
        return Response([{
            "table": t.slug, "section": str(t.section), "title": str(t.title), "definition": str(t.definition),
            "target": str(t.target), "public": t.public,
            "url": reverse("performance-api:table", args=[t.slug], request=request),
        } for t in tables(staff=staff)])


class PerformanceTableView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(operation_id="performance_table", parameters=PERIOD_PARAMETERS, responses=TableSerializer)
    def get(self, request: Request, slug: str) -> Response:
        """One table of performance figures for a period, as on the performance page."""
        table, staff = get_table_for(request._request, slug)
        period_form, _filters, figures = read_figures(request._request, staff=staff)
        if request.query_params and not period_form.is_valid():
            raise ValidationError(period_form.errors)
        return Response(table_data(table, figures, table_rows(table, figures)))


urlpatterns = [
    path("", PerformanceTableListView.as_view(), name="tables"),
    path("<slug:slug>/", PerformanceTableView.as_view(), name="table"),
]
