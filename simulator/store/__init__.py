"""The ground floor: in-memory state per vendor and the machinery they share.

Nothing in this package knows about HTTP. Faces translate requests into calls on the
vendor stores and render what they return or raise.
"""
