import datetime

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import Count, Prefetch, Q
from django.shortcuts import render
from django.utils import timezone

from helpdesk import access
from helpdesk.forms import LoginForm
from helpdesk.models import Municipality, OpeningHours, Role
from helpdesk.opening import closed_reason, closures_by_digipunt, opening_periods

UPCOMING_CLOSURE_DAYS = 60


def digipunt_overview(user, today: datetime.date) -> list[dict]:
    """The user's digipunten with today's hours and coming closures, in three queries."""
    digipunten = list(
        access.digipunten_for(user)
        .filter(is_active=True)
        .select_related("municipality")
        .prefetch_related(Prefetch("opening_hours", queryset=OpeningHours.objects.order_by("opens")))
    )
    horizon = today + datetime.timedelta(days=UPCOMING_CLOSURE_DAYS)
    closures = closures_by_digipunt(digipunten, today, horizon)
    overview = []
    for digipunt in digipunten:
        own = closures[digipunt.pk]
        overview.append(
            {
                "digipunt": digipunt,
                "closed_today": closed_reason(today, own),
                "hours_today": opening_periods(digipunt, today, own),
                "closures": own,
            }
        )
    return overview


@login_required
def home(request):
    user = request.user
    role = access.primary_role(user)
    today = timezone.localdate()
    context = {
        "role": role,
        "role_label": Role(role).label if role else None,
        "today": today,
        "can_use_admin": access.can_use_admin(user),
        "municipalities": access.scope(Municipality.objects.all(), user).annotate(
            digipunt_count=Count("digipunten", filter=Q(digipunten__is_active=True))
        ),
        "overview": digipunt_overview(user, today) if role else [],
    }
    return render(request, "helpdesk/home.html", context)


class LoginView(auth_views.LoginView):
    """A login whose fields are malformed (missing, over-long) is a bad request (400); a wrong
    password is an ordinary answer, the page again with its message (200)."""

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if any(name != NON_FIELD_ERRORS for name in form.errors):
            response.status_code = 400
        return response
