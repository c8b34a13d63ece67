"""A small aiohttp server on 127.0.0.1 that a fake provider API runs on."""

from __future__ import annotations

from aiohttp import web


class FakeService:
    """Starts `self.app` on a free local port; `base_url` is where clients point."""

    def __init__(self) -> None:
        self.app = web.Application()
        self._runner: web.AppRunner | None = None
        self.port = 0
        # Requests seen, as (method, path) pairs, for tests that check what was called.
        self.requests: list[tuple[str, str]] = []
        self.failures: list[int] = []
        # The body of an injected failure, shaped as the provider shapes its errors.
        self.failure_body: dict = {"error": "injected failure"}
        self.app.middlewares.append(self._record)

    @web.middleware
    async def _record(self, request: web.Request, handler) -> web.StreamResponse:
        self.requests.append((request.method, request.path))
        if self.failures:
            return web.json_response(self.failure_body, status=self.failures.pop(0))
        return await handler(request)

    def fail_next(self, *statuses: int) -> None:
        """The next requests answer these HTTP statuses instead of their normal answer."""
        self.failures.extend(statuses)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> FakeService:
        self._runner = web.AppRunner(self.app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
