"""Outbound's tables: data recipients (OAuth clients) and their provider registrations, the end-users'
consents, the authorization codes, and the consent pages' flows.

Secrets are kept only as hashes: client secrets, authorization codes, refresh tokens. Access tokens are not
stored at all: they are JWTs signed with the instance's key (:mod:`finstance.outbound.keys`), checked against
their consent on every call, so revoking the consent refuses them at once.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from finstance.core.store.tables import GUID, Base
from finstance.core.store.types import EnumText, UTCDateTime

CLIENT_ID = String(64)


class RegistrationStatus(enum.StrEnum):
    """Where a recipient's registration with a data provider stands (Flinks' three states)."""

    PENDING_APPROVAL = "PENDING_APPROVAL"
    PENDING_ACTIVATION = "PENDING_ACTIVATION"
    ACTIVE = "ACTIVE"


class ConsentScreen(enum.StrEnum):
    """The screen of the consent pages an end-user is on."""

    LOGIN = "login"
    MFA = "mfa"
    CONSENT = "consent"  # accounts and scopes, approve or deny
    DONE = "done"  # redirected back to the recipient
    ERROR = "error"


class Recipient(Base):
    """A data recipient: an OAuth client of this instance, registered with the CLI."""

    __tablename__ = "outbound_recipients"
    client_id: Mapped[str] = mapped_column(CLIENT_ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    secret_hash: Mapped[str] = mapped_column(String(80))
    redirect_uris: Mapped[list[str]] = mapped_column(JSON, default=list)
    description: Mapped[str | None] = mapped_column(Text)
    logo_uri: Mapped[str | None] = mapped_column(Text)
    terms_uri: Mapped[str | None] = mapped_column(Text)
    client_uri: Mapped[str | None] = mapped_column(Text)
    contacts: Mapped[list[str]] = mapped_column(JSON, default=list)  # e-mail addresses
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    secret_rotated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Registration(Base):
    """A recipient's registration with a data provider (here: the instance's own institutions)."""

    __tablename__ = "outbound_registrations"
    client_id: Mapped[str] = mapped_column(
        CLIENT_ID, ForeignKey("outbound_recipients.client_id", ondelete="CASCADE"), primary_key=True
    )
    provider_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    status: Mapped[RegistrationStatus] = mapped_column(EnumText(RegistrationStatus, 24))
    requested_on: Mapped[datetime] = mapped_column(UTCDateTime)


class Consent(Base):
    """What one end-user (a login of this instance) granted one recipient: accounts and scopes.

    Its refresh token (one per consent, not rotated) is stored as a hash; ``refresh_used_at`` measures its
    idle time. A revoked consent refuses its access and refresh tokens.
    """

    __tablename__ = "outbound_consents"
    id: Mapped[str] = mapped_column(GUID, primary_key=True)
    client_id: Mapped[str] = mapped_column(
        CLIENT_ID, ForeignKey("outbound_recipients.client_id", ondelete="CASCADE"), index=True
    )
    login_id: Mapped[str] = mapped_column(GUID, index=True)
    subject: Mapped[str] = mapped_column(
        GUID
    )  # the token's ``sub``: the end-user as this recipient sees them
    provider_id: Mapped[int] = mapped_column(Integer)
    scopes: Mapped[list[str]] = mapped_column(JSON, default=list)
    account_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    refresh_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    refresh_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AuthorizationCode(Base):
    """A code handed to the recipient's redirect_uri: single use, short-lived, bound to its PKCE challenge."""

    __tablename__ = "outbound_codes"
    code_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    consent_id: Mapped[str] = mapped_column(GUID, ForeignKey("outbound_consents.id", ondelete="CASCADE"))
    client_id: Mapped[str] = mapped_column(CLIENT_ID)
    redirect_uri: Mapped[str] = mapped_column(Text)
    scope: Mapped[str] = mapped_column(Text)
    code_challenge: Mapped[str | None] = mapped_column(String(128))
    code_challenge_method: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ConsentFlow(Base):
    """One end-user's pass through the consent pages. The id is the flow's capability: unguessable, minted by
    the instance, carried in the page's forms."""

    __tablename__ = "outbound_consent_flows"
    id: Mapped[str] = mapped_column(GUID, primary_key=True)
    client_id: Mapped[str] = mapped_column(CLIENT_ID)
    # The validated authorization request: redirect_uri, scope, state, code_challenge(+method), provider_id,
    # correlation_id, language.
    request: Mapped[dict[str, Any]] = mapped_column(JSON)
    screen: Mapped[ConsentScreen] = mapped_column(EnumText(ConsentScreen))
    login_id: Mapped[str | None] = mapped_column(GUID, index=True)
    request_id: Mapped[str | None] = mapped_column(GUID)  # the Connect session of the sign-in
    attempt: Mapped[str | None] = mapped_column(String(32))  # the nonce the sign-in's token is derived from
    error_code: Mapped[str | None] = mapped_column(String(64))  # why the screen is shown again, or the error
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
