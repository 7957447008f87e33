"""Connect's hot reads in the fast lane (``core/http/fastlane.py``): a kept GetAccountsDetail.

The handler checks what the route checks (the x-api-key, a body the route's model accepts) and answers only
when :func:`finstance.connect.data.kept_detail` can, with the bytes the route would send; otherwise None,
and the route answers, errors included.
"""

from __future__ import annotations

from collections.abc import Mapping

import orjson
from pydantic import ValidationError

from finstance.connect import data, wire
from finstance.core.context import InstanceContext
from finstance.core.keys import key_matches


def accounts_detail(ctx: InstanceContext, headers: Mapping[bytes, bytes], body: bytes) -> bytes | None:
    if not headers.get(b"content-type", b"").lower().startswith(b"application/json"):
        return None  # how the route reads other bodies is the route's to say
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
    answer = data.kept_detail(ctx, options)
    return None if answer is None else orjson.dumps(answer)


# Bodies parsed before, by their bytes: a client repeats the same options, and parsing them again costs more
# than the rest of the check. The parsed requests are only read. Small bodies, a bounded number of them.
_PARSED: dict[bytes, wire.AccountsDetailRequest] = {}
_KEEP_BODIES = 1024
_KEEP_BODY_BYTES = 2048


ROUTES = {("POST", "/BankingServices/GetAccountsDetail"): accounts_detail}
