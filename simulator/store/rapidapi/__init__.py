"""The RapidAPI Enterprise Hub state model (users, organizations, teams, roles, apps)."""

from simulator.store.rapidapi.store import RapidApiStore

__all__ = ["RapidApiStore"]
