"""Who is calling: the context a key selects, and the human behind a team context.

`x-rapidapi-key` selects the calling context: a personal account (the key of a user's
app) or a team (the key of a team's app). In a team context the Platform API also needs
`x-rapidapi-identity-key`, the personal key of a member of that team, to know which
user acts. Header names are case-insensitive (Starlette's headers already are).
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response

from simulator.graphql import codes
from simulator.http import optional_header
from simulator.rapidapi import errors
from simulator.records import record
from simulator.store.rapidapi import RapidApiStore
from simulator.store.rapidapi.apps import KeyOwner
from simulator.store.rapidapi.models import ACTIVE, User

if TYPE_CHECKING:  # imported at start (the face's routes): graphql-core is not
    from graphql import GraphQLError

KEY_HEADER = "x-rapidapi-key"
HOST_HEADER = "x-rapidapi-host"
IDENTITY_HEADER = "x-rapidapi-identity-key"


def names_platform_api(host: str | None) -> bool:
    """Whether an x-rapidapi-host names the GraphQL Platform API: the public hub's
    `graphql-platform.p.rapidapi.com`, or an Enterprise Hub's `graphql-platform.<hub>.rapidapi.com`."""
    if not host:
        return False
    name = host.strip().lower().split(":", 1)[0]
    return name.startswith("graphql-platform") and name.endswith(".rapidapi.com")


@record
class Caller:
    """The context of a request and the user acting in it.

    `refusal` is set when a team context has no usable identity: the gateway let the
    request through, and the Platform API refuses it before running anything.
    """

    owner: KeyOwner
    identity: User | None = None
    refusal: GraphQLError | None = None

    @property
    def team_context(self) -> bool:
        return self.owner.team is not None

    @property
    def actor(self) -> User | None:
        return self.identity if self.team_context else self.owner.user

    @property
    def account_id(self) -> str:
        """How the journal names the context: `user:<id>` or `team:<id>`."""
        if self.owner.team is not None:
            return f"team:{self.owner.team.id}"
        assert self.owner.user is not None
        return f"user:{self.owner.user.id}"

    @property
    def rate_key(self) -> str:
        """Who the rate limit counts: the acting user, else the context itself."""
        actor = self.actor
        return f"user:{actor.id}" if actor is not None else self.account_id

    @property
    def cache_identity(self) -> Hashable:
        actor = self.actor
        return (self.account_id, None if actor is None else actor.id)


def authenticate(store: RapidApiStore, request: Request) -> Caller | Response:
    """The caller, or the gateway's refusal: 404 when x-rapidapi-host names another API,
    401 for an unknown key, 403 for the key of a user who may no longer use the hub
    (RapidAPI drops their subscriptions)."""
    headers = request.headers
    host = optional_header(headers, HOST_HEADER)
    if host is not None and not names_platform_api(host):
        return errors.gateway_error(404)
    token = headers.get(KEY_HEADER)
    owner = store.key_owner(token) if token else None
    if owner is None:
        return errors.gateway_error(401)
    if owner.user is not None:
        if owner.user.status != ACTIVE:
            return errors.gateway_error(403)
        return Caller(owner)
    identity_token = optional_header(headers, IDENTITY_HEADER)
    if not identity_token:
        return Caller(
            owner,
            refusal=_unauthenticated(
                f"Calls from a team context need the {IDENTITY_HEADER} header: the personal"
                " API key of a member of the team."
            ),
        )
    identity = store.key_owner(identity_token)
    if identity is None or identity.user is None or identity.user.status != ACTIVE:
        return Caller(
            owner,
            refusal=_unauthenticated(
                f"The {IDENTITY_HEADER} header is not the personal API key of an active user."
            ),
        )
    assert owner.team is not None
    if not store.access.is_team_member(owner.team, identity.user.id):
        return Caller(
            owner,
            identity.user,
            errors.api_error(
                codes.FORBIDDEN,
                f"User {identity.user.id} is not a member of team {owner.team.id}.",
            ),
        )
    return Caller(owner, identity.user)


def _unauthenticated(message: str) -> GraphQLError:
    return errors.api_error(codes.UNAUTHENTICATED, message)
