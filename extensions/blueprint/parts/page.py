"""The page part: an app-router route, checked, and the names its templates need.

`route` is a URL path like `/campaigns` or `/campaigns/[id]`: lowercase kebab-case segments and
`[param]` dynamic segments. The page lands in `frontend/app/<route>/`. Copier renders a templated
path part that contains `/` as several folders (it builds the path with `Path(*parts)`), so the
template folder is one part, `{{ unit.page.route_dir … }}`; the exclude patterns escape `[` `]`
(extensions/blueprint/unit.py), or gitignore syntax would read `[id]` as a character class.
"""

from __future__ import annotations

import re
from typing import Any

from .. import naming

MAX_DEPTH = 6
STATIC = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
DYNAMIC = re.compile(r"\[([a-z][A-Za-z0-9]*(?:_[a-z0-9]+)*)\]")
ROUTE_HELP = (
    "a route starts with `/` and has 1 to 6 segments separated by single `/`: lowercase kebab-case words "
    "(`campaigns`, `lead-cards`) or dynamic segments `[param]` with a camelCase or snake_case name "
    "(`[id]`, `[campaignId]`), e.g. `/campaigns` or `/campaigns/[id]`"
)


class RouteError(ValueError):
    pass


def segments(route: Any) -> list[str]:
    """The route's segments; RouteError says what is wrong."""
    if not isinstance(route, str) or not route.startswith("/"):
        raise RouteError(f"the route {route!r} does not start with `/`")
    if route == "/":
        raise RouteError("`/` is the host's home page (frontend/app/page.tsx): give a route below it")
    parts = route[1:].split("/")
    if len(parts) > MAX_DEPTH:
        raise RouteError(f"the route {route!r} has {len(parts)} segments: at most {MAX_DEPTH}")
    params: list[str] = []
    for part in parts:
        if not part:
            raise RouteError(f"the route {route!r} has an empty segment (a `//` or a trailing `/`)")
        if len(part) > naming.MAX_LENGTH + 2:
            raise RouteError(f"the segment {part!r} is longer than {naming.MAX_LENGTH} characters")
        if match := DYNAMIC.fullmatch(part):
            param = match.group(1)
            if param in naming.TS_RESERVED:
                raise RouteError(f"the parameter {param!r} is a TypeScript reserved word: choose another name")
            if param in params:
                raise RouteError(f"the parameter {param!r} appears twice in {route!r}")
            params.append(param)
        elif not STATIC.fullmatch(part):
            raise RouteError(f"the segment {part!r} of {route!r} is neither a kebab-case word nor a `[param]`")
    return parts


def route_problem(value: Any, answers: dict[str, Any]) -> str:
    try:
        segments(value)
    except RouteError as error:
        return f"{error}; {ROUTE_HELP}."
    return ""


VALIDATORS = {"route": route_problem}


def derive(unit: Any) -> dict[str, Any]:
    route = unit.answers.get("route") or f"/{unit.name}"
    parts = segments(route)
    params = [m.group(1) for p in parts if (m := DYNAMIC.fullmatch(p))]
    # Test values of the params: the last one is the item's id.
    samples = {param: ("42" if i == len(params) - 1 else f"{param.lower()}-{i + 1}") for i, param in enumerate(params)}
    api_parts = [f"${{encodeURIComponent(params.{m.group(1)})}}" if (m := DYNAMIC.fullmatch(p)) else p for p in parts]

    def sample_path(values: dict[str, str]) -> str:
        return "/" + "/".join(values[m.group(1)] if (m := DYNAMIC.fullmatch(p)) else p for p in parts)

    pascal, camel = unit.pascal, unit.camel
    return {
        "route": route,
        "route_dir": "/".join(parts),
        "dir": "frontend/app/" + "/".join(parts),
        "params": params,
        "samples": samples,
        "detail": bool(params) and DYNAMIC.fullmatch(parts[-1]) is not None,  # one item, else a list
        "api_path": "`/" + "/".join(api_parts) + "`" if params else '"/' + "/".join(parts) + '"',
        "sample_api_path": sample_path(samples),
        # The same path with the last param "a/b c": what the loader must URL-encode.
        "encoded_api_path": sample_path({**samples, params[-1]: "a%2Fb%20c"}) if params else "",
        "component": f"{pascal}Page",
        "params_type": f"{pascal}Params",
        "props_type": f"{pascal}PageProps",
        "data_type": f"{pascal}Data",
        "item_type": f"{pascal}Item",
        "schema": f"{camel}DataSchema",
        "item_schema": f"{camel}ItemSchema",
        "loader": f"load{pascal}Data",
        "path_fn": f"{camel}ApiPath",
    }
