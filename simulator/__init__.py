"""usersim: a stateful simulator of vendor user-management APIs for contract testing."""

__version__ = "0.1.0"
