"""Frozen records: read-only copies of JSON-like data for nested values, and a quick
constructor for the records themselves."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import MISSING, fields
from types import MappingProxyType
from typing import Any, TypeVar, cast

T = TypeVar("T")


def freeze(value: Any) -> Any:
    """Dicts become read-only mappings and lists become tuples, all the way down."""
    if isinstance(value, Mapping):
        return MappingProxyType({key: freeze(item) for key, item in value.items()})
    if isinstance(value, (list, tuple)):
        return tuple(freeze(item) for item in value)
    return value


def thaw(value: Any) -> Any:
    """The inverse of `freeze`: plain dicts and lists, ready for JSON."""
    if isinstance(value, Mapping):
        return {key: thaw(item) for key, item in value.items()}
    if isinstance(value, tuple):
        return [thaw(item) for item in value]
    return value


def quick_init(cls: type[T]) -> type[T]:
    """Give a frozen, slotted dataclass an `__init__` that is quicker to call.

    A frozen dataclass's own `__init__` sets each field through `object.__setattr__`,
    which looks the field up on the class every time; a 100k-user fixture builds about
    half a million records at start, and those lookups were a large part of
    loading it. This one calls each slot's own setter directly, with the same
    parameters, defaults, default factories and `__post_init__`, so a record built
    either way is the same record (and still refuses assignment afterwards). A class
    this does not cover (keyword-only fields, init-only variables) is refused here, at
    import, rather than built differently.
    """
    params = getattr(cls, "__dataclass_params__", None)
    if params is None or not params.frozen or "__slots__" not in cls.__dict__:
        raise TypeError(f"{cls.__name__} is not a frozen, slotted dataclass")
    namespace: dict[str, Any] = {"_missing": _MISSING}
    arguments, body = [], []
    for item in fields(cast(Any, cls)):
        name = item.name
        namespace[f"_set_{name}"] = cls.__dict__[name].__set__
        default = None  # the expression of the field's default, if it has one
        if item.default is not MISSING:
            namespace[f"_default_{name}"] = item.default
            default = f"_default_{name}"
        elif item.default_factory is not MISSING:
            namespace[f"_factory_{name}"] = item.default_factory
            default = f"_factory_{name}()"
        if not item.init:
            if default is not None:  # without one it is left unset, as dataclasses do
                body.append(f"    _set_{name}(self, {default})")
        elif default is None:
            arguments.append(name)
            body.append(f"    _set_{name}(self, {name})")
        elif item.default is not MISSING:
            arguments.append(f"{name}={default}")
            body.append(f"    _set_{name}(self, {name})")
        else:
            arguments.append(f"{name}=_missing")
            body.append(f"    _set_{name}(self, {default} if {name} is _missing else {name})")
    if hasattr(cls, "__post_init__"):
        body.append("    self.__post_init__()")
    source = f"def __init__(self, {', '.join(arguments)}):\n" + "\n".join(body or ["    pass"])
    exec(source, namespace)  # how dataclasses themselves build __init__
    init = namespace["__init__"]
    if _parameters(init) != _parameters(cls.__init__):
        raise TypeError(f"{cls.__name__}: its __init__ takes parameters quick_init cannot build")
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__doc__ = cls.__init__.__doc__
    cls.__init__ = init  # type: ignore[method-assign]
    return cls


def _parameters(function: Callable[..., Any]) -> tuple[object, ...]:
    """A function's parameter names, kinds and how many have defaults (without `inspect`,
    which costs more at import than building the function did)."""
    code = function.__code__
    count = code.co_argcount + code.co_kwonlyargcount
    return (
        code.co_varnames[:count],
        code.co_argcount,
        code.co_flags & (inspect.CO_VARARGS | inspect.CO_VARKEYWORDS),
        len(function.__defaults__ or ()),
        sorted(function.__kwdefaults__ or ()),
    )


class _Missing:
    """An argument a caller left out, where the field's default comes from a factory."""

    def __repr__(self) -> str:
        return "MISSING"


_MISSING = _Missing()
