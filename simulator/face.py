"""What a face is to the rest of usersim: a `Face` record, exported by each face package.

A face is one vendor API as clients see it (its paths, wire shapes and errors). Everything
that is the same for every face (the app's routing, the body limit, the journal, the fault
engine, the docs, the start-up banner) reads these records from `simulator.registry` and
never names a face. Adding a face is a package that exports a `Face` plus one line there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import field
from typing import TYPE_CHECKING, Protocol

from starlette.responses import Response
from starlette.routing import BaseRoute
from starlette.types import Scope

from simulator.graphql.bounds import QueryLimits
from simulator.records import record
from simulator.scenarios.policies import PagePolicy
from simulator.scenarios.rules import FaultError

if TYPE_CHECKING:
    from simulator.runtime import Simulator


class FaceErrors(Protocol):
    """The answers every face (and the control API) gives in its own shape."""

    def unauthorized(self) -> Response:
        """401: no credentials, or credentials the face does not know."""
        ...

    def not_found(self) -> Response:
        """A path under the face's prefixes that no operation serves (any method)."""
        ...

    def method_not_allowed(self, allowed: Iterable[str]) -> Response:
        """405 for a path the face serves, naming the methods it takes."""
        ...

    def too_large(self, message: str, status: int = 413) -> Response:
        """The request is over a size limit `message` states: 413 for its body, 431 for
        its headers."""
        ...


class FaultErrors(FaceErrors, Protocol):
    """What a face that fault rules can target also renders."""

    def fault(self, error: FaultError) -> Response:
        """An injected error: a fault rule's, a preset's, or a rate limit's 429."""
        ...

    def bad_fault_header(self, problems: Sequence[str]) -> Response:
        """An X-Usersim-Fault header that cannot be read."""
        ...


@record
class Settings:
    """App-wide options a face's routes may need.

    `deferred` collects work a face's routes leave for after the start (building a
    GraphQL endpoint): the app runs it in a background thread once the server runs.
    """

    control_token: str | None = None
    graphql_limits: QueryLimits = field(default_factory=QueryLimits)
    deferred: list[Callable[[], object]] = field(default_factory=list)


RouteBuilder = Callable[["Simulator", Settings], Sequence[BaseRoute]]


@record
class PublishedContract:
    """A published contract of a face, for the docs: the file and where it is served.

    `where` completes the sentence "served ..."; `variant_of` names the face's main
    contract when this one is an older shape of the same operations at another path.
    """

    file: str
    where: str
    variant_of: str | None = None


@record
class Face:
    """One API usersim serves.

    `name` is how fault rules, policies, the journal and coverage name the face;
    `prefixes` and `paths` say which requests belong to it (the longest match wins, so a
    face may live under another's prefix), and `claims` decides for requests no path
    names (RapidAPI's root, chosen by a header). `journaled` and `faultable` are off only
    for the control API, which observes the faces rather than being one.
    """

    name: str
    title: str
    routes: RouteBuilder
    errors: FaceErrors
    contracts: tuple[PublishedContract, ...]
    home: str  # the path a client starts from, for the banner and the ready probe
    hint: str = ""  # a word on `home` for the banner
    prefixes: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()
    claims: Callable[[Scope], bool] | None = None
    page_policy: PagePolicy = field(default_factory=PagePolicy)
    explorers: tuple[str, ...] = ()  # paths whose GET opens an explorer in a browser
    journaled: bool = True
    faultable: bool = True

    def owns(self, path: str) -> int:
        """How specifically this face's paths name `path`: 0 when they don't."""
        if path in self.paths:
            return len(path) + 1
        return max((len(p) for p in self.prefixes if path.startswith(p)), default=0)


# Paths carry ids, so clients send endlessly many: only so many owners are remembered.
_MAX_REMEMBERED_PATHS = 4096


class Faces:
    """The registered faces, and which one a request belongs to."""

    def __init__(self, faces: Sequence[Face]) -> None:
        names = [face.name for face in faces]
        if len(set(names)) != len(names):
            raise ValueError(f"face names must be unique: {names}")
        self.all = tuple(faces)
        self._by_path: dict[str, Face | None] = {}

    def __iter__(self) -> Iterator[Face]:
        return iter(self.all)

    def names(self) -> tuple[str, ...]:
        """Faces a fault rule may name."""
        return tuple(face.name for face in self.all if face.faultable)

    def page_policies(self) -> dict[str, PagePolicy]:
        """Each faultable face's default pagination: what the vendor does."""
        return {face.name: face.page_policy for face in self.all if face.faultable}

    def owner(self, scope: Scope) -> Face | None:
        """The face a request belongs to, if any."""
        path: str = scope["path"]
        if path in self._by_path:
            face = self._by_path[path]
        else:
            face = self._owner_of_path(path)
            if len(self._by_path) < _MAX_REMEMBERED_PATHS:
                self._by_path[path] = face
        if face is None:
            return next((f for f in self.all if f.claims is not None and f.claims(scope)), None)
        return face

    def _owner_of_path(self, path: str) -> Face | None:
        best, best_length = None, 0
        for face in self.all:
            length = face.owns(path)
            if length > best_length:
                best, best_length = face, length
        return best
