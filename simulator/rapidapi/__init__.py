"""The RapidAPI Enterprise Hub GraphQL Platform API face (users, teams, roles)."""
