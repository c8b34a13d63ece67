"""The emulator's aiohttp server: routing, auth, faults, OpenAPI checks and the problem log."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING
from urllib.parse import unquote

from aiohttp import web

from demo.emulator import routes_app, routes_guild, routes_interactions, routes_messages
from demo.emulator.drivers import Drivers
from demo.emulator.faults import Faults
from demo.emulator.gateway import Gateway
from demo.emulator.messaging import NONCE_WINDOW
from demo.emulator.state import Interaction, World
from demo.emulator.waiters import Waiters
from demo.emulator.wire import (
    API_PREFIX,
    BODY,
    EMULATOR,
    FILES,
    DiscordError,
    Problem,
    RequestRecord,
    read_body,
    reply,
)

if TYPE_CHECKING:  # jsonschema (a test-only package) loads only when a spec is given
    from demo.emulator.openapi import OpenAPISpec

log = logging.getLogger(__name__)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
# Routes authorised by their token in the path; Discord keeps them out of the global limit.
_TOKEN_ROUTES = ("/interactions/", "/webhooks/{webhook_id}/{webhook_token}")
# topics/rate-limits "Invalid Request Limit": these count toward the ban (10,000 per 10 min),
# except 429s whose X-RateLimit-Scope is "shared".
INVALID_STATUSES = (401, 403, 429)
INVALID_REQUEST_LIMIT, INVALID_REQUEST_WINDOW = 10_000, 600.0


def counts_as_invalid(status: int, scope: str | None) -> bool:
    return status in INVALID_STATUSES and not (status == 429 and scope == "shared")


class DiscordEmulator(Drivers, Waiters):
    """A Discord API v10 stand-in on 127.0.0.1 that the real disnake client connects to."""

    def __init__(self, *, spec: OpenAPISpec | None = None) -> None:
        self.world = World()
        self.gateway = Gateway(self)
        self.faults = Faults()
        self.spec = spec
        self.requests: list[RequestRecord] = []
        self.problems: list[Problem] = []
        # Requests Discord would count toward the invalid-request ban. The emulator serves one
        # bot application, so this is that bot's count (its token routes included).
        self.invalid_requests: list[RequestRecord] = []
        self.interactions: dict[int, Interaction] = {}
        # (channel id, author id, nonce) -> (message id, loop time), for enforce_nonce.
        self.nonces: dict[tuple[int, int, str], tuple[int, float]] = {}
        self.nonce_window = NONCE_WINDOW
        self._dm_cursor: dict[int, int] = {}
        self.port = 0
        self._runner: web.AppRunner | None = None
        self.app = web.Application(middlewares=[self._middleware])
        self.app[EMULATOR] = self
        self.app.router.add_get("/gateway", self.gateway.handle)
        self.app.router.add_get("/gateway-resume", self.gateway.handle)
        for table in (
            routes_app.routes,
            routes_guild.routes,
            routes_messages.routes,
            routes_interactions.routes,
        ):
            self.app.add_routes(table)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_base(self) -> str:
        return self.base_url + API_PREFIX

    async def start(self) -> None:
        self._runner = web.AppRunner(self.app, access_log=None, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        await self.gateway.close_all()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> DiscordEmulator:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # -- what tests read ---------------------------------------------------------------

    def take_problems(self, kind: str | None = None) -> list[Problem]:
        """Removes and returns the recorded problems (of one kind), for tests that cause them."""
        taken = [p for p in self.problems if kind is None or p.kind == kind]
        self.problems = [p for p in self.problems if p not in taken]
        return taken

    def requests_to(self, method: str, template: str) -> list[RequestRecord]:
        return [r for r in self.requests if r.method == method and r.template == template]

    @property
    def invalid_request_count(self) -> int:
        """401, 403 and 429 (scope shared excepted) answers so far: Discord bans at 10,000."""
        return len(self.invalid_requests)

    def assert_clean(self) -> None:
        """Fails with every unimplemented route, OpenAPI mismatch and route crash recorded."""
        if self.problems:
            lines = "\n".join(f"  - {p}" for p in self.problems)
            raise AssertionError(f"the Discord emulator recorded problems:\n{lines}")

    # -- the request pipeline ----------------------------------------------------------

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if not request.path.startswith(API_PREFIX + "/"):
            return await handler(request)
        path = request.path[len(API_PREFIX) :]
        match_info = request.match_info
        template: str | None = None
        if match_info.http_exception is None:
            template = match_info.route.resource.canonical[len(API_PREFIX) :]
        reason = request.headers.get("X-Audit-Log-Reason")
        record = RequestRecord(
            method=request.method,
            path=path,
            template=template,
            query=dict(request.query),
            body=None,
            reason=unquote(reason) if reason else None,
        )
        self.requests.append(record)
        try:
            record.body, record.files = await read_body(request)
            response = await self._serve(request, handler, record, path)
        except DiscordError as error:
            response = error.response()
        record.status = response.status
        record.scope = response.headers.get("X-RateLimit-Scope")
        if counts_as_invalid(response.status, response.headers.get("X-RateLimit-Scope")):
            self.invalid_requests.append(record)
        response.headers.setdefault("Via", "1.1 google")  # disnake trusts a 429 only with Via
        self.world.changed.fire()
        return response

    async def _serve(
        self, request: web.Request, handler: Handler, record: RequestRecord, path: str
    ) -> web.StreamResponse:
        template = record.template
        if template is None:
            self.problems.append(
                Problem("unimplemented", f"{request.method} {path} (no emulator route)")
            )
            return reply({"message": "404: Not Found", "code": 0}, 404)
        authorised = template.startswith(_TOKEN_ROUTES) or request.headers.get("Authorization") == (
            "Bot " + self.world.token
        )
        if not authorised:
            return reply({"message": "401: Unauthorized", "code": 0}, 401)
        verdict = self.faults.judge(
            request.method,
            template,
            dict(request.match_info),
            counts_globally=not template.startswith(_TOKEN_ROUTES),
        )
        if verdict.delay:
            await asyncio.sleep(verdict.delay)
        if verdict.status is not None:
            response = reply(verdict.body, verdict.status)
            response.headers.update(verdict.headers)
            return response
        if self.spec is not None:
            found = self.spec.check(request.method, path, record.query, record.body)
            if found:
                self.problems.extend(Problem("openapi", line) for line in found)
                raise DiscordError(400, 50035, "Invalid Form Body", {"_openapi": found})
        request[BODY] = record.body
        request[FILES] = record.files
        try:
            response = await handler(request)
        except DiscordError:
            raise
        except Exception as exc:
            log.exception("emulator route %s %s crashed", request.method, template)
            self.problems.append(Problem("crash", f"{request.method} {template}: {exc!r}"))
            return reply({"message": "500: Internal Server Error", "code": 0}, 500)
        response.headers.update(verdict.headers)
        if self.spec is not None and isinstance(response, web.Response) and response.body:
            # The emulator's own replies are held to the description too: a bot tested here
            # must not rely on a shape real Discord never sends.
            reply_body = json.loads(response.body)  # type: ignore[arg-type]
            found = self.spec.check_response(request.method, path, response.status, reply_body)
            self.problems.extend(Problem("openapi-reply", line) for line in found)
        return response
