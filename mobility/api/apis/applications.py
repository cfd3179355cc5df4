"""Applications, seen from both sides, and the matcher's rankings with their explanations."""

from __future__ import annotations

from typing import Any

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from matching import services as matching
from mobility.api import selectors
from mobility.api.apis.vacancies import VacancyOutputSerializer
from mobility.api.base import ApiView, idempotent
from mobility.api.filters import IdFilter, StrictOrderingFilter
from mobility.api.models import Scope
from mobility.api.pagination import Cursor
from mobility.api.permissions import HasScope
from mobility.api.principal import Caller
from mobility.api.serializers import StrictSerializer
from mobility.core.workflow import MoveForbidden
from mobility.exchange import selectors as exchange_selectors
from mobility.exchange import services
from mobility.exchange.models import Application, ApplicationStatus, SeekerProfile
from mobility.exchange.sides import application_sides


class ApplicantSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="user.get_full_name")
    email = serializers.CharField(source="user.email", allow_null=True)
    phone = serializers.CharField(source="user.phone")


class ApplicationEventSerializer(serializers.Serializer):
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    reason = serializers.CharField()
    created_at = serializers.DateTimeField()


class InterviewSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField(help_text=_("With its offset; shown in Asia/Almaty."))
    place = serializers.CharField(help_text=_("An address or a link."))
    note = serializers.CharField()
    revision = serializers.IntegerField(help_text=_("1 when set, one more each time it is moved."))


class ApplicationOutputSerializer(serializers.Serializer):
    class VacancyRefSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        title = serializers.CharField()
        organisation = serializers.IntegerField(source="organisation_id")
        organisation_name = serializers.CharField(source="organisation.name")

    id = serializers.IntegerField()
    vacancy = VacancyRefSerializer()
    seeker = serializers.IntegerField(source="seeker_id")
    applicant = ApplicantSerializer(
        allow_null=True, help_text=_("Name and contacts, once the person has shared them (applied).")
    )
    status = serializers.ChoiceField(choices=ApplicationStatus.choices)
    cover_note = serializers.CharField()
    contacts_shared = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    events = ApplicationEventSerializer(many=True, source="events.all")
    interview = serializers.SerializerMethodField(
        help_text=_("The interview set for an application at the interview stage, or null.")
    )

    @extend_schema_field(InterviewSerializer(allow_null=True))
    def get_interview(self, application: Application) -> dict[str, Any] | None:
        scheduled = getattr(application, "scheduled_interviews", [])
        if application.status != ApplicationStatus.INTERVIEW or not scheduled:
            return None
        return dict(InterviewSerializer(scheduled[0]).data)


def _with_applicant(caller: Caller, applications: list[Application]) -> list[Application]:
    """The applicant's name and contacts: for the person themself, or once shared."""
    for application in applications:
        own = caller.is_person and application.seeker.user_id == caller.user.pk
        application.applicant = (  # type: ignore[attr-defined]
            application.seeker if own or application.contacts_shared or caller.is_admin else None
        )
    return applications


class ApplicationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ApplicationStatus.choices)
    vacancy = IdFilter(field_name="vacancy_id")

    class Meta:
        model = Application
        fields: list[str] = []


class ApplicationListApi(ApiView):
    """A seeker's own applications; an organisation's applications to its vacancies."""

    permission_classes = [HasScope]
    required_scope = Scope.APPLICATIONS_READ
    pagination_class = Cursor
    filter_backends = [DjangoFilterBackend, StrictOrderingFilter]
    filterset_class = ApplicationFilter
    ordering_fields = ["id", "created_at", "updated_at"]
    ordering = ["-id"]
    OutputSerializer = ApplicationOutputSerializer
    serializer_class = ApplicationOutputSerializer

    def get_queryset(self) -> QuerySet[Application]:
        return selectors.applications_visible(self.caller())

    @extend_schema(
        operation_id="applications_list",
        summary="Applications I may see",
        tags=["applications"],
        responses=ApplicationOutputSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        page = _with_applicant(self.caller(), list(page or []))
        return self.get_paginated_response(self.OutputSerializer(page, many=True).data)


class ApplicationDetailApi(ApiView):
    permission_classes = [HasScope]
    OutputSerializer = ApplicationOutputSerializer

    @extend_schema(
        operation_id="applications_retrieve",
        summary="One application",
        tags=["applications"],
        responses=OutputSerializer,
    )
    def get(self, request: Request, application_id: int) -> Response:
        application = selectors.get_application(self.caller(), application_id)
        return Response(self.OutputSerializer(_with_applicant(self.caller(), [application])[0]).data)


class ApplicationCreateApi(ApiView):
    """A seeker applies to a published vacancy; an organisation invites a visible candidate to
    its own vacancy (`seeker` given)."""

    permission_classes = [HasScope]

    class InputSerializer(StrictSerializer):
        vacancy = serializers.IntegerField(min_value=1, max_value=2**62)
        seeker = serializers.IntegerField(
            min_value=1, max_value=2**62, required=False, help_text=_("Employers: the candidate to invite.")
        )
        cover_note = serializers.CharField(required=False, allow_blank=True, max_length=4000)

    OutputSerializer = ApplicationOutputSerializer

    @extend_schema(
        operation_id="applications_create",
        summary="Apply to a vacancy, or invite a candidate",
        tags=["applications"],
        request=InputSerializer,
        responses={201: OutputSerializer},
    )
    @idempotent
    def post(self, request: Request) -> Response:
        caller = self.caller()
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        note = data.validated_data.get("cover_note", "")
        seeker_id = data.validated_data.get("seeker")
        if seeker_id is None:
            profile = caller.profile
            if profile is None:
                raise PermissionDenied(_("Only a job seeker with a profile can apply."))
            vacancy = selectors.get_vacancy(caller, data.validated_data["vacancy"])
            application = services.application_create(
                seeker=profile,
                vacancy=vacancy,
                status=ApplicationStatus.APPLIED,
                by=caller.actor,
                cover_note=note,
            )
        else:
            if not caller.has_scope(Scope.APPLICATIONS_WRITE):
                raise PermissionDenied(_("This API key does not have the scope this operation needs."))
            vacancy = selectors.candidates_visible_for(caller, data.validated_data["vacancy"])
            if (
                vacancy.organisation_id not in caller.organisation_ids(Scope.APPLICATIONS_WRITE)
                and not caller.is_admin
            ):
                raise Http404
            seeker = (
                SeekerProfile.objects.exclude(visibility=SeekerProfile.Visibility.HIDDEN)
                .filter(user__is_active=True, id=seeker_id)
                .first()
            )
            if seeker is None:
                raise serializers.ValidationError({"seeker": [_("No visible candidate has this id.")]})
            application = services.application_create(
                seeker=seeker,
                vacancy=vacancy,
                status=ApplicationStatus.INVITED,
                by=caller.actor,
                cover_note=note,
            )
        application = selectors.get_application(caller, application.pk, scope=Scope.APPLICATIONS_WRITE)
        return Response(
            self.OutputSerializer(_with_applicant(caller, [application])[0]).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": f"/api/v1/applications/{application.pk}/"},
        )


class InterviewInputSerializer(StrictSerializer):
    starts_at = serializers.DateTimeField(help_text=_("In the future; without an offset, Asia/Almaty."))
    place = serializers.CharField(required=False, allow_blank=True, max_length=300)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


INTERVIEW_FIELDS = ("starts_at", "place", "note")


class ApplicationTransitionApi(ApiView):
    """Move an application: the seeker accepts an invitation (`applied`) or withdraws; the
    employer shortlists, interviews, offers, hires or rejects (a reason is required)."""

    permission_classes = [HasScope]

    class InputSerializer(StrictSerializer):
        to = serializers.ChoiceField(choices=ApplicationStatus.choices)
        reason = serializers.CharField(required=False, allow_blank=True, max_length=1000)
        interview = InterviewInputSerializer(
            required=False,
            help_text=_(
                "Employers, with `to` = interview: set the interview at once (the candidate is told "
                "and reminded the day before)."
            ),
        )

    OutputSerializer = ApplicationOutputSerializer

    @extend_schema(
        operation_id="applications_transition",
        summary="Change an application's status",
        tags=["applications"],
        request=InputSerializer,
        responses=OutputSerializer,
    )
    @idempotent
    def post(self, request: Request, application_id: int) -> Response:
        caller = self.caller()
        application = selectors.get_application(caller, application_id, scope=Scope.APPLICATIONS_WRITE)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # The shared workflow decides; a side that never makes this move gets 403, a move
        # not possible from the current status 400 (naming `status`), a missing reason 400.
        side = application_sides(request, application, scope=Scope.APPLICATIONS_WRITE)
        interview = data.validated_data.get("interview")
        try:
            services.application_transition(
                application=application,
                to=data.validated_data["to"],
                by=caller.actor,
                side=side,
                reason=data.validated_data.get("reason", ""),
                interview=interview,
            )
        except MoveForbidden as exc:
            raise PermissionDenied(" ".join(exc.messages)) from exc
        except DjangoValidationError as exc:
            if interview is None or not hasattr(exc, "error_dict"):
                raise
            # The interview's fields are named as the request nests them: "interview.starts_at".
            raise DjangoValidationError(
                {f"interview.{k}" if k in INTERVIEW_FIELDS else k: v for k, v in exc.error_dict.items()}
            ) from exc
        application = selectors.get_application(caller, application_id, scope=Scope.APPLICATIONS_WRITE)
        return Response(self.OutputSerializer(_with_applicant(caller, [application])[0]).data)


# --- Matches ------------------------------------------------------------------------------------


class FactorSerializer(serializers.Serializer):
    name = serializers.CharField()
    contribution = serializers.FloatField()
    detail = serializers.CharField()


class RelocationSerializer(serializers.Serializer):
    """The family's support package for moving to the vacancy's region (a receiving region)."""

    region = serializers.CharField(source="package.destination")
    family_size = serializers.IntegerField()
    registered_at_centre = serializers.BooleanField(source="registered")
    rules_on = serializers.DateField(source="package.rules_on")
    mrp = serializers.IntegerField(source="package.mrp")
    relocation_subsidy = serializers.IntegerField(source="package.relocation_subsidy")
    rent_subsidy_monthly_min = serializers.IntegerField(source="package.rent_subsidy_monthly_min")
    rent_subsidy_monthly_max = serializers.IntegerField(source="package.rent_subsidy_monthly_max")
    rent_subsidy_months = serializers.IntegerField(source="package.rent_subsidy_months")
    employer_subsidy = serializers.IntegerField(source="package.employer_subsidy")
    certificate_cap = serializers.IntegerField(source="package.certificate_cap")


class VacancyMatchSerializer(serializers.Serializer):
    vacancy = VacancyOutputSerializer()
    score = serializers.FloatField()
    percent = serializers.IntegerField()
    occupation_relation = serializers.CharField(source="relation")
    matched_skills = serializers.ListField(child=serializers.CharField(), source="matched")
    missing_skills = serializers.ListField(child=serializers.CharField(), source="missing")
    factors = FactorSerializer(many=True)
    relocation = RelocationSerializer(
        allow_null=True,
        help_text=_(
            "For a vacancy in a region receiving resettlers: the family's support in whole tenge; "
            "null otherwise."
        ),
    )


class MatchLimitSerializer(serializers.Serializer):
    limit = serializers.IntegerField(min_value=1, max_value=100, default=20)


class _Ranked(ApiView):
    def limit(self, request: Request) -> int:
        data = MatchLimitSerializer(data=request.query_params)
        data.is_valid(raise_exception=True)
        return int(data.validated_data["limit"])


class SeekerMatchesApi(_Ranked):
    """Vacancies ranked for a seeker, with why: the person's own, or for staff and centre keys
    (`matches:read`) the people registered at their centres."""

    permission_classes = [HasScope]
    OutputSerializer = VacancyMatchSerializer

    @extend_schema(
        operation_id="seekers_matches",
        summary="Vacancies ranked for a seeker",
        tags=["matches"],
        parameters=[MatchLimitSerializer],
        responses=inline_serializer("VacancyMatches", {"results": VacancyMatchSerializer(many=True)}),
    )
    def get(self, request: Request, seeker_id: int) -> Response:
        limit = self.limit(request)
        profile = selectors.seeker_for_matches(self.caller(), seeker_id)
        ranked = exchange_selectors.vacancies_for_me(profile, limit=limit)
        vacancies = {
            v.id: v
            for v in selectors.vacancies_visible(self.caller()).filter(id__in=[r.vacancy.id for r in ranked])
        }
        for r in ranked:
            r.vacancy = vacancies.get(r.vacancy.id, r.vacancy)
        return Response({"results": self.OutputSerializer(ranked, many=True).data})


class CandidateSerializer(serializers.Serializer):
    seeker = serializers.IntegerField(source="profile.id")
    name = serializers.CharField(allow_null=True, help_text=_("Only for profiles visible with the name."))
    headline = serializers.CharField(source="profile.headline")
    region = serializers.CharField(source="profile.region.code")
    score = serializers.FloatField()
    percent = serializers.IntegerField()
    occupation_relation = serializers.CharField()
    matched_skills = serializers.ListField(child=serializers.CharField())
    missing_skills = serializers.ListField(child=serializers.CharField())
    factors = FactorSerializer(many=True)


class VacancyCandidatesApi(_Ranked):
    """Visible candidates ranked for one of the caller's vacancies, with why (hidden profiles
    never appear; anonymous ones without name)."""

    permission_classes = [HasScope]
    OutputSerializer = CandidateSerializer

    @extend_schema(
        operation_id="vacancies_candidates",
        summary="Candidates ranked for my vacancy",
        tags=["matches"],
        parameters=[MatchLimitSerializer],
        responses=inline_serializer("CandidateMatches", {"results": CandidateSerializer(many=True)}),
    )
    def get(self, request: Request, vacancy_id: int) -> Response:
        limit = self.limit(request)
        vacancy = selectors.candidates_visible_for(self.caller(), vacancy_id)
        matches = matching.rank_seekers_for(vacancy, limit=limit)
        from migration.selectors import candidate_profiles_for

        # People tied to vacancies open to foreign specialists are candidates for those only.
        profiles = candidate_profiles_for(
            vacancy,
            SeekerProfile.objects.exclude(visibility=SeekerProfile.Visibility.HIDDEN)
            .filter(user__is_active=True)
            .select_related("user", "region"),
            [int(m.id) for m in matches],
        )
        lang = (get_language() or "kk")[:2]
        names: list[str] = []
        for m in matches:
            if m.explanation:
                names += [*m.explanation.matched_skills, *m.explanation.missing_skills]
        localised = matching.localise_skill_names(names, lang)
        best = max((m.score for m in matches), default=1.0) or 1.0
        rows: list[dict[str, Any]] = []
        for m in matches:
            profile = profiles.get(int(m.id))
            if profile is None or m.explanation is None:
                continue
            rows.append(
                {
                    "profile": profile,
                    "name": profile.user.get_full_name()
                    if profile.visibility == SeekerProfile.Visibility.PUBLIC
                    else None,
                    "score": m.score,
                    "percent": max(1, min(100, round(100 * m.score / max(best, 1e-9)))),
                    "occupation_relation": m.explanation.occupation_relation,
                    "matched_skills": [localised.get(s, s) for s in m.explanation.matched_skills],
                    "missing_skills": [localised.get(s, s) for s in m.explanation.missing_skills],
                    "factors": list(m.explanation.structured),
                }
            )
        return Response({"results": self.OutputSerializer(rows, many=True).data})
