"""The RapidAPI Enterprise Hub GraphQL Platform API face (users, teams, roles)."""

from simulator.rapidapi.face import FACE

__all__ = ["FACE"]
