"""Checks each request against Discord's OpenAPI description: method, path, query and body."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
from jsonschema.exceptions import best_match
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

# The repository is cloned with shared/ beside it (CI and developers alike); a checkout that
# lives elsewhere (a git worktree) names the file in DISCORD_OPENAPI_PATH.
REPO_ROOT = Path(__file__).resolve().parents[2]
SPEC_PATH = Path(
    os.environ.get("DISCORD_OPENAPI_PATH") or REPO_ROOT / "../shared/data/discord-openapi.json"
)
_SPEC_URI = "urn:discord-openapi"
_PARAM = re.compile(r"^\{([^}]+)\}$")
_DIGITS = re.compile(r"^-?\d+$")
_SNOWFLAKE_TEXT = re.compile(r'"[1-9]\d{16,19}"')
_RESULTS_KEPT = 4096


def _is_integer(checker: Any, instance: Any) -> bool:
    # Discord coerces numeric strings where the description says integer: permission
    # bitfields are strings in Discord's own docs and in every client (disnake included).
    if isinstance(instance, str):
        return bool(_DIGITS.match(instance))
    return jsonschema.Draft202012Validator.TYPE_CHECKER.is_type(instance, "integer")


_Validator = jsonschema.validators.extend(
    jsonschema.Draft202012Validator,
    type_checker=jsonschema.Draft202012Validator.TYPE_CHECKER.redefine("integer", _is_integer),
)


@dataclass(frozen=True)
class _Template:
    path: str
    pattern: re.Pattern[str]
    names: tuple[str, ...]
    literals: int


def _pointer(*parts: str) -> str:
    return "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)


def _coerce(value: str, schema: dict[str, Any]) -> Any:
    """A query or path string as the type its schema asks for, so it can be validated."""
    kind = schema.get("type")
    kinds = kind if isinstance(kind, list) else [kind]
    if "boolean" in kinds and value.lower() in ("true", "false", "1", "0"):
        return value.lower() in ("true", "1")  # Discord reads 1/0 as booleans too
    if ("integer" in kinds or "number" in kinds) and re.fullmatch(r"-?\d+(\.\d+)?", value):
        return float(value) if "." in value else int(value)
    return value


class OpenAPISpec:
    """One loaded description; validators are compiled on first use and kept."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        # Discord reads a snowflake sent as a JSON number too (disnake sends recipient_id and
        # attachment ids that way); the description only lists the string form.
        snowflake = document["components"]["schemas"]["SnowflakeType"]
        document["components"]["schemas"]["SnowflakeType"] = {
            "anyOf": [snowflake, {"type": "integer", "minimum": 0}]
        }
        resource = Resource.from_contents(document, default_specification=DRAFT202012)
        self._registry = Registry().with_resource(_SPEC_URI, resource)
        self._validators: dict[str, jsonschema.protocols.Validator] = {}
        self._results: dict[tuple[str, str], str | None] = {}
        self._templates: list[_Template] = []
        for path in document["paths"]:
            segments = path.strip("/").split("/")
            names: list[str] = []
            regex: list[str] = []
            for segment in segments:
                match = _PARAM.match(segment)
                if match:
                    names.append(match.group(1))
                    regex.append("([^/]+)")
                else:
                    regex.append(re.escape(segment))
            pattern = re.compile("^/" + "/".join(regex) + "$")
            literals = sum(1 for s in segments if not _PARAM.match(s))
            self._templates.append(_Template(path, pattern, tuple(names), literals))
        # A literal segment (@me, @original) wins over a parameter in the same place.
        self._templates.sort(key=lambda t: -t.literals)

    @classmethod
    def load(cls, path: Path = SPEC_PATH) -> OpenAPISpec | None:
        """The description at `path`, or None when the file is absent (validation is skipped)."""
        try:
            text = path.resolve().read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        return cls(json.loads(text))

    def _validator(self, pointer: str) -> jsonschema.protocols.Validator:
        validator = self._validators.get(pointer)
        if validator is None:
            validator = _Validator({"$ref": f"{_SPEC_URI}#{pointer}"}, registry=self._registry)
            self._validators[pointer] = validator
        return validator

    def _error(self, pointer: str, instance: Any) -> str | None:
        # Every bot start sends the same command tree (about 0.1 s to validate); results are
        # kept per shape, with ids masked since the description checks them only by pattern.
        shape = _SNOWFLAKE_TEXT.sub('"0"', json.dumps(instance, sort_keys=True, default=str))
        key = (pointer, shape)
        if key in self._results:
            return self._results[key]
        error = best_match(self._validator(pointer).iter_errors(instance))
        found = None
        if error is not None:
            where = "/".join(str(p) for p in error.absolute_path) or "(root)"
            found = f"{where}: {error.message[:300]}"
        if len(self._results) > _RESULTS_KEPT:
            self._results.clear()
        self._results[key] = found
        return found

    def _param_error(
        self,
        template: str,
        method_key: str,
        params: dict[tuple[str, str], tuple[int, dict[str, Any]]],
        op_params: dict[tuple[str, str], tuple[int, dict[str, Any]]],
        where: str,
        name: str,
        value: str,
    ) -> str | None:
        if (where, name) in op_params:
            index, param = op_params[(where, name)]
            owner: tuple[str, ...] = ("paths", template, method_key)
        elif (where, name) in params:
            index, param = params[(where, name)]
            owner = ("paths", template)
        else:
            return f"{name} is not declared"
        pointer = _pointer("", *owner, "parameters", str(index), "schema")
        return self._error(pointer, _coerce(value, param.get("schema", {})))

    def match(self, method: str, path: str) -> tuple[str, dict[str, str]] | None:
        """(template, path parameters) for a request path relative to /api/v10, or None."""
        for template in self._templates:
            found = template.pattern.match(path)
            if found and method.lower() in self.document["paths"][template.path]:
                return template.path, dict(zip(template.names, found.groups(), strict=True))
        return None

    def check(
        self,
        method: str,
        path: str,
        query: dict[str, str],
        body: Any,
    ) -> list[str]:
        """Every mismatch between one request and the description, as readable lines."""
        found = self.match(method, path)
        if found is None:
            known = any(t.pattern.match(path) for t in self._templates)
            why = "method not allowed on this path" if known else "path not in the description"
            return [f"{method} {path}: {why}"]
        template, path_params = found
        method_key = method.lower()
        item = self.document["paths"][template]
        operation = item[method_key]
        problems: list[str] = []
        params = {
            (p["in"], p["name"]): (i, p)
            for i, p in enumerate(item.get("parameters", []))
            if "name" in p
        }
        op_params = {
            (p["in"], p["name"]): (i, p)
            for i, p in enumerate(operation.get("parameters", []))
            if "name" in p
        }
        for name, value in path_params.items():
            error = self._param_error(template, method_key, params, op_params, "path", name, value)
            if error:
                problems.append(f"{method} {template}: path parameter {name}: {error}")
        for name, value in query.items():
            entry = op_params.get(("query", name)) or params.get(("query", name))
            if entry is None:
                problems.append(f"{method} {template}: unknown query parameter {name!r}")
                continue
            error = self._param_error(template, method_key, params, op_params, "query", name, value)
            if error:
                problems.append(f"{method} {template}: query {name}={value!r}: {error}")
        request_body = operation.get("requestBody")
        if body is None:
            if request_body and request_body.get("required"):
                problems.append(f"{method} {template}: request body required")
            return problems
        if request_body is None:
            problems.append(f"{method} {template}: takes no request body")
            return problems
        # A multipart body is checked through its payload_json part, the JSON body it carries.
        media = "application/json"
        if media not in request_body["content"]:
            problems.append(f"{method} {template}: {media} body not accepted")
            return problems
        pointer = _pointer(
            "", "paths", template, method_key, "requestBody", "content", media, "schema"
        )
        error = self._error(pointer, body)
        if error:
            problems.append(f"{method} {template}: body {error}")
        return problems

    def check_response(self, method: str, path: str, status: int, body: Any) -> list[str]:
        """Mismatches between a JSON reply and the description's schema for that status."""
        found = self.match(method, path)
        if found is None:
            return []
        template = found[0]
        method_key = method.lower()
        responses = self.document["paths"][template][method_key].get("responses", {})
        media = responses.get(str(status), {}).get("content", {}).get("application/json")
        if media is None:
            return []
        pointer = _pointer(
            "",
            "paths",
            template,
            method_key,
            "responses",
            str(status),
            "content",
            "application/json",
            "schema",
        )
        error = self._error(pointer, body)
        return [f"{method} {template} -> {status}: reply {error}"] if error else []
