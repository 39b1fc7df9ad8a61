"""API throttles whose rates are read on each request, not frozen at import.

DRF's SimpleRateThrottle copies DEFAULT_THROTTLE_RATES into a class attribute when it is
imported, so a changed setting (an override in a test, a rate of None that switches a
throttle off) would not be seen. These read the current setting instead.
"""
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle, UserRateThrottle


class _CurrentRates:
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonThrottle(_CurrentRates, AnonRateThrottle):
    pass


class UserThrottle(_CurrentRates, UserRateThrottle):
    pass


class ScopedThrottle(_CurrentRates, ScopedRateThrottle):
    pass
