"""Signing in for development: a token for a chosen tenant and user, signed with the local secret.

Only for `VECTRA_ENVIRONMENT=local`: the API mounts `app.api.local_auth` (the `/login` page's
route) in that environment alone, and `make token tenant=<t> [user=<u>]` (this module run as a
script) refuses any other. Production accepts only the tokens of the team's identity provider
(see backend/README.md, "Access tokens").
"""

from __future__ import annotations

import argparse
import sys

from app.core.config import Settings, env_var, get_settings
from app.core.security import MAX_TENANT_ID_LENGTH, create_access_token

LOCAL_ENVIRONMENT = "local"
DEFAULT_SUBJECT = "dev"
MAX_SUBJECT_LENGTH = 255


class LocalSignInError(Exception):
    """Why a local token cannot be issued (wrong environment, bad tenant or user)."""


def check_identity(tenant_id: str, subject: str) -> tuple[str, str]:
    """The tenant and user, stripped; `LocalSignInError` when one is empty or too long."""
    tenant_id, subject = tenant_id.strip(), subject.strip()
    if not tenant_id or len(tenant_id) > MAX_TENANT_ID_LENGTH:
        raise LocalSignInError(f"the tenant must have 1 to {MAX_TENANT_ID_LENGTH} characters")
    if not subject or len(subject) > MAX_SUBJECT_LENGTH:
        raise LocalSignInError(f"the user must have 1 to {MAX_SUBJECT_LENGTH} characters")
    return tenant_id, subject


def issue_local_token(tenant_id: str, subject: str, *, settings: Settings | None = None) -> str:
    """An access token for `subject` in `tenant_id`, only in the local environment."""
    settings = settings or get_settings()
    if settings.environment != LOCAL_ENVIRONMENT:
        raise LocalSignInError(
            f"local sign-in exists only with {env_var('environment')}={LOCAL_ENVIRONMENT} "
            f"(here: {settings.environment}); use a token of the identity provider"
        )
    tenant_id, subject = check_identity(tenant_id, subject)
    return create_access_token(subject, tenant_id, settings=settings)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="make token", description="Print a bearer token for local scripts and curl."
    )
    parser.add_argument("--tenant", default="", help="the tenant id (claim tenant_id)")
    parser.add_argument("--user", default=DEFAULT_SUBJECT, help="the user id (claim sub)")
    args = parser.parse_args(argv)
    if not args.tenant.strip():
        print("Give a tenant: make token tenant=<tenant> [user=<user>]", file=sys.stderr)
        return 2
    try:
        settings = get_settings()
        token = issue_local_token(args.tenant, args.user, settings=settings)
    except (LocalSignInError, ValueError) as exc:
        print(f"Cannot issue a token: {exc}", file=sys.stderr)
        return 1
    if settings.uses_process_secret:
        print(
            f"Warning: {env_var('jwt_secret')} is not set (run `make setup`): this token is "
            "signed with a secret of this process only and the API will refuse it.",
            file=sys.stderr,
        )
    print(token)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
