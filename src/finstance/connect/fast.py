"""Connect's hot paths in the fast lane (``core/http/fastlane.py``): GenerateAuthorizeToken, a cached
Authorize and a GetAccountsDetail from the document cache, the steps of every cached flow.

Each handler checks what the route checks (the key, a body the route's model accepts) and answers only what
it can answer completely, with the bytes the route would send; otherwise None, and the route answers, errors
included. GetAccountsDetail is read first without writing (a session whose data calls have started with
these options); its write handler answers a session's first call, or new options, with the one UPDATE the
route makes too. A token is minted with its rate count in one transaction, a cached session opened in one
transaction (:func:`finstance.connect.sessions.open_cached`).
"""

from __future__ import annotations

from collections.abc import Mapping

import orjson
from pydantic import ValidationError

from finstance.connect import api, data, sessions, tokens, wire
from finstance.core.context import InstanceContext
from finstance.core.keys import key_matches
from finstance.core.product import FastRoute


def generate_authorize_token(
    ctx: InstanceContext, headers: Mapping[bytes, bytes], _body: bytes
) -> bytes | None:
    """The route reads no body: only the secret key."""
    secret_key = headers.get(b"flinks-auth-key")
    if secret_key is None or not key_matches(secret_key.decode("latin-1"), ctx.key_hashes()[0]):
        return None
    token = tokens.generate_within_limits(ctx)
    return None if token is None else orjson.dumps({"HttpStatusCode": 200, "Token": token})


def authorize(ctx: InstanceContext, headers: Mapping[bytes, bytes], body: bytes) -> bytes | None:
    """A cached Authorize (a LoginId; MostRecentCached true or left out): one transaction."""
    token = headers.get(b"flinks-auth-key")
    if token is None or not _json(headers):
        return None
    try:
        request = wire.AuthorizeRequest.model_validate_json(body)
    except ValidationError:
        return None
    if request.username is not None or request.password is not None or request.institution is not None:
        return None  # the route says what credentials beside a LoginId mean
    inp = sessions.AuthorizeInput(
        login_id=request.login_id,
        most_recent_cached=request.most_recent_cached,
        request_id=request.request_id,
        security_responses=request.security_responses,
        tag=request.tag,
        save=request.save,
        schedule_refresh=request.schedule_refresh,
    )

    def answer(opened: sessions.CachedOpened) -> bytes:
        return orjson.dumps(api.authorized(opened.request_id, opened.institution, opened.tag, opened.login))

    return sessions.open_cached(ctx, token.decode("latin-1"), inp, answer)


def _json(headers: Mapping[bytes, bytes]) -> bool:
    """Whether the body is JSON as the route reads it (how it reads others is the route's to say)."""
    return headers.get(b"content-type", b"").lower().startswith(b"application/json")


def accounts_detail(ctx: InstanceContext, headers: Mapping[bytes, bytes], body: bytes) -> bytes | None:
    """A session whose data calls have started with these options: a pure read."""
    options = _detail_request(ctx, headers, body)
    return None if options is None else data.kept_detail(ctx, options)


def accounts_detail_touching(
    ctx: InstanceContext, headers: Mapping[bytes, bytes], body: bytes
) -> bytes | None:
    """A session's first GetAccountsDetail, or new options: the answer, and the session's one UPDATE."""
    options = _detail_request(ctx, headers, body)
    return None if options is None else data.kept_detail(ctx, options, touch=True)


def _detail_request(
    ctx: InstanceContext, headers: Mapping[bytes, bytes], body: bytes
) -> wire.AccountsDetailRequest | None:
    """The request the route would read, when it would read one and its x-api-key is right."""
    if not _json(headers):
        return None
    api_key = headers.get(b"x-api-key")
    if api_key is None or not key_matches(api_key.decode("latin-1"), ctx.key_hashes()[1]):
        return None
    options = _PARSED.get(body)
    if options is None:
        try:
            options = wire.AccountsDetailRequest.model_validate_json(body)
        except ValidationError:
            return None
        if len(body) <= _KEEP_BODY_BYTES:
            if len(_PARSED) >= _KEEP_BODIES:
                _PARSED.clear()
            _PARSED[body] = options
    return options


# Bodies parsed before, by their bytes: a client repeats the same options, and parsing them again costs more
# than the rest of the check. The parsed requests are only read. Small bodies, a bounded number of them.
_PARSED: dict[bytes, wire.AccountsDetailRequest] = {}
_KEEP_BODIES = 1024
_KEEP_BODY_BYTES = 2048


ROUTES = {
    ("POST", "/BankingServices/GenerateAuthorizeToken"): FastRoute(write=generate_authorize_token),
    ("POST", "/BankingServices/Authorize"): FastRoute(write=authorize),
    ("POST", "/BankingServices/GetAccountsDetail"): FastRoute(accounts_detail, accounts_detail_touching),
}
