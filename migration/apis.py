"""The public part of `/api/v1/foreign/`: the questionnaire in force, the self-assessment and the
published invitation rounds (no sign-in). Labels come in the requested language (`?lang=` or
Accept-Language)."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from migration import scoring, selectors
from migration.models import Field, Questionnaire
from migration.services.assessment import questionnaire_in_force, self_assess
from mobility.api.base import ApiView
from mobility.api.serializers import StrictSerializer
from mobility.api.throttling import ClientRateThrottle

LANGS = [("kk", "kk"), ("ru", "ru"), ("en", "en")]
ANSWER_MESSAGES = {
    "missing": lambda: _("Answer this question."),
    "invalid": lambda: _("This is not one of the question's options."),
    "unknown_criterion": lambda: _("The questionnaire has no such question."),
}


class _Public(ApiView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    throttle_classes = [ClientRateThrottle]
    pagination_class = None


class LanguageSerializer(serializers.Serializer):
    lang = serializers.ChoiceField(choices=LANGS, required=False)


def _language(request: Request) -> str:
    data = LanguageSerializer(data=request.query_params)
    data.is_valid(raise_exception=True)
    return data.validated_data.get("lang") or (translation.get_language() or "kk")[:2]


def _questionnaire() -> Questionnaire:
    questionnaire = questionnaire_in_force()
    if questionnaire is None:
        raise NotFound(_("No points questionnaire is in force."))
    return questionnaire


class OptionSerializer(serializers.Serializer):
    id = serializers.CharField(source="code")
    label = serializers.CharField(source="name")  # type: ignore[assignment]
    points = serializers.IntegerField()


class CriterionSerializer(serializers.Serializer):
    id = serializers.CharField(source="code")
    label = serializers.CharField(source="name")  # type: ignore[assignment]
    options = OptionSerializer(many=True, source="options.all")


class QuestionnaireApi(_Public):
    class OutputSerializer(serializers.Serializer):
        version = serializers.CharField(source="label")
        valid_from = serializers.DateField()
        pass_mark = serializers.IntegerField()
        provisional = serializers.BooleanField()
        language = serializers.SerializerMethodField()
        criteria = CriterionSerializer(many=True, source="criteria.all")

        def get_language(self, obj: Questionnaire) -> str:
            return str(self.context["language"])

    @extend_schema(
        operation_id="foreign_questionnaire",
        summary="The points questionnaire in force: criterion ids, option ids, labels and points",
        tags=["foreign"],
        parameters=[LanguageSerializer],
        responses=OutputSerializer,
    )
    def get(self, request: Request) -> Response:
        language = _language(request)
        questionnaire = _questionnaire()
        with translation.override(language):
            return Response(self.OutputSerializer(questionnaire, context={"language": language}).data)


class SelfAssessmentApi(_Public):
    class InputSerializer(StrictSerializer):
        answers = serializers.DictField(child=serializers.CharField(max_length=40, allow_blank=True))

    class PointsSerializer(serializers.Serializer):
        criterion = serializers.CharField()
        option = serializers.CharField()
        points = serializers.IntegerField()

    class OutputSerializer(serializers.Serializer):
        version = serializers.CharField()
        pass_mark = serializers.IntegerField()
        total = serializers.IntegerField()
        passed = serializers.BooleanField()
        points = serializers.ListField(child=serializers.DictField())

    @extend_schema(
        operation_id="foreign_self_assessment",
        summary="Score answers against the questionnaire in force (no sign-in, nothing stored)",
        tags=["foreign"],
        request=InputSerializer,
        responses=OutputSerializer,
    )
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        answers: dict[str, str] = data.validated_data["answers"]
        try:
            assessment = self_assess(answers=answers, questionnaire=_questionnaire())
        except scoring.AnswerError as error:
            raise ValidationError(
                {"answers": {error.criterion: [ANSWER_MESSAGES[error.problem]()]}}
            ) from None
        score = assessment.score
        return Response(
            self.OutputSerializer(
                {
                    "version": score.version,
                    "pass_mark": score.pass_mark,
                    "total": score.total,
                    "passed": score.passed,
                    "points": [
                        {"criterion": code, "option": answers[code], "points": points}
                        for code, points in score.points.items()
                    ],
                }
            ).data
        )


class RoundListApi(_Public):
    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        scheme = serializers.CharField(source="scheme.code")
        field = serializers.ChoiceField(choices=Field.choices, allow_blank=True)
        places = serializers.IntegerField()
        pool_size = serializers.IntegerField()
        invited = serializers.IntegerField(source="invited_count")
        cut_off_score = serializers.IntegerField(allow_null=True)
        tie_rule = serializers.CharField()
        published_at = serializers.DateTimeField()

    @extend_schema(
        operation_id="foreign_rounds",
        summary="Published invitation rounds: field, places, pool, invited and cut-off score",
        tags=["foreign"],
        responses=OutputSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        return Response(self.OutputSerializer(selectors.published_rounds()[:200], many=True).data)
