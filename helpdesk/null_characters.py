"""NUL (U+0000) is refused at the door, once for every request.

PostgreSQL cannot store NUL in text and fails any query that carries one, so a NUL that reached
a lookup (a topic code, a search, a phone number) was a 500. No person types NUL, so instead of
guarding each of those places, `RefuseNullCharactersMiddleware` answers 400 for a NUL in the path,
a cookie, a query parameter, a form field or a JSON string (names and values), naming the field:
`{"<field>": ["..."]}` under /api/, a plain text page elsewhere.

A view that cleans such input itself and must not refuse it is decorated with
`allow_null_characters`: the Twilio webhooks, which strip control characters from SMS (a 4xx
would lose the message: Twilio does not send it again). Path and cookies are checked for every
view, before any of them runs (a session cookie with NUL fails the session lookup); parameters
and bodies just before the view, so that the decorator can exempt them.
"""

import functools
import io
import json

from django.conf import settings
from django.core.files import uploadhandler
from django.http import HttpResponse, JsonResponse, QueryDict
from django.http.multipartparser import MultiPartParser
from django.utils.translation import gettext as _
from rest_framework.settings import api_settings

NUL = "\x00"
PATH = "path"


def allow_null_characters(view):
    """The view reads its query and body itself, NUL and all (the path and cookies are still
    checked)."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        return view(*args, **kwargs)

    wrapped.null_characters_allowed = True
    return wrapped


class RefuseNullCharactersMiddleware:
    """Place it after LocaleMiddleware (the answer is in the request's language) and before
    anything that reads the session or the body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        field = _in_path_or_cookies(request)
        if field is not None:
            return refused(request, field)
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        if getattr(view, "null_characters_allowed", False):
            return None
        field = _in_query(request) or _in_form(request) or _in_json(request)
        return None if field is None else refused(request, field)


def refused(request, field: str) -> HttpResponse:
    name = field.replace(NUL, "\\x00")
    if request.path.startswith("/api/"):
        return JsonResponse({name: [_("Null characters are not allowed.")]}, status=400)
    text = _("“%(field)s”: null characters are not allowed.") % {"field": name}
    return HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")


def _first_in_pairs(pairs) -> str | None:
    for name, values in pairs:
        if NUL in name or any(NUL in value for value in values):
            return name
    return None


def _in_path_or_cookies(request) -> str | None:
    if NUL in request.path or NUL in request.path_info:
        return PATH
    return _first_in_pairs((name, [value]) for name, value in request.COOKIES.items())


def _in_query(request) -> str | None:
    return _first_in_pairs(request.GET.lists())


def _in_form(request) -> str | None:
    content_type = request.content_type
    if content_type not in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return None
    if request.method == "POST":
        fields = request.POST  # Django parses the form bodies of POST (file contents are not text)
    elif content_type == "multipart/form-data":
        # PUT and PATCH: Django leaves these to the view (DRF parses them), so read them here.
        handlers = [uploadhandler.load_handler(path, request) for path in settings.FILE_UPLOAD_HANDLERS]
        fields, _files = MultiPartParser(
            request.META, io.BytesIO(request.body), handlers, request.encoding
        ).parse()
    else:
        fields = QueryDict(request.body, encoding=request.encoding)
    return _first_in_pairs(fields.lists())


def _in_json(request) -> str | None:
    content_type = request.content_type
    if content_type != "application/json" and not content_type.endswith("+json"):
        return None
    try:
        document = json.loads(request.body)
    except (ValueError, RecursionError):
        return None  # not JSON anyone can read: the view's parser answers 400
    # Without recursion: a body may nest as deep as the parser allowed.
    stack = [((), document)]
    while stack:
        names, value = stack.pop()
        if isinstance(value, str):
            if NUL in value:
                return ".".join(names) or api_settings.NON_FIELD_ERRORS_KEY
        elif isinstance(value, dict):
            for name in value:
                if NUL in name:
                    return ".".join((*names, name))
            stack.extend(((*names, name), item) for name, item in reversed(value.items()))
        elif isinstance(value, list):
            # Items are named by their list: {"topics": ["\u0000"]} is the field "topics".
            stack.extend((names, item) for item in reversed(value))
    return None
