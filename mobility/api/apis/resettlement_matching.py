"""Relocation-aware matching over the API (issue #13, items 8 and 9): for a labour-short vacancy
in a receiving region, the job seekers the caller serves who could resettle for it, ranked by the
matcher. The same selector and the same rule as the staff page
(`resettlement:vacancy_seekers`): staff who serve job seekers and administrators
(`accounts.access.is_exchange_staff`), and a centre's API key with `matches:read` (it acts as a
counsellor of its centre); the people listed are those the caller sees everywhere else."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mobility.accounts.access import is_exchange_staff
from mobility.api.apis.resettlement_cases import RuleSerializer
from mobility.api.base import ApiView
from mobility.api.models import Scope
from mobility.api.pagination import RankedPages
from mobility.api.permissions import HasScope
from mobility.api.principal import caller_of
from mobility.api.serializers import MaskedIinField
from mobility.reference.models import ReceptionQuota
from mobility.resettlement.candidates import (
    POOL,
    categories_for,
    default_category,
    eligible_seekers_for,
    receiving_vacancies,
)


class ServesSeekers(BasePermission):
    """Staff who serve job seekers, administrators, and centre keys: the staff pages' rule."""

    message = gettext_lazy("This operation is for the staff who serve job seekers.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        return is_exchange_staff(caller_of(request).who)


class EligibleSeekersQuerySerializer(serializers.Serializer):
    category = serializers.ChoiceField(
        choices=ReceptionQuota.Category.values,
        required=False,
        help_text="The programme to check the seekers against; it must be one the vacancy's region "
        "receives this year. Without it: resettler where the region receives resettlers, else the "
        "category it receives.",
    )


class EligibleSeekerSerializer(serializers.Serializer):
    seeker = serializers.IntegerField(source="profile.id", help_text="The seeker profile's id.")
    name = serializers.CharField(source="profile.user.get_full_name")
    iin = MaskedIinField(source="profile.user.iin")
    region = serializers.CharField(source="profile.region.code", help_text="Where the person lives.")
    percent = serializers.IntegerField(source="match.percent", help_text="The matcher's score, 0-100.")
    reason = serializers.CharField(source="match.reason", help_text="Why they match, in one line.")
    matched_skills = serializers.ListField(child=serializers.CharField(), source="match.matched")
    missing_skills = serializers.ListField(child=serializers.CharField(), source="match.missing")
    applying = serializers.BooleanField(help_text="Already in an active resettlement application.")
    to_declare = RuleSerializer(
        many=True, help_text="The rules still open, which the person settles when applying."
    )


class EligibleSeekerListApi(ApiView):
    """Job seekers the caller serves who live in another region and pass every resettlement rule
    the service can check, best match first, for a published vacancy in a region receiving
    resettlers or kandases this year (another vacancy: 404)."""

    permission_classes = [HasScope, ServesSeekers]
    required_scope = Scope.MATCHES_READ
    pagination_class = RankedPages
    OutputSerializer = EligibleSeekerSerializer
    serializer_class = EligibleSeekerSerializer

    @extend_schema(
        operation_id="resettlement_vacancies_eligible_seekers",
        summary="Job seekers who could resettle for a vacancy, ranked",
        tags=["resettlement"],
        parameters=[EligibleSeekersQuerySerializer],
        responses=EligibleSeekerSerializer(many=True),
    )
    def get(self, request: Request, vacancy_id: int) -> Response:
        today = timezone.localdate()
        vacancy = get_object_or_404(receiving_vacancies(year=today.year), pk=vacancy_id)
        query = EligibleSeekersQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        categories = categories_for(vacancy, year=today.year)
        category = query.validated_data.get("category") or default_category(categories)
        if category not in categories:
            raise ValidationError(
                {"category": [_("The vacancy's region does not receive this category this year.")]}
            )
        seekers = eligible_seekers_for(
            who=self.caller().who,
            vacancy=vacancy,
            category=category,
            on=today,
            limit=POOL,
            scope=Scope.MATCHES_READ,
        )
        page = self.paginator.paginate_list(seekers, request)  # type: ignore[union-attr]
        return self.get_paginated_response(self.OutputSerializer(page, many=True).data)
