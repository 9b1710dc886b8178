"""OpenAPI: every operation documents the errors it can answer, so clients and fuzzers know them."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

DetailError = inline_serializer("DetailError", fields={"detail": serializers.CharField()})
# Field errors: {"field": ["message", ...]}, nested for nested input, "non_field_errors" for the rest.
FIELD_ERRORS = OpenApiResponse(
    response={"type": "object", "additionalProperties": True},
    description="Bad input: messages per field",
)


class HelpdeskAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        errors = {}
        # Any request may be a 400: a NUL anywhere in it is refused before the view
        # (helpdesk.null_characters), besides the field errors of input and filters.
        errors["400"] = FIELD_ERRORS
        if self.get_auth():
            errors["401"] = OpenApiResponse(DetailError, description="Not authenticated")
            errors["403"] = OpenApiResponse(DetailError, description="Not allowed")
        # Detail paths 404 for unknown ids; paginated lists 404 for a page past the end.
        if "{" in self.path or (self._is_list_view() and self._get_paginator() is not None):
            errors["404"] = OpenApiResponse(DetailError, description="Not found, or not yours to see")
        if self.view.get_throttles():
            errors["429"] = OpenApiResponse(DetailError, description="Too many requests: wait and try again")
        for code, response in errors.items():
            responses.setdefault(code, self._get_response_for_code(response, code, direction=direction))
        return responses
