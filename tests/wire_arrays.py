"""A schemathesis hook, registered on import: array query values go as the wire sends them.

`?sortOrders=x` is the same request whether the case held "x" or ["x"], and the server
rightly serves it. schemathesis 4.32.5 discounts the opposite mutation (an array for a
scalar) in `negative_data_rejection`, not this one, so NextGen runs (the stateful ones
most often) reported a valid request as ST201 ("was array, became string"). Writing the
value as the list it is on the wire lets the check judge what was sent; nothing else
changes. The OpenAPI contract tests import this module; `make fuzz` gets it through them.
"""

from __future__ import annotations

import schemathesis


@schemathesis.hook
def before_call(
    context: schemathesis.HookContext, case: schemathesis.Case, **kwargs: object
) -> None:
    query = case.query
    parameters = getattr(case.operation, "query", None)
    if not isinstance(query, dict) or parameters is None:
        return
    listed = {}
    for name, value in query.items():
        parameter = parameters.get(name)
        is_array = parameter is not None and parameter.validation_schema.get("type") == "array"
        if is_array and isinstance(value, str):
            listed[name] = [value]
    if listed:
        case.query = {**query, **listed}
