"""The contract versions the face serves, each an executable schema built from its SDL.

The current contract answers `users` with a connection (`{ nodes totalCount }`), as the
docs show it today; the 2023-08 contract answers a bare list, as the 2023 schema (and
the docs' second `users` sample) has it. The SDL files are the contracts: the resolvers
are bound to them, never the other way round.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from simulator.records import record
from simulator.resources import contracts_dir

if TYPE_CHECKING:
    from graphql import GraphQLSchema


@record
class ContractVersion:
    name: str
    file: str
    path: str
    users_as_list: bool = False


CURRENT = ContractVersion("current", "rapidapi-platform.graphql", "/rapidapi/graphql")
V2023_08 = ContractVersion(
    "2023-08", "rapidapi-platform-2023-08.graphql", "/rapidapi/2023-08/graphql", users_as_list=True
)
VERSIONS = (CURRENT, V2023_08)


def build_schema(version: ContractVersion = CURRENT) -> GraphQLSchema:
    """ariadne, graphql-core and the resolvers are imported here, off the start-up path
    (simulator/graphql/deferred.py)."""
    from ariadne import make_executable_schema

    from simulator.rapidapi.mutations import mutation_type
    from simulator.rapidapi.queries import query_type
    from simulator.rapidapi.types import BINDABLES

    type_defs = (contracts_dir() / version.file).read_text(encoding="utf-8")
    return make_executable_schema(
        type_defs,
        query_type(users_as_list=version.users_as_list),
        mutation_type,
        *BINDABLES,
        convert_names_case=False,
    )
