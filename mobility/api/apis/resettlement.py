"""Resettlement: the public support calculator (no sign-in)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from mobility.api.base import ApiView
from mobility.api.serializers import StrictSerializer
from mobility.reference.models import ReceptionQuota, SettlementType
from mobility.resettlement.calculator import MAX_FAMILY_SIZE, support_package

MAX_HOME_PRICE = 10**12  # tenge; anything above is a typing mistake, not a home


class CalculatorQuerySerializer(StrictSerializer):
    year = serializers.IntegerField(
        min_value=2000, max_value=2100, help_text="Programme year (rules on 1 January)."
    )
    destination = serializers.RegexField(
        r"^KZ-\d{2}$", max_length=5, help_text="Destination region, ISO 3166-2:KZ numeric code, e.g. KZ-55."
    )
    family_size = serializers.IntegerField(
        min_value=1, max_value=MAX_FAMILY_SIZE, help_text="People moving, the applicant included."
    )
    home_price = serializers.IntegerField(
        min_value=1, max_value=MAX_HOME_PRICE, help_text="Price of the home, tenge."
    )
    category = serializers.ChoiceField(choices=ReceptionQuota.Category.values, default="resettler")
    settlement_type = serializers.ChoiceField(
        choices=SettlementType.values,
        required=False,
        help_text="Without it, the rent fields span both urban and rural settlements.",
    )


class CalculatorOutputSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    category = serializers.CharField()
    destination = serializers.CharField()
    family_size = serializers.IntegerField()
    settlement_type = serializers.CharField(allow_null=True)
    home_price = serializers.IntegerField()
    mrp = serializers.IntegerField()
    relocation_subsidy = serializers.IntegerField()
    rent_subsidy_monthly_min = serializers.IntegerField()
    rent_subsidy_monthly_max = serializers.IntegerField()
    rent_subsidy_months = serializers.IntegerField()
    employer_subsidy = serializers.IntegerField()
    certificate = serializers.IntegerField()
    certificate_cap = serializers.IntegerField()
    certificate_share_percent = serializers.DecimalField(
        max_digits=5, decimal_places=2, coerce_to_string=False
    )
    minimum_stay_months = serializers.IntegerField()
    quotas_published = serializers.BooleanField(
        help_text="False for a year whose regional quotas are not in the service (2023-2025, when only "
        "national totals were published): the amounts follow that year's rules and the destination "
        "is not checked against the quotas."
    )


class ResettlementCalculatorApi(ApiView):
    """What a family would receive for moving, in whole tenge: relocation (per person), rent and
    utilities per month, the employer subsidy and the economic mobility certificate, under the
    rules in force on 1 January of the year."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    pagination_class = None
    OutputSerializer = CalculatorOutputSerializer

    @extend_schema(
        operation_id="resettlement_calculator",
        summary="Resettlement support for a family, in tenge",
        tags=["resettlement"],
        parameters=[CalculatorQuerySerializer],
        responses=CalculatorOutputSerializer,
    )
    def get(self, request: Request) -> Response:
        query = CalculatorQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        package = support_package(
            year=data["year"],
            category=data["category"],
            destination=data["destination"],
            family_size=data["family_size"],
            settlement_type=data.get("settlement_type"),
            home_price=data["home_price"],
        )
        return Response(CalculatorOutputSerializer(package).data)
