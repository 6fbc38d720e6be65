"""The control API under /_usersim/: how tests drive the simulator itself."""
