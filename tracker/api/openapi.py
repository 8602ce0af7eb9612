"""Routes declared with their schemas, and the OpenAPI description generated from them.

`Operations.route` registers a view on the blueprint together with the marshmallow
schemas of its path, query, body and responses. The wrapper parses and validates
with those schemas and serialises the view's result with them; `build_spec` turns
the very same declarations into OpenAPI 3. What is described is what runs.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import wraps

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Blueprint, jsonify, request
from marshmallow import Schema, ValidationError
from werkzeug.exceptions import NotFound
from werkzeug.wrappers import Response

from tracker.api import auth, schemas
from tracker.api.errors import BadRequest, UnsupportedMediaType
from tracker.core.i18n import N_

BODY_LIMIT = 64 * 1024  # a report's three texts of 2,000 characters fit many times over

ERRORS = {
    400: "The body is not valid JSON.",
    401: "No valid bearer token (revoked, unknown, or its user deactivated).",
    403: "The token's user may not do this.",
    404: "No such task, period or plan, or not found.",
    409: "The report is submitted (and not returned), or was changed since the given version.",
    413: "The body is too large.",
    415: "The body is not application/json.",
    428: "The report exists and the body has no `version`: send the version you last read.",
    422: "Invalid input; `error.fields` names each field's problem.",
    429: "Too many requests for this token; retry after the Retry-After seconds.",
}


ETAG = {"schema": {"type": "string"}, "description": "the answer's tag; send it back as If-None-Match"}
IF_NONE_MATCH = {"in": "header", "name": "If-None-Match", "required": False, "schema": {"type": "string"},
                 "description": "the ETag of an answer you hold: 304 (no body) while it is still the answer"}


@dataclass(frozen=True)
class Operation:
    rule: str
    method: str
    endpoint: str
    summary: str
    description: str
    path: type[Schema] | None
    query: type[Schema] | None
    body: type[Schema] | None
    responses: Mapping[int, type[Schema]]
    errors: tuple[int, ...]
    public: bool


@dataclass
class Operations:
    blueprint: Blueprint
    declared: list[Operation] = field(default_factory=list)

    def route(self, rule: str, method: str = "GET", *, summary: str, responses: Mapping[int, type[Schema]],
              path: type[Schema] | None = None, query: type[Schema] | None = None,
              body: type[Schema] | None = None, errors: tuple[int, ...] = (), public: bool = False) -> Callable:
        """Registers the view; it receives the loaded path values and `query=` as keywords, and
        `body=`: a function returning the loaded body, called once the view has authorised the caller.
        """

        def decorate(view: Callable) -> Callable:
            @wraps(view)
            def endpoint(**values):
                if not public:
                    auth.authenticate()
                kwargs = _load_path(path, values)
                if query is not None:
                    kwargs["query"] = query().load(request.args.to_dict())
                if body is not None:
                    kwargs["body"] = lambda: body().load(read_json())
                result = view(**kwargs)
                data, status = result if isinstance(result, tuple) else (result, next(iter(responses)))
                response = jsonify(responses[status]().dump(data))
                response.status_code = status
                return conditional(response) if method == "GET" else response

            self.blueprint.add_url_rule(rule, view.__name__, endpoint, methods=[method])
            self.declared.append(Operation(
                rule=rule, method=method.lower(), endpoint=view.__name__, summary=summary,
                description=(view.__doc__ or "").strip(), path=path, query=query, body=body,
                responses=dict(responses), errors=_errors(errors, path, query, body, public), public=public))
            return endpoint

        return decorate


def conditional(response: Response) -> Response:
    """A read's ETag (a hash of its body: it changes whenever the answer does); 304 without a body
    when the caller's If-None-Match already holds it. Each caller's answer is its own (token, language)."""
    response.add_etag()
    response.cache_control.private = True
    response.cache_control.no_cache = True     # keep it if you like, but ask again (cheaply, with the tag)
    response.vary.update(("Authorization", "Accept-Language"))
    return response.make_conditional(request)


def _load_path(schema: type[Schema] | None, values: dict) -> dict:
    """Path values that cannot name anything (bad characters, wrong shape) answer 404."""
    if schema is None:
        return values
    try:
        return schema().load(values)
    except ValidationError:
        raise NotFound() from None


def read_json() -> object:
    """The request's JSON body; 415 for another media type, 413 when too large, 400 when unreadable."""
    if request.mimetype != "application/json":
        raise UnsupportedMediaType(N_("请求体应为 JSON（Content-Type: application/json）。"))
    request.max_content_length = BODY_LIMIT
    raw = request.get_data(cache=True)
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        raise BadRequest(N_("请求体不是有效的 JSON。")) from None


def _errors(extra: tuple[int, ...], path, query, body, public: bool) -> tuple[int, ...]:
    codes = set(extra)
    if not public:
        codes |= {401, 429}
    if path is not None or (query is not None and "plan" in query._declared_fields):
        codes.add(404)
    if query is not None or body is not None:
        codes.add(422)
    if body is not None:
        codes |= {400, 413, 415}
    return tuple(sorted(codes))


def openapi_path(rule: str) -> str:
    """/tasks/<number> → /tasks/{number}; the blueprint's prefix is added by the caller."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def build_spec(operations: Operations, *, prefix: str, title: str, version: str) -> dict:
    spec = APISpec(title=title, version=version, openapi_version="3.0.3", plugins=[MarshmallowPlugin()],
                   info={"description": "Plan Tracker's JSON API. Every call needs `Authorization: Bearer <token>`; "
                                        "create tokens on your settings page or with `tracker tokens create`. "
                                        "Texts are Chinese; send `Accept-Language: en` for English."})
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer",
                                               "description": "an API token (pt_…)"})
    spec.components.schema("Error", schema=schemas.Error)
    spec.components.response("Unauthorized", {
        "description": ERRORS[401],
        "headers": {"WWW-Authenticate": {"schema": {"type": "string"}, "description": 'Bearer realm="tracker"'}},
        "content": {"application/json": {"schema": "Error"}},
    })
    for op in operations.declared:
        spec.path(path=prefix + openapi_path(op.rule), operations={op.method: _operation(op)})
    return spec.to_dict()


def _operation(op: Operation) -> dict:
    parameters = []
    if op.path is not None:
        parameters.append({"in": "path", "schema": op.path})
    if op.query is not None:
        parameters.append({"in": "query", "schema": op.query})
    responses: dict[str, object] = {
        str(status): {"description": "OK" if status == 200 else "Created",
                      "content": {"application/json": {"schema": schema}}}
        for status, schema in op.responses.items()
    }
    if op.method == "get":
        parameters.append(dict(IF_NONE_MATCH))
        for response in responses.values():
            response["headers"] = {"ETag": dict(ETAG)}  # type: ignore[index]
        responses["304"] = {"description": "Not Modified: the If-None-Match tag is still the answer's; no body.",
                            "headers": {"ETag": dict(ETAG)}}
    for status in op.errors:
        responses[str(status)] = "Unauthorized" if status == 401 else {
            "description": ERRORS[status], "content": {"application/json": {"schema": "Error"}}}
    out = {"operationId": op.endpoint, "summary": op.summary, "parameters": parameters, "responses": responses}
    if op.description:
        out["description"] = op.description
    if op.body is not None:
        out["requestBody"] = {"required": True, "content": {"application/json": {"schema": op.body}}}
    out["security"] = [] if op.public else [{"bearer": []}]
    return out
