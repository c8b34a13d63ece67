"""The aiohttp application the webhook cog serves: routes, error handling, the inbox worker."""

from __future__ import annotations

import logging
import socket
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any

import aiohttp
from aiohttp import http_exceptions, web

from models.database import is_database_unavailable
from settings import Settings
from webhooks.admin_api import create_api_order, webhook_logs
from webhooks.ecwid.receive import process_ecwid, receive_ecwid
from webhooks.errors import Refused
from webhooks.generic import process_generic, receive_generic
from webhooks.health import (
    GATEWAY_READY,
    HEALTH_LIMITS,
    WORKER_BEATS,
    HealthLimits,
    WorkerBeats,
    health,
)
from webhooks.inbox_worker import InboxWorker
from webhooks.inbox_writer import InboxWriter
from webhooks.intake import EVENT_STORED, INBOX_WRITER, MAX_BODY_BYTES, SETTINGS, error_response
from webhooks.midtrans.receive import process_midtrans, receive_midtrans
from webhooks.processing import Processor, ProviderContext
from webhooks.refract import process_refract, receive_refract
from webhooks.stripe.receive import process_stripe, receive_stripe

log = logging.getLogger(__name__)

INBOX_WORKER = web.AppKey("inbox_worker", InboxWorker)
# How long the inbox worker lets waiting webhook requests go first, at most, before each row:
# providers are answered before stored events are processed, and a flood of requests still
# leaves the worker a row every this often.
INTAKE_FIRST_SECONDS = 0.05
# What a client is told to wait before sending again when the database is away.
RETRY_AFTER_SECONDS = 5

# What aiohttp raises for a request it cannot parse or whose body does not decode (also
# when it drains an unread body after the answer), and for a client that went away.
_MALFORMED = (http_exceptions.HttpProcessingError, web.RequestPayloadError, ConnectionError)


class OneLineHttpErrors(logging.Filter):
    """Turns aiohttp's traceback for a request it could not parse into one line.

    Malformed requests (bad bytes in the request line, oversized headers, broken chunking,
    an undecodable body) are refused by aiohttp's parser with a 400 and logged with a full
    traceback, so anyone could flood the log. The line keeps the error's class and first
    line only: the rest echoes the request bytes, which may hold a token in the query.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, _MALFORMED):
            reason = str(getattr(error, "message", "") or error).strip().splitlines()
            record.msg = "refused a malformed request: %s (%s)"
            record.args = (type(error).__name__, reason[0][:120] if reason else "")
            record.levelno, record.levelname = logging.INFO, "INFO"
            record.exc_info = record.exc_text = None
        return True


HTTP_LOG = logging.getLogger("webhooks.http")
HTTP_LOG.addFilter(OneLineHttpErrors())
# How the server runs the app (the cog and the tests). No access log; handlers are not
# cancelled when a client disconnects (a stored event is always answered and queued);
# aiohttp's parser limits, stated: a request line or one header of at most 8 KiB, at most
# 100 headers (a larger request is a 400 before any handler runs).
RUNNER_OPTIONS: dict[str, Any] = {
    "access_log": None,
    "handler_cancellation": False,
    "logger": HTTP_LOG,
    "max_line_size": 8190,
    "max_field_size": 8190,
    "max_headers": 100,
}
PROCESSORS: Mapping[str, Processor] = {
    "stripe": process_stripe,
    "midtrans": process_midtrans,
    "ecwid": process_ecwid,
    "refract": process_refract,
    "generic": process_generic,
}


@web.middleware
async def answer_errors(request: web.Request, handler) -> web.StreamResponse:
    """Refusals and HTTP errors become JSON; anything unexpected is logged and answered 500."""
    try:
        return await handler(request)
    except Refused as exc:
        # One line, never a traceback: refusals are the expected answer to bad input.
        log.info("%s %s refused %d: %s", request.method, request.path, exc.status, exc.message)
        return error_response(exc.status, exc.message)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        headers = {"Allow": exc.headers["Allow"]} if "Allow" in exc.headers else None
        response = error_response(exc.status, exc.reason)
        if headers:
            response.headers.update(headers)
        return response
    except Exception as exc:
        if is_database_unavailable(exc):
            # Nothing was stored: the sender must retry, so never a 2xx, and not a 500.
            log.warning(
                "%s %s: database unavailable (%s); answered 503",
                request.method,
                request.path,
                type(exc).__name__,
            )
            response = error_response(503, "database unavailable; try again shortly")
            response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
            return response
        # The last resort, for genuine bugs only: bad input must have been refused above
        # (the fuzz tests in tests/http fail when a request reaches this line).
        log.exception("unexpected error answering %s %s", request.method, request.path)
        return error_response(500, "internal error")


def build_app(
    settings: Settings,
    *,
    http: aiohttp.ClientSession,
    gateway_ready: Callable[[], bool | None],
    processors: Mapping[str, Processor] = PROCESSORS,
    retry_base_seconds: float = 5.0,
    worker_beats: WorkerBeats | None = None,
    health_limits: HealthLimits | None = None,
    process_inbox: bool = True,
) -> web.Application:
    """The webhook server's application. Routes of disabled providers are not registered (404).

    Starting the app starts the inbox worker, which processes rows stored here or elsewhere;
    cleaning it up stops the worker. Without `process_inbox` (a `web` process) events are
    only stored, for the worker processes.
    """
    app = web.Application(middlewares=[answer_errors], client_max_size=settings.max_body_bytes)
    app[SETTINGS] = settings
    app[MAX_BODY_BYTES] = settings.max_body_bytes
    writer = InboxWriter()
    app[INBOX_WRITER] = writer
    app[GATEWAY_READY] = gateway_ready
    worker = InboxWorker(
        ProviderContext(settings=settings, http=http),
        processors,
        retry_base_seconds=retry_base_seconds,
        yield_to=lambda: writer.quiet(INTAKE_FIRST_SECONDS),
    )
    app[INBOX_WORKER] = worker
    app[EVENT_STORED] = worker.enqueue if process_inbox else lambda row_id: None
    app[HEALTH_LIMITS] = health_limits or HealthLimits()
    inbox_beat = (lambda: {"inbox": worker.beat()}) if process_inbox else dict
    app[WORKER_BEATS] = lambda: {**inbox_beat(), **(worker_beats() if worker_beats else {})}

    async def run_worker(_: web.Application) -> AsyncIterator[None]:
        await worker.start()
        yield
        await worker.stop()

    async def settle_writer(_: web.Application) -> None:
        await writer.settle()

    app.on_shutdown.append(settle_writer)
    if process_inbox:
        app.cleanup_ctx.append(run_worker)
    app.router.add_get("/health", health)
    routes = {
        "/webhooks/stripe": (settings.stripe.enabled, receive_stripe),
        "/webhooks/midtrans": (settings.midtrans.enabled, receive_midtrans),
        "/webhooks/ecwid": (settings.ecwid.enabled, receive_ecwid),
        "/webhooks/refract": (bool(settings.refract_token), receive_refract),
        "/webhooks/generic": (bool(settings.generic_secret), receive_generic),
        "/api/orders": (bool(settings.admin_api_token), create_api_order),
    }
    for path, (enabled, handler) in routes.items():
        if enabled:
            app.router.add_post(path, handler)
    if settings.admin_api_token:
        app.router.add_get("/api/webhooks/logs", webhook_logs)
    enabled_names = [path.rsplit("/", 1)[1] for path, (on, _) in routes.items() if on]
    log.info("webhook routes enabled: %s", ", ".join(enabled_names) or "none")
    return app


def port_problem(host: str, port: int) -> str | None:
    """One WEBHOOK_PORT line when the server could not listen there (asked before Discord is)."""
    if port == 0:
        return None
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
        with socket.socket(family, kind, proto) as probe:
            # As aiohttp binds (SO_REUSEADDR): only a socket listening there refuses it.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
    except OSError as exc:
        return f"WEBHOOK_PORT: cannot listen on {host}:{port} ({exc.strerror or exc})"
    return None
