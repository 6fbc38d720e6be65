"""The executable CurrentGen schema: the contract's SDL with the resolvers bound to it.

ariadne, graphql-core and the resolvers are imported when the schema is built, which
happens off the start-up path (simulator/graphql/deferred.py).
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from simulator.resources import contracts_dir

if TYPE_CHECKING:
    from graphql import GraphQLSchema

CONTRACT_FILE = "harness-cg.graphql"


def contract_sdl() -> str:
    return (contracts_dir() / CONTRACT_FILE).read_text(encoding="utf-8")


@cache
def build_schema() -> GraphQLSchema:
    """Built once per process: resolvers keep no state, the store comes with each request."""
    from ariadne import make_executable_schema

    from simulator.harness_cg.mutations import mutation
    from simulator.harness_cg.queries import query
    from simulator.harness_cg.types import BINDABLES

    return make_executable_schema(
        contract_sdl(), query, mutation, *BINDABLES, convert_names_case=False
    )
