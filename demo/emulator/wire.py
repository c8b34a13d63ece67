"""REST plumbing shared by the routes: JSON replies, Discord error bodies, request records."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import web

if TYPE_CHECKING:
    from demo.emulator.server import DiscordEmulator

API_PREFIX = "/api/v10"
EMULATOR: web.AppKey[Any] = web.AppKey("emulator")
BODY: web.RequestKey[Any] = web.RequestKey("body")
FILES: web.RequestKey[list[Any]] = web.RequestKey("files")


def emulator_of(request: web.Request) -> DiscordEmulator:
    return request.app[EMULATOR]


def reply(data: Any, status: int = 200) -> web.Response:
    """A JSON reply whose Content-Type is exactly application/json, as disnake requires."""
    return web.Response(
        body=json.dumps(data).encode(), status=status, headers={"Content-Type": "application/json"}
    )


def no_content() -> web.Response:
    return web.Response(status=204)


class DiscordError(Exception):
    """Raised by a route; answered with Discord's error body `{message, code[, errors]}`."""

    def __init__(
        self, status: int, code: int, message: str, errors: dict[str, Any] | None = None
    ) -> None:
        super().__init__(f"{status} {code} {message}")
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors

    def response(self) -> web.Response:
        body: dict[str, Any] = {"message": self.message, "code": self.code}
        if self.errors is not None:
            body["errors"] = self.errors
        return reply(body, self.status)


def invalid_form(field_path: str, message: str, code: str = "BASE_TYPE_INVALID") -> DiscordError:
    """400 Invalid Form Body (50035) with one field error, shaped like Discord's."""
    errors: dict[str, Any] = {}
    node = errors
    for part in field_path.split("."):
        node = node.setdefault(part, {})
    node["_errors"] = [{"code": code, "message": message}]
    return DiscordError(400, 50035, "Invalid Form Body", errors)


class FormErrors:
    """Collects every field error of one body, raised together as Discord does (400 50035)."""

    def __init__(self) -> None:
        self.errors: dict[str, Any] = {}
        self.count = 0

    def add(self, field_path: str, message: str, code: str = "BASE_TYPE_INVALID") -> None:
        node = self.errors
        for part in field_path.split("."):
            node = node.setdefault(part, {})
        node.setdefault("_errors", []).append({"code": code, "message": message})
        self.count += 1

    def too_long(self, field_path: str, value: Any, limit: int) -> None:
        """BASE_TYPE_MAX_LENGTH when a string or list is longer than `limit`."""
        if value is not None and len(value) > limit:
            self.add(field_path, f"Must be {limit} or fewer in length.", "BASE_TYPE_MAX_LENGTH")

    def raise_any(self) -> None:
        if self.errors:
            raise DiscordError(400, 50035, "Invalid Form Body", self.errors)


def not_found(code: int, what: str) -> DiscordError:
    return DiscordError(404, code, f"Unknown {what}")


def int_param(request: web.Request, name: str) -> int:
    value = request.match_info[name]
    if not value.isdigit():
        raise invalid_form(name, "Value is not snowflake.", "NUMBER_TYPE_COERCE")
    return int(value)


@dataclass
class UploadedFile:
    index: int
    filename: str
    content: bytes
    content_type: str


@dataclass
class RequestRecord:
    """One REST request as the emulator saw it and how it answered."""

    method: str
    path: str
    template: str | None
    query: dict[str, str]
    body: Any
    files: list[UploadedFile] = field(default_factory=list)
    status: int | None = None
    reason: str | None = None  # X-Audit-Log-Reason, URL-decoded
    scope: str | None = None  # X-RateLimit-Scope of a 429: "global", "user" or "shared"
    at: float = field(default_factory=time.perf_counter)  # when it arrived (perf_counter)


@dataclass(frozen=True)
class Problem:
    """Something that must fail the test: an unimplemented route or an OpenAPI mismatch."""

    kind: str  # "unimplemented", "openapi" (request), "openapi-reply" (emulator) or "crash"
    detail: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.detail}"


async def read_body(request: web.Request) -> tuple[Any, list[UploadedFile]]:
    """(JSON body or None, uploaded files); multipart bodies carry JSON in payload_json."""
    if not request.body_exists:
        return None, []
    if request.content_type.startswith("multipart/"):
        body: Any = None
        files: list[UploadedFile] = []
        reader = await request.multipart()
        while (part := await reader.next()) is not None:
            name = getattr(part, "name", None) or ""
            content = await part.read()  # type: ignore[union-attr]
            if name == "payload_json":
                body = json.loads(content)
            elif name.startswith("files[") and name.endswith("]"):
                files.append(
                    UploadedFile(
                        index=int(name[6:-1]),
                        filename=getattr(part, "filename", None) or "file",
                        content=bytes(content),
                        content_type=part.headers.get("Content-Type", "application/octet-stream"),
                    )
                )
        return body, files
    raw = await request.read()
    if not raw:
        return None, []
    try:
        return json.loads(raw), []
    except ValueError as exc:
        raise DiscordError(400, 50109, "The request body contains invalid JSON.") from exc
