"""The control API under /_usersim/: how tests drive the simulator itself."""

from simulator.control.face import FACE

__all__ = ["FACE"]
