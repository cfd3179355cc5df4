"""Resettlement applications and certificates over the API (issue #13, item 9): a family reads
its own, staff read their centre's or region's (mobility.resettlement.selectors, as on the
pages) and take the same decisions through the same services. People only: API keys have no
resettlement scope."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from mobility.api.base import ApiView, idempotent
from mobility.api.pagination import Cursor
from mobility.api.permissions import PeopleOnly
from mobility.api.serializers import MaskedIinField, StrictSerializer
from mobility.core.privacy.models import PersonalDataView
from mobility.core.privacy.services import personal_data_view_log
from mobility.core.workflow import MoveForbidden
from mobility.resettlement import selectors
from mobility.resettlement.services.applications import (
    application_check,
    application_forward,
    application_include,
    application_refuse,
    application_withdraw,
)


class MemberSerializer(serializers.Serializer):
    iin = MaskedIinField()
    last_name = serializers.CharField()
    first_name = serializers.CharField()
    relation = serializers.CharField()


class RuleSerializer(serializers.Serializer):
    code = serializers.CharField()
    passed = serializers.BooleanField()
    message = serializers.CharField()


class ResettlementApplicationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    category = serializers.CharField()
    year = serializers.IntegerField()
    rules_on = serializers.DateField()
    origin_region = serializers.CharField(source="origin_region.code")
    destination_region = serializers.CharField(source="destination_region.code")
    settlement_type = serializers.CharField()
    job_kind = serializers.CharField()
    centre = serializers.CharField(source="centre.code")
    submitted_at = serializers.DateTimeField()
    forward_due_on = serializers.DateField()
    forwarded_at = serializers.DateTimeField(allow_null=True)
    checked_at = serializers.DateTimeField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    refusal_reason = serializers.CharField()
    quota_persons = serializers.IntegerField()
    eligibility = RuleSerializer(many=True)
    members = MemberSerializer(many=True, source="members.all")


class CertificateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    application = serializers.IntegerField(source="application_id")
    status = serializers.CharField()
    purpose = serializers.CharField()
    home_price = serializers.IntegerField()
    amount = serializers.IntegerField()
    cap = serializers.IntegerField()
    rules_on = serializers.DateField()
    issued_at = serializers.DateTimeField()
    valid_until = serializers.DateField()
    paid_at = serializers.DateTimeField(allow_null=True)


class ResettlementApplicationListApi(ApiView):
    """Resettlement applications the caller may see: a family's own; a counsellor's centre's;
    a regional manager's or programme finance officer's region's."""

    permission_classes = [PeopleOnly]
    pagination_class = Cursor
    ordering = ["-id"]
    OutputSerializer = ResettlementApplicationSerializer
    serializer_class = ResettlementApplicationSerializer

    def get_queryset(self) -> Any:
        return (
            selectors.applications_visible_to(self.caller().who).prefetch_related("members").order_by("-id")
        )

    @extend_schema(
        operation_id="resettlement_applications_list",
        summary="Resettlement applications I may see",
        tags=["resettlement"],
        responses=ResettlementApplicationSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.OutputSerializer(page, many=True).data)


class ResettlementApplicationDetailApi(ApiView):
    permission_classes = [PeopleOnly]
    OutputSerializer = ResettlementApplicationSerializer

    @extend_schema(
        operation_id="resettlement_applications_retrieve",
        summary="One resettlement application",
        tags=["resettlement"],
        responses=ResettlementApplicationSerializer,
    )
    def get(self, request: Request, application_id: int) -> Response:
        application = selectors.get_application_for_user(self.caller().who, application_id)
        personal_data_view_log(
            viewer=request,
            person=application.person,
            record=PersonalDataView.Record.RESETTLEMENT,
            obj=application,
            centre=application.centre,
        )
        return Response(self.OutputSerializer(application).data)


DECISIONS = {
    "forward": application_forward,
    "check": application_check,
    "include": application_include,
    "withdraw": application_withdraw,
}


class ResettlementDecisionApi(ApiView):
    """A decision on an application, by the side that takes it (the same services as the staff
    pages): the career centre forwards; the receiving region checks, includes or refuses (with a
    reason); the family withdraws. A side the caller does not hold: 403."""

    permission_classes = [PeopleOnly]

    class InputSerializer(StrictSerializer):
        decision = serializers.ChoiceField(choices=[*DECISIONS, "refuse"])
        reason = serializers.CharField(required=False, allow_blank=True, max_length=1000)

    OutputSerializer = ResettlementApplicationSerializer

    @extend_schema(
        operation_id="resettlement_applications_decide",
        summary="Decide on a resettlement application",
        tags=["resettlement"],
        request=InputSerializer,
        responses=ResettlementApplicationSerializer,
    )
    @idempotent
    def post(self, request: Request, application_id: int) -> Response:
        caller = self.caller()
        application = selectors.get_application_for_user(caller.who, application_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        decision = data.validated_data["decision"]
        try:
            if decision == "refuse":
                application_refuse(
                    application=application, by=caller.user, reason=data.validated_data.get("reason", "")
                )
            else:
                DECISIONS[decision](application=application, by=caller.user)
        except MoveForbidden as exc:
            raise PermissionDenied(" ".join(exc.messages)) from exc
        application = selectors.get_application_for_user(caller.who, application_id)
        return Response(self.OutputSerializer(application).data)


class CertificateListApi(ApiView):
    """Economic mobility certificates the caller may see (a family's own; staff their scope's)."""

    permission_classes = [PeopleOnly]
    pagination_class = Cursor
    ordering = ["-id"]
    OutputSerializer = CertificateSerializer
    serializer_class = CertificateSerializer

    @extend_schema(
        operation_id="resettlement_certificates_list",
        summary="Economic mobility certificates I may see",
        tags=["resettlement"],
        responses=CertificateSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(selectors.certificates_visible_to(self.caller().who).order_by("-id"))
        return self.get_paginated_response(self.OutputSerializer(page, many=True).data)
