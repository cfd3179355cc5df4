"""Vacancies: anyone reads published ones; an organisation's people and keys create, update,
publish and close theirs, one at a time or in bulk by their own external ids."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from matching.models import Occupation
from mobility.accounts.models import Organisation
from mobility.api import selectors
from mobility.api import services as api_services
from mobility.api.base import ApiView, idempotent
from mobility.api.filters import BooleanFilter, DateTimeFilter, IdFilter, StrictOrderingFilter
from mobility.api.models import Scope
from mobility.api.pagination import Cursor
from mobility.api.permissions import HasScope
from mobility.api.serializers import StrictSerializer
from mobility.exchange import services
from mobility.exchange.models import EmploymentType, Schedule, Vacancy
from mobility.reference.models import Region

MAX_INT = 2_147_483_647
LANGUAGES = [("kk", "kk"), ("ru", "ru"), ("en", "en")]


# --- Shared output shapes -------------------------------------------------------------------------


class OrganisationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    bin = serializers.CharField()


class VacancySkillSerializer(serializers.Serializer):
    name = serializers.CharField()
    required = serializers.BooleanField()  # type: ignore[assignment]
    skill_id = serializers.IntegerField(allow_null=True)


class VacancyOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    external_id = serializers.CharField(allow_null=True)
    title = serializers.CharField()
    description = serializers.CharField()
    organisation = OrganisationRefSerializer()
    region = serializers.CharField(source="region.code")
    region_name = serializers.CharField(source="region.name")
    settlement = serializers.CharField()
    occupation = serializers.IntegerField(source="occupation_id", allow_null=True)
    isco = serializers.CharField(source="occupation.isco_group.code", allow_null=True, default=None)
    salary_min = serializers.IntegerField(allow_null=True)
    salary_max = serializers.IntegerField(allow_null=True)
    schedule = serializers.ChoiceField(choices=Schedule.choices)
    employment_type = serializers.ChoiceField(choices=EmploymentType.choices)
    languages = serializers.ListField(child=serializers.CharField())
    positions = serializers.IntegerField()
    positions_filled = serializers.IntegerField()
    status = serializers.ChoiceField(choices=Vacancy.Status.choices)
    housing_offered = serializers.BooleanField()
    open_to_resettlers = serializers.BooleanField()
    open_to_foreigners = serializers.BooleanField()
    published_at = serializers.DateTimeField(allow_null=True)
    expires_on = serializers.DateField(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    skills = VacancySkillSerializer(many=True, source="skills.all")


class RegionField(serializers.SlugRelatedField):
    """A region by its ISO 3166-2 code; anything not shaped like one is refused before any query."""

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str) or not re.fullmatch(r"KZ-\d{2}", data):
            self.fail("does_not_exist", slug_name=self.slug_field, value=str(data)[:20])
        return super().to_internal_value(data)


class VacancyFieldsSerializer(StrictSerializer):
    """The fields a partner writes (the same rules as the employer's web form apply after)."""

    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    region = RegionField(slug_field="code", queryset=Region.objects.all())
    settlement = serializers.CharField(required=False, allow_blank=True, max_length=120)
    occupation = serializers.PrimaryKeyRelatedField(
        queryset=Occupation.objects.all(), required=False, allow_null=True
    )
    salary_min = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=MAX_INT)
    salary_max = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=MAX_INT)
    schedule = serializers.ChoiceField(choices=Schedule.choices, required=False)
    employment_type = serializers.ChoiceField(choices=EmploymentType.choices, required=False)
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=LANGUAGES), required=False, max_length=3
    )
    positions = serializers.IntegerField(required=False, min_value=1, max_value=10000)
    housing_offered = serializers.BooleanField(required=False)
    open_to_resettlers = serializers.BooleanField(required=False)
    open_to_foreigners = serializers.BooleanField(required=False)
    expires_on = serializers.DateField(required=False, allow_null=True)
    required_skills = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, max_length=50
    )
    optional_skills = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, max_length=50
    )


def _organisation_for(caller: Any, organisation: Organisation | None) -> Organisation:
    """The organisation a write is for: the key's own, or the person's (named if they have several)."""
    writable = selectors.organisations_writable(caller)
    if organisation is not None:
        found = writable.filter(pk=organisation.pk).first()
        if found is None:
            raise serializers.ValidationError(
                {"organisation": [_("You cannot add vacancies for this organisation.")]}
            )
        return found
    candidates = list(writable[:2])
    if len(candidates) != 1:
        raise serializers.ValidationError({"organisation": [_("Say which organisation the vacancy is for.")]})
    return candidates[0]


# --- Reads ----------------------------------------------------------------------------------------


class VacancyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search",
        max_length=200,
        label=_("Words that all appear in the title, description or employer"),
    )
    status = django_filters.ChoiceFilter(choices=Vacancy.Status.choices)
    region = django_filters.CharFilter(
        field_name="region__code", max_length=5, label=_("Region code, e.g. KZ-55")
    )
    organisation = IdFilter(field_name="organisation_id")
    external_id = django_filters.CharFilter(max_length=100)
    schedule = django_filters.ChoiceFilter(choices=Schedule.choices)
    employment_type = django_filters.ChoiceFilter(choices=EmploymentType.choices)
    isco = django_filters.CharFilter(
        field_name="occupation__isco_group__code", lookup_expr="startswith", max_length=4
    )
    salary_from = django_filters.NumberFilter(method="salary", label=_("Pays at least this much a month"))
    housing = BooleanFilter(field_name="housing_offered")
    updated_since = DateTimeFilter(method="since", label=_("Changed at or after"))

    class Meta:
        model = Vacancy
        fields: list[str] = []

    def search(self, queryset: QuerySet[Vacancy], name: str, value: str) -> QuerySet[Vacancy]:
        for word in value.split()[:10]:
            # PostgreSQL folds case in any script; SQLite only in ASCII, so try the usual spellings.
            spellings = {word, word.lower(), word.capitalize(), word.upper()}
            condition = Q()
            for spelling in spellings:
                condition |= (
                    Q(title__icontains=spelling)
                    | Q(description__icontains=spelling)
                    | Q(organisation__name__icontains=spelling)
                )
            queryset = queryset.filter(condition)
        return queryset

    def salary(self, queryset: QuerySet[Vacancy], name: str, value: Any) -> QuerySet[Vacancy]:
        value = min(max(int(value), 0), MAX_INT)
        return queryset.filter(Q(salary_max__gte=value) | Q(salary_max__isnull=True, salary_min__gte=value))

    def since(self, queryset: QuerySet[Vacancy], name: str, value: dt.datetime) -> QuerySet[Vacancy]:
        return queryset.filter(updated_at__gte=value)


class VacancyListApi(ApiView):
    """Published vacancies for everybody; the caller's own organisation's in any status too."""

    permission_classes = [AllowAny]
    pagination_class = Cursor
    filter_backends = [DjangoFilterBackend, StrictOrderingFilter]
    filterset_class = VacancyFilter
    ordering_fields = ["id", "created_at", "updated_at"]
    ordering = ["-id"]

    OutputSerializer = VacancyOutputSerializer
    serializer_class = VacancyOutputSerializer

    def get_queryset(self) -> QuerySet[Vacancy]:
        return selectors.vacancies_visible(self.caller())

    @extend_schema(
        operation_id="vacancies_list",
        summary="List vacancies",
        tags=["vacancies"],
        responses=VacancyOutputSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        qs = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(self.OutputSerializer(page, many=True).data)


class VacancyDetailApi(ApiView):
    permission_classes = [AllowAny]
    OutputSerializer = VacancyOutputSerializer

    @extend_schema(
        operation_id="vacancies_retrieve",
        summary="One vacancy",
        tags=["vacancies"],
        responses=OutputSerializer,
    )
    def get(self, request: Request, vacancy_id: int) -> Response:
        vacancy = selectors.get_vacancy(self.caller(), vacancy_id)
        return Response(self.OutputSerializer(vacancy).data)


# --- Writes ---------------------------------------------------------------------------------------


class VacancyCreateApi(ApiView):
    permission_classes = [HasScope]
    required_scope = Scope.VACANCIES_WRITE

    class InputSerializer(VacancyFieldsSerializer):
        organisation = serializers.PrimaryKeyRelatedField(
            queryset=Organisation.objects.all(), required=False, allow_null=True
        )
        external_id = serializers.CharField(max_length=100, required=False, allow_null=True)
        publish = serializers.BooleanField(default=False)

    OutputSerializer = VacancyOutputSerializer

    @extend_schema(
        operation_id="vacancies_create",
        summary="Create a vacancy",
        tags=["vacancies"],
        request=InputSerializer,
        responses={201: OutputSerializer},
    )
    @idempotent
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        organisation = _organisation_for(self.caller(), fields.pop("organisation", None))
        vacancy = services.vacancy_create(organisation=organisation, by=self.caller().actor, **fields)
        vacancy = selectors.get_vacancy_for_write(self.caller(), vacancy.pk)
        return Response(
            self.OutputSerializer(vacancy).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": f"/api/v1/vacancies/{vacancy.pk}/"},
        )


class VacancyUpdateApi(ApiView):
    """Change some fields; the skill lists, when sent, replace the old ones."""

    permission_classes = [HasScope]

    class InputSerializer(VacancyFieldsSerializer):
        external_id = serializers.CharField(max_length=100, required=False, allow_null=True)

    OutputSerializer = VacancyOutputSerializer

    @extend_schema(
        operation_id="vacancies_partial_update",
        summary="Change a vacancy",
        tags=["vacancies"],
        request=InputSerializer,
        responses=OutputSerializer,
    )
    def patch(self, request: Request, vacancy_id: int) -> Response:
        vacancy = selectors.get_vacancy_for_write(self.caller(), vacancy_id)
        data = self.InputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.vacancy_update(vacancy=vacancy, by=self.caller().actor, **data.validated_data)
        vacancy = selectors.get_vacancy_for_write(self.caller(), vacancy_id)
        return Response(self.OutputSerializer(vacancy).data)


class VacancyStatusApi(ApiView):
    """Publish, pause, close or re-open (publishing needs a verified organisation)."""

    permission_classes = [HasScope]

    class InputSerializer(StrictSerializer):
        status = serializers.ChoiceField(choices=Vacancy.Status.choices)
        reason = serializers.CharField(required=False, allow_blank=True, max_length=500)

    OutputSerializer = VacancyOutputSerializer

    @extend_schema(
        operation_id="vacancies_status",
        summary="Publish, pause or close a vacancy",
        tags=["vacancies"],
        request=InputSerializer,
        responses=OutputSerializer,
    )
    @idempotent
    def post(self, request: Request, vacancy_id: int) -> Response:
        vacancy = selectors.get_vacancy_for_write(self.caller(), vacancy_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.vacancy_set_status(
            vacancy=vacancy,
            status=data.validated_data["status"],
            by=self.caller().actor,
            reason=data.validated_data.get("reason", ""),
        )
        vacancy = selectors.get_vacancy_for_write(self.caller(), vacancy_id)
        return Response(self.OutputSerializer(vacancy).data)


class VacancyBulkUpsertApi(ApiView):
    """Create or update up to 500 vacancies by the partner's own ids, all or nothing. Send an
    `Idempotency-Key`: a retry then returns the first answer and changes nothing."""

    permission_classes = [HasScope]
    required_scope = Scope.VACANCIES_WRITE

    class ItemSerializer(VacancyFieldsSerializer):
        external_id = serializers.CharField(max_length=100)
        status = serializers.ChoiceField(choices=Vacancy.Status.choices, required=False)

    class InputSerializer(StrictSerializer):
        organisation = serializers.PrimaryKeyRelatedField(
            queryset=Organisation.objects.all(), required=False, allow_null=True
        )
        vacancies = serializers.ListField(child=serializers.DictField(), min_length=1, max_length=500)

    class OutputSerializer(serializers.Serializer):
        class ResultSerializer(serializers.Serializer):
            external_id = serializers.CharField()
            id = serializers.IntegerField(source="vacancy.id")
            action = serializers.ChoiceField(choices=[("created", "created"), ("updated", "updated")])
            status = serializers.CharField(source="vacancy.status")

        results = ResultSerializer(many=True)

    @extend_schema(
        operation_id="vacancies_bulk_upsert",
        summary="Create or update vacancies by external id",
        tags=["vacancies"],
        request=InputSerializer,
        responses=OutputSerializer,
    )
    @idempotent
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        items = self.ItemSerializer(data=data.validated_data["vacancies"], many=True)
        if not items.is_valid():
            raise serializers.ValidationError({"vacancies": items.errors})
        seen: set[str] = set()
        for index, item in enumerate(items.validated_data):
            if item["external_id"] in seen:
                raise serializers.ValidationError(
                    {f"vacancies/{index}/external_id": [_("This external id appears twice in the request.")]}
                )
            seen.add(item["external_id"])
        organisation = _organisation_for(self.caller(), data.validated_data.get("organisation"))
        results = api_services.vacancies_upsert(
            organisation=organisation, items=items.validated_data, by=self.caller().actor
        )
        return Response(self.OutputSerializer({"results": results}).data)
