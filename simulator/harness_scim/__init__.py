"""Harness's SCIM 2.0 API: identity providers provision users and groups into accounts."""

from simulator.harness_scim.face import FACE

__all__ = ["FACE"]
