"""Organisations (own), seeker profiles (own; staff by centre), registrations, and reference
regions."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from mobility.accounts.models import Organisation
from mobility.api import selectors
from mobility.api.base import ApiView
from mobility.api.filters import IdFilter, StrictOrderingFilter
from mobility.api.models import Scope
from mobility.api.pagination import Cursor
from mobility.api.permissions import HasScope, PeopleOnly
from mobility.api.serializers import MaskedIinField
from mobility.core.privacy.models import PersonalDataView
from mobility.core.privacy.services import personal_data_view_log
from mobility.exchange.models import EducationLevel, EmploymentType, Registration, Schedule, SeekerProfile
from mobility.reference.models import Region

# --- Organisations ----------------------------------------------------------------------------


class OrganisationOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    bin = serializers.CharField()
    name = serializers.CharField()
    region = serializers.CharField(source="region.code")
    head_office = serializers.IntegerField(source="head_office_id", allow_null=True)
    sector = serializers.CharField()
    address = serializers.CharField()
    phone = serializers.CharField()
    email = serializers.CharField()
    website = serializers.CharField()
    status = serializers.ChoiceField(choices=Organisation.Status.choices)
    verified_at = serializers.DateTimeField(allow_null=True)


class OrganisationListApi(ApiView):
    """The organisations the caller acts for."""

    permission_classes = [HasScope]
    pagination_class = Cursor
    OutputSerializer = OrganisationOutputSerializer
    serializer_class = OrganisationOutputSerializer

    @extend_schema(
        operation_id="organisations_list",
        summary="My organisations",
        tags=["organisations"],
        responses=OrganisationOutputSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(selectors.organisations_visible(self.caller()))
        return self.get_paginated_response(self.OutputSerializer(page, many=True).data)


class OrganisationDetailApi(ApiView):
    permission_classes = [HasScope]
    OutputSerializer = OrganisationOutputSerializer

    @extend_schema(
        operation_id="organisations_retrieve",
        summary="One of my organisations",
        tags=["organisations"],
        responses=OutputSerializer,
    )
    def get(self, request: Request, organisation_id: int) -> Response:
        from django.shortcuts import get_object_or_404

        organisation = get_object_or_404(selectors.organisations_visible(self.caller()), id=organisation_id)
        return Response(self.OutputSerializer(organisation).data)


# --- Seekers -----------------------------------------------------------------------------------


class SeekerSkillSerializer(serializers.Serializer):
    name = serializers.CharField()
    level = serializers.IntegerField()
    skill_id = serializers.IntegerField(allow_null=True)


class SeekerOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="user.get_full_name")
    iin = MaskedIinField(source="user.iin")
    email = serializers.CharField(source="user.email", allow_null=True)
    phone = serializers.CharField(source="user.phone")
    region = serializers.CharField(source="region.code")
    settlement = serializers.CharField()
    headline = serializers.CharField()
    about = serializers.CharField()
    languages = serializers.ListField(child=serializers.CharField())
    education_level = serializers.ChoiceField(choices=[("", ""), *EducationLevel.choices])
    will_relocate = serializers.BooleanField()
    expected_salary = serializers.IntegerField(allow_null=True)
    employment_type = serializers.ChoiceField(choices=[("", ""), *EmploymentType.choices])
    schedule = serializers.ChoiceField(choices=[("", ""), *Schedule.choices])
    visibility = serializers.ChoiceField(choices=SeekerProfile.Visibility.choices)
    skills = SeekerSkillSerializer(many=True, source="skills.all")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class SeekerFilter(django_filters.FilterSet):
    region = django_filters.CharFilter(field_name="region__code", max_length=5)
    visibility = django_filters.ChoiceFilter(choices=SeekerProfile.Visibility.choices)

    class Meta:
        model = SeekerProfile
        fields: list[str] = []


class SeekerListApi(ApiView):
    """The person's own profile; for staff and centre keys, the people registered at their
    centres (regional managers: their region)."""

    permission_classes = [HasScope]
    required_scope = Scope.REGISTRATIONS_READ
    pagination_class = Cursor
    filter_backends = [DjangoFilterBackend]
    filterset_class = SeekerFilter
    OutputSerializer = SeekerOutputSerializer
    serializer_class = SeekerOutputSerializer

    def get_queryset(self) -> QuerySet[SeekerProfile]:
        return selectors.seekers_visible(self.caller())

    @extend_schema(
        operation_id="seekers_list",
        summary="Seeker profiles I may see",
        tags=["seekers"],
        responses=SeekerOutputSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.OutputSerializer(page, many=True).data)


class SeekerMeApi(ApiView):
    permission_classes = [PeopleOnly]
    OutputSerializer = SeekerOutputSerializer

    @extend_schema(
        operation_id="seekers_me",
        summary="My own seeker profile",
        tags=["seekers"],
        responses=OutputSerializer,
    )
    def get(self, request: Request) -> Response:
        from django.http import Http404

        profile = self.caller().profile
        if profile is None:
            raise Http404
        return Response(self.OutputSerializer(selectors.get_seeker(self.caller(), profile.pk)).data)


class SeekerDetailApi(ApiView):
    permission_classes = [HasScope]
    OutputSerializer = SeekerOutputSerializer

    @extend_schema(
        operation_id="seekers_retrieve",
        summary="One seeker profile",
        tags=["seekers"],
        responses=OutputSerializer,
    )
    def get(self, request: Request, seeker_id: int) -> Response:
        profile = selectors.get_seeker(self.caller(), seeker_id)
        personal_data_view_log(
            viewer=request, person=profile.user, record=PersonalDataView.Record.SEEKER_PROFILE, obj=profile
        )
        return Response(self.OutputSerializer(profile).data)


# --- Registrations ------------------------------------------------------------------------------


class CentreRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    region = serializers.CharField(source="region.code")


class RegistrationOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    seeker = serializers.IntegerField(source="profile_id")
    centre = CentreRefSerializer()
    kind = serializers.ChoiceField(choices=Registration.Kind.choices)
    status = serializers.ChoiceField(choices=Registration.Status.choices)
    registered_on = serializers.DateField()
    ended_on = serializers.DateField(allow_null=True)
    end_reason = serializers.CharField()


class RegistrationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Registration.Status.choices)
    kind = django_filters.ChoiceFilter(choices=Registration.Kind.choices)
    centre = IdFilter(field_name="centre_id")
    seeker = IdFilter(field_name="profile_id")
    registered_from = django_filters.DateFilter(field_name="registered_on", lookup_expr="gte")

    class Meta:
        model = Registration
        fields: list[str] = []


class RegistrationListApi(ApiView):
    permission_classes = [HasScope]
    required_scope = Scope.REGISTRATIONS_READ
    pagination_class = Cursor
    filter_backends = [DjangoFilterBackend, StrictOrderingFilter]
    filterset_class = RegistrationFilter
    ordering_fields = ["id"]
    ordering = ["-id"]
    OutputSerializer = RegistrationOutputSerializer
    serializer_class = RegistrationOutputSerializer

    def get_queryset(self) -> QuerySet[Registration]:
        return selectors.registrations_visible(self.caller())

    @extend_schema(
        operation_id="registrations_list",
        responses=RegistrationOutputSerializer(many=True),
        summary="Registrations I may see",
        tags=["registrations"],
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.OutputSerializer(page, many=True).data)


class RegistrationDetailApi(ApiView):
    permission_classes = [HasScope]
    OutputSerializer = RegistrationOutputSerializer

    @extend_schema(
        operation_id="registrations_retrieve",
        summary="One registration",
        tags=["registrations"],
        responses=OutputSerializer,
    )
    def get(self, request: Request, registration_id: int) -> Response:
        from django.shortcuts import get_object_or_404

        registration = get_object_or_404(selectors.registrations_visible(self.caller()), id=registration_id)
        return Response(self.OutputSerializer(registration).data)


# --- Reference ------------------------------------------------------------------------------------


class RegionListApi(ApiView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    pagination_class = None

    class OutputSerializer(serializers.Serializer):
        code = serializers.CharField()
        kind = serializers.CharField()
        name_kk = serializers.CharField()
        name_ru = serializers.CharField()
        name_en = serializers.CharField()

    @extend_schema(
        operation_id="reference_regions",
        summary="Regions of Kazakhstan (ISO 3166-2:KZ) in kk, ru and en",
        tags=["reference"],
        responses=OutputSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        return Response(self.OutputSerializer(Region.objects.order_by("code"), many=True).data)
