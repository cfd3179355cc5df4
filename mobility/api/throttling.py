"""Per-client throttling: each API key by its own rate, each person by the user rate, anonymous
callers by address (X-Forwarded-For only as far as our `NUM_PROXIES` proxies vouch for it).
A refusal is a 429 problem with `Retry-After` (seconds)."""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from mobility.accounts.security import client_ip
from mobility.api.principal import caller_of


class ClientRateThrottle(SimpleRateThrottle):
    cache_format = "throttle_client_%(ident)s"

    def __init__(self) -> None:  # rates are read per request (settings may change in tests)
        self.rate = None
        self.num_requests = 0
        self.duration = 60

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        caller = caller_of(request)
        rates = api_settings.DEFAULT_THROTTLE_RATES
        if caller.key is not None:
            self.rate = f"{caller.key.rate_per_minute}/minute"
            ident = f"key{caller.key.pk}"
        elif caller.is_person:
            self.rate = str(rates["user"]) if rates.get("user") else None
            ident = f"user{caller.user.pk}"
        else:
            self.rate = str(rates["anon"]) if rates.get("anon") else None
            ident = "anon" + (self.get_ident(request) or "-")
        if self.rate is None:
            return None
        num_requests, duration = self.parse_rate(self.rate)
        self.num_requests, self.duration = int(num_requests or 0), int(duration or 60)
        return self.cache_format % {"ident": ident}

    def get_ident(self, request: Request) -> str:
        """The client address, trusting only our own proxies (`NUM_PROXIES`)."""
        return client_ip(request)

    def allow_request(self, request: Request, view: Any) -> bool:
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.history = self.cache.get(self.key, [])
        self.now = self.timer()
        while self.history and self.history[-1] <= self.now - self.duration:
            self.history.pop()
        if len(self.history) >= self.num_requests:
            return self.throttle_failure()
        return self.throttle_success()
