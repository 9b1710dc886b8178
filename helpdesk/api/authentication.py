"""Token authentication from the cache (helpdesk.principal); refusals stay DRF's own."""

from rest_framework.authentication import TokenAuthentication

from helpdesk import principal


class CachedTokenAuthentication(TokenAuthentication):
    """DRF's TokenAuthentication (same header, same answers) without its query per request."""

    def authenticate_credentials(self, key):
        found = principal.authenticate(key)
        if found is None:
            # Not cached here, unknown or inactive: DRF looks it up and words any refusal.
            return super().authenticate_credentials(key)
        return found
