"""Who may call the CDS Hooks service: the EHR's signed JWT, checked as CDS Hooks 2.0 asks.

Each call carries `Authorization: Bearer <JWT>` signed by the EHR. The service trusts only the
issuers the operator lists, each with the URL of its JWKS (the `jku` header of a token is never
followed, so a caller cannot point us at keys of its choosing). A token is accepted when its
signature verifies with its issuer's key, `aud` is this service's URL, `exp` has not passed, and
its `jti` has not been seen before (per process, while the token is valid).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

ALGORITHMS = ["ES384", "RS384", "ES256", "RS256", "ES512", "RS512"]  # CDS Hooks: ES384, RS384
JWKS_TIMEOUT_SECONDS = 3
REQUIRED_CLAIMS = ["iss", "aud", "exp", "iat", "jti"]


class CdsAuthError(Exception):
    """The call is not from a trusted EHR: HTTP 401 with this reason."""


@dataclass(frozen=True)
class CdsPolicy:
    """What the CDS Hooks routes need from the deployment's settings."""

    issuers: dict[str, str]  # issuer -> JWKS URL
    allow_unsigned: bool = False
    fhir_servers: tuple[str, ...] = ()
    public_url: str = ""  # the service's public base URL; empty: the request's own


@dataclass
class _SeenIds:
    """jti values already accepted, forgotten once their token has expired."""

    until: dict[str, float] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def first_use(self, key: str, expires: float) -> bool:
        now = time.time()
        with self.lock:
            for old in [k for k, t in self.until.items() if t < now]:
                del self.until[old]
            if key in self.until:
                return False
            self.until[key] = expires
            return True


_SEEN = _SeenIds()
_CLIENTS: dict[str, Any] = {}


def _jwks_client(url: str) -> Any:
    from jwt import PyJWKClient

    client = _CLIENTS.get(url)
    if client is None:
        client = _CLIENTS[url] = PyJWKClient(url, cache_keys=True, timeout=JWKS_TIMEOUT_SECONDS)
    return client


def verify(authorization: str | None, policy: CdsPolicy, audience: str) -> dict[str, Any] | None:
    """The token's claims, or None for an unsigned call the policy allows; CdsAuthError else.

    Blocking (it may read the issuer's JWKS): call it from a worker thread.
    """
    import jwt

    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        if policy.allow_unsigned:
            return None
        raise CdsAuthError("a signed JWT from a trusted EHR is required (Authorization: Bearer)")
    token = token.strip()
    try:
        unverified = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError as error:
        raise CdsAuthError(f"the token is not a JWT: {error}") from None
    issuer = unverified.get("iss")
    if not isinstance(issuer, str) or issuer not in policy.issuers:
        raise CdsAuthError("the token's issuer is not one this service trusts")
    try:
        key = _jwks_client(policy.issuers[issuer]).get_signing_key_from_jwt(token)
        claims: dict[str, Any] = jwt.decode(
            token,
            key.key,
            algorithms=ALGORITHMS,
            audience=audience,
            issuer=issuer,
            options={"require": REQUIRED_CLAIMS},
            leeway=30,
        )
    except jwt.PyJWKClientError as error:
        raise CdsAuthError(f"no key of the issuer verifies the token: {error}") from None
    except jwt.PyJWTError as error:
        raise CdsAuthError(f"the token was refused: {error}") from None
    if not _SEEN.first_use(f"{issuer} {claims['jti']}", float(claims["exp"]) + 60):
        raise CdsAuthError("the token was already used (jti seen before)")
    return claims
