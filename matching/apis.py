"""Taxonomy search for autocomplete and partners: skills and occupations in kk, ru, en."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from matching import selectors
from mobility.api.filters import refuse_empty_parameters
from mobility.api.throttling import ClientRateThrottle

LANGS = [("kk", "kk"), ("ru", "ru"), ("en", "en")]


class _SearchInput(serializers.Serializer):
    q = serializers.CharField(min_length=2, max_length=100)
    lang = serializers.ChoiceField(choices=LANGS, required=False)
    limit = serializers.IntegerField(min_value=1, max_value=50, default=10)


class _Throttled(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    throttle_classes = [ClientRateThrottle]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        refuse_empty_parameters(request)


class SkillSearchApi(_Throttled):
    class SkillOutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        label = serializers.CharField()  # type: ignore[assignment]

    @extend_schema(
        parameters=[_SearchInput],
        responses=inline_serializer("SkillSearchResult", {"results": SkillOutputSerializer(many=True)}),
        summary="Skills whose label in kk, ru or en matches the text",
    )
    def get(self, request: Request) -> Response:
        data = _SearchInput(data=request.query_params)
        data.is_valid(raise_exception=True)
        results = selectors.skill_suggestions(
            data.validated_data["q"], lang=data.validated_data.get("lang"), limit=data.validated_data["limit"]
        )
        return Response({"results": self.SkillOutputSerializer(results, many=True).data})


class OccupationSearchApi(_Throttled):
    class OccupationOutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        label = serializers.CharField()  # type: ignore[assignment]
        isco = serializers.CharField()

    @extend_schema(
        parameters=[_SearchInput],
        responses=inline_serializer(
            "OccupationSearchResult", {"results": OccupationOutputSerializer(many=True)}
        ),
        summary="Occupations whose label in kk, ru or en matches the text",
    )
    def get(self, request: Request) -> Response:
        data = _SearchInput(data=request.query_params)
        data.is_valid(raise_exception=True)
        results = selectors.occupation_suggestions(
            data.validated_data["q"], lang=data.validated_data.get("lang"), limit=data.validated_data["limit"]
        )
        return Response({"results": self.OccupationOutputSerializer(results, many=True).data})
