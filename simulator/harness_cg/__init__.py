"""The Harness CurrentGen GraphQL face (`/gateway/api/graphql`): users, user groups, permissions."""

from simulator.harness_cg.face import FACE

__all__ = ["FACE"]
