"""The client's address, for login lockouts (django-axes) and the audit log.

Without trusted proxies it is the connection's address: an `X-Forwarded-For` header could be
written by anyone. Behind `TRUSTED_PROXY_COUNT` proxies, each of which appends the address it
received the request from, the client is that many entries from the right; anything a client
forged itself stays further left and is not believed.
"""

import ipaddress

from django.conf import settings


def client_ip(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [hop for hop in hops if hop]
        if len(hops) >= proxies:
            candidate = hops[-proxies]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                return remote
    return remote
