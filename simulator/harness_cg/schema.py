"""The executable CurrentGen schema: the contract's SDL with the resolvers bound to it."""

from __future__ import annotations

from functools import cache

from ariadne import make_executable_schema
from graphql import GraphQLSchema

from simulator.harness_cg.mutations import mutation
from simulator.harness_cg.queries import query
from simulator.harness_cg.types import BINDABLES
from simulator.resources import contracts_dir

CONTRACT_FILE = "harness-cg.graphql"


def contract_sdl() -> str:
    return (contracts_dir() / CONTRACT_FILE).read_text(encoding="utf-8")


@cache
def build_schema() -> GraphQLSchema:
    """Built once per process: resolvers keep no state, the store comes with each request."""
    return make_executable_schema(
        contract_sdl(), query, mutation, *BINDABLES, convert_names_case=False
    )
