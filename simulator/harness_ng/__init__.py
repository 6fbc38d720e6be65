"""The Harness NextGen user REST face (`/ng/api/user...`)."""

from simulator.harness_ng.face import FACE

__all__ = ["FACE"]
