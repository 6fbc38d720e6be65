"""API key hashes: a presented key's hash is remembered, within bounds."""

from __future__ import annotations

from simulator.store import credentials


def test_a_presented_key_hashes_as_a_stored_one() -> None:
    assert credentials.hash_presented_token("usersim-admin-key") == credentials.hash_token(
        "usersim-admin-key"
    )


def test_only_short_presented_keys_are_remembered_and_at_most_256_of_them() -> None:
    remembered = credentials._remembered_hash
    remembered.cache_clear()
    long_token = "k" * 257
    assert credentials.hash_presented_token(long_token) == credentials.hash_token(long_token)
    assert remembered.cache_info().currsize == 0
    for n in range(300):
        credentials.hash_presented_token(f"key-{n}")
    assert remembered.cache_info().currsize == 256
