"""`/api/v1/foreign/` for signed-in people: an applicant's own applications, an officer's reads
and decisions. The same selectors (who sees what: 404 otherwise) and the same services (who may
do what) as the pages; a refused move is a 4xx problem+json naming the field."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from migration import selectors
from migration.access import get_application_for_user
from migration.models import Application, DecisionReason
from migration.sides import application_sides
from migration.states import StepStatus
from mobility.api.base import ApiView, idempotent
from mobility.api.pagination import Cursor
from mobility.api.permissions import PeopleOnly
from mobility.api.serializers import StrictSerializer
from mobility.core.privacy.models import PersonalDataView
from mobility.core.privacy.services import personal_data_view_log
from mobility.core.workflow import MIGRATION_OFFICER, MoveForbidden


class StepSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField(source="scheme_step.kind")
    name = serializers.CharField(source="scheme_step.name")
    status = serializers.CharField()
    started_on = serializers.DateField(allow_null=True)
    due_on = serializers.DateField(allow_null=True)
    is_overdue = serializers.BooleanField()
    note = serializers.CharField()


class DecisionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    outcome = serializers.CharField()
    reasons = serializers.SerializerMethodField()
    text = serializers.CharField()
    rules = serializers.CharField(source="scheme_version.label")
    decided_at = serializers.DateTimeField()
    appeal_until = serializers.DateField(allow_null=True)
    on_appeal = serializers.SerializerMethodField()

    def get_reasons(self, decision: Any) -> list[str]:
        return [r.code for r in decision.reasons.all()]

    def get_on_appeal(self, decision: Any) -> bool:
        return decision.appeal_id is not None


class ApplicationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    scheme = serializers.CharField(source="scheme_version.scheme.code")
    rules = serializers.CharField(source="scheme_version.label")
    status = serializers.CharField()
    field = serializers.CharField()
    centre = serializers.CharField(source="centre.code")
    score = serializers.IntegerField(allow_null=True)
    submitted_at = serializers.DateTimeField(allow_null=True)
    due_on = serializers.DateField(allow_null=True)
    is_overdue = serializers.BooleanField()
    offer_confirmed = serializers.SerializerMethodField()

    def get_offer_confirmed(self, application: Any) -> bool:
        return application.offer_confirmed_at is not None


class ApplicationDetailSerializer(ApplicationSerializer):
    steps = StepSerializer(many=True, source="ordered_steps")
    decisions = DecisionSerializer(many=True, source="ordered_decisions")


class FilterSerializer(StrictSerializer):
    status = serializers.CharField(required=False, max_length=12)
    overdue = serializers.BooleanField(required=False)


class ForeignApplicationListApi(ApiView):
    """The caller's own applications (an applicant) or their centres' (a migration officer)."""

    permission_classes = [PeopleOnly]
    pagination_class = Cursor
    ordering = ["-id"]
    OutputSerializer = ApplicationSerializer

    def get_queryset(self) -> QuerySet[Application]:
        return selectors.applications_visible_to(self.caller().who).order_by("-id")

    @extend_schema(
        operation_id="foreign_applications_list",
        summary="Foreign-specialist applications I may see",
        tags=["foreign"],
        parameters=[FilterSerializer],
        responses=ApplicationSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        filters = FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        qs = self.get_queryset()
        if "status" in filters.validated_data:
            qs = qs.filter(status=filters.validated_data["status"])
        if filters.validated_data.get("overdue"):
            qs = selectors.officer_queue(self.caller().who, overdue=True).order_by("-id")
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(self.OutputSerializer(page, many=True).data)


def _detail(user: Any, application_id: int) -> Application:
    application = get_application_for_user(user, application_id)
    application.ordered_steps = selectors.application_steps(application)  # type: ignore[attr-defined]
    application.ordered_decisions = list(  # type: ignore[attr-defined]
        application.decisions.select_related("scheme_version")
        .prefetch_related("reasons")
        .order_by("decided_at")
    )
    return application


class ForeignApplicationDetailApi(ApiView):
    permission_classes = [PeopleOnly]
    OutputSerializer = ApplicationDetailSerializer

    @extend_schema(
        operation_id="foreign_applications_retrieve",
        summary="One foreign-specialist application, with its steps and decisions",
        tags=["foreign"],
        responses=ApplicationDetailSerializer,
    )
    def get(self, request: Request, application_id: int) -> Response:
        application = _detail(self.caller().who, application_id)
        personal_data_view_log(
            viewer=request,
            person=application.applicant.user,
            record=PersonalDataView.Record.FOREIGN,
            obj=application,
            centre=application.centre,
        )
        return Response(self.OutputSerializer(application).data)


def _officer_application(user: Any, application_id: int) -> Application:
    application = get_application_for_user(user, application_id)
    if MIGRATION_OFFICER not in application_sides(user, application):
        raise PermissionDenied("Only a migration officer of the applicant's region does this.")
    return application


class ForeignStepRecordApi(ApiView):
    """An officer records a started step (the inter-agency check, the interview, …)."""

    permission_classes = [PeopleOnly]

    class InputSerializer(StrictSerializer):
        status = serializers.ChoiceField(
            choices=[StepStatus.PASSED.value, StepStatus.FAILED.value, StepStatus.WAIVED.value]
        )
        note = serializers.CharField(required=False, allow_blank=True, max_length=2000)

    OutputSerializer = ApplicationDetailSerializer

    @extend_schema(
        operation_id="foreign_steps_record",
        summary="Record the outcome of an application's step",
        tags=["foreign"],
        request=InputSerializer,
        responses=ApplicationDetailSerializer,
    )
    @idempotent
    def post(self, request: Request, application_id: int, step_id: int) -> Response:
        from migration.services.applications import step_record

        user = self.caller().who
        application = _officer_application(user, application_id)
        step = application.steps.filter(pk=step_id).first()
        if step is None:
            raise Http404
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        step_record(step=step, by=user.user, **data.validated_data)
        return Response(self.OutputSerializer(_detail(user, application_id)).data)


class ForeignDecisionApi(ApiView):
    """An officer approves or refuses, with reason codes from the scheme version's list."""

    permission_classes = [PeopleOnly]

    class InputSerializer(StrictSerializer):
        outcome = serializers.ChoiceField(choices=DecisionReason.Outcome.choices)
        reasons = serializers.ListField(
            child=serializers.SlugField(max_length=40), min_length=1, max_length=20
        )
        text = serializers.CharField(required=False, allow_blank=True, max_length=5000)

    OutputSerializer = ApplicationDetailSerializer

    @extend_schema(
        operation_id="foreign_applications_decide",
        summary="Decide a foreign-specialist application",
        tags=["foreign"],
        request=InputSerializer,
        responses=ApplicationDetailSerializer,
    )
    @idempotent
    def post(self, request: Request, application_id: int) -> Response:
        from migration.services.applications import application_decide

        user = self.caller().who
        application = _officer_application(user, application_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        codes = data.validated_data["reasons"]
        reasons = list(application.scheme_version.reasons.filter(code__in=codes))
        unknown = sorted(set(codes) - {r.code for r in reasons})
        if unknown:
            raise serializers.ValidationError({"reasons": [f"Unknown reason: {', '.join(unknown)}"]})
        try:
            application_decide(
                application=application,
                outcome=data.validated_data["outcome"],
                reasons=reasons,
                text=data.validated_data.get("text", ""),
                by=user.user,
            )
        except MoveForbidden as exc:
            raise PermissionDenied(" ".join(exc.messages)) from exc
        return Response(self.OutputSerializer(_detail(user, application_id)).data)
