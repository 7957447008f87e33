"""Flinks Capital as an institution: behind the port of :mod:`finstance.core.institution`."""

from __future__ import annotations

from datetime import timedelta
from functools import lru_cache

from finstance.core import errors
from finstance.core.institution import ProfileRequest
from finstance.core.profile import BankProfile
from finstance.sandbox import bank
from finstance.sandbox.generator import generate_profile

# A profile is a pure function of its user, country, day and login, and immutable: the logins refreshed again
# and again (a sandbox's few test users) are generated once a day per process. About 200 KB each.
_generated = lru_cache(maxsize=32)(generate_profile)


class FlinksCapital:
    """The sandbox bank: a scenario user's synthetic, deterministic profile, or its scenario's error."""

    name = bank.INSTITUTION

    def profile(self, request: ProfileRequest) -> BankProfile:
        scenario = bank.find_scenario(request.username)
        if scenario is None:
            raise errors.InvalidUsername()
        if scenario.job_error is not None:
            raise scenario.job_error()
        profile = _generated(request.username, request.country, request.today, salt=request.login_id)
        if request.history_days is not None:
            profile = profile.since(request.today - timedelta(days=request.history_days))
        return profile
