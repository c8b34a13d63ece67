"""The emulated gateway: HELLO, IDENTIFY/READY, heartbeats, RESUME, dispatch, zlib-stream."""

from __future__ import annotations

import json
import logging
import secrets
import zlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web

from demo.emulator import payloads
from demo.emulator.state import AppFlag

if TYPE_CHECKING:
    from demo.emulator.server import DiscordEmulator

log = logging.getLogger(__name__)

HEARTBEAT_INTERVAL_MS = 41250
DISPATCH, HEARTBEAT, IDENTIFY, RESUME, RECONNECT = 0, 1, 2, 6, 7
REQUEST_MEMBERS, INVALID_SESSION, HELLO, HEARTBEAT_ACK = 8, 9, 10, 11
# Which intent bit an event needs (events/gateway "List of Intents").
_INTENT_OF = {
    "GUILD_CREATE": 1 << 0,
    "GUILD_ROLE_CREATE": 1 << 0,
    "GUILD_ROLE_UPDATE": 1 << 0,
    "GUILD_ROLE_DELETE": 1 << 0,
    "CHANNEL_CREATE": 1 << 0,
    "THREAD_CREATE": 1 << 0,
    "THREAD_MEMBERS_UPDATE": 1 << 1,
    "GUILD_MEMBER_ADD": 1 << 1,
    "GUILD_MEMBER_UPDATE": 1 << 1,
    "GUILD_MEMBER_REMOVE": 1 << 1,
    "MESSAGE_REACTION_ADD": 1 << 10,
}
_GUILD_MESSAGES, _DIRECT_MESSAGES = 1 << 9, 1 << 12
_CONNECTION: web.ResponseKey[Any] = web.ResponseKey("connection")
_DEFLATE: web.ResponseKey[Any] = web.ResponseKey("deflate")


def _allowed_intents(flags: int) -> int:
    """Every intent, less the privileged ones the application has not been granted."""
    allowed = (1 << 26) - 1
    for intent, flag in (
        (1 << 1, AppFlag.GUILD_MEMBERS_LIMITED),
        (1 << 8, AppFlag.GATEWAY_PRESENCE_LIMITED),
        (1 << 15, AppFlag.MESSAGE_CONTENT_LIMITED),
    ):
        if not flags & flag:
            allowed &= ~intent
    return allowed


@dataclass
class Connection:
    """One websocket the bot opened, kept for tests to inspect."""

    path: str
    compress: str | None
    encoding: str | None
    version: str | None
    received_ops: list[int] = field(default_factory=list)
    frames_sent: int = 0
    binary_frames: int = 0
    closed: bool = False


@dataclass
class Session:
    id: str
    intents: int
    sequence: int = 0
    sent: list[dict[str, Any]] = field(default_factory=list)
    socket: web.WebSocketResponse | None = None
    deflate: Any = None
    connection: Connection | None = None


class Gateway:
    """Sessions and sockets; `dispatch` sends an event to every identified session."""

    def __init__(self, emulator: DiscordEmulator) -> None:
        self.emulator = emulator
        self.connections: list[Connection] = []
        self.sessions: dict[str, Session] = {}
        self.resumes = 0
        self.heartbeats = 0

    def url(self) -> str:
        return f"ws://127.0.0.1:{self.emulator.port}/gateway"

    def resume_url(self) -> str:
        return f"ws://127.0.0.1:{self.emulator.port}/gateway-resume"

    def _wants(self, session: Session, event: str, data: dict[str, Any]) -> bool:
        if event in ("MESSAGE_CREATE", "MESSAGE_UPDATE", "MESSAGE_DELETE"):
            bit = _GUILD_MESSAGES if data.get("guild_id") else _DIRECT_MESSAGES
            return bool(session.intents & bit)
        bit = _INTENT_OF.get(event)
        return bit is None or bool(session.intents & bit)

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Sends (or, while the bot is disconnected, buffers for RESUME) one event."""
        for session in list(self.sessions.values()):
            if not self._wants(session, event, data):
                continue
            session.sequence += 1
            payload = {"op": DISPATCH, "t": event, "s": session.sequence, "d": data}
            session.sent.append(payload)
            if session.socket is not None and not session.socket.closed:
                try:
                    await self._send(session.socket, session, payload)
                except ConnectionResetError:
                    # The bot's end is gone (killed, say) and the socket not yet marked closed:
                    # Discord keeps the event for a RESUME and answers the REST call anyway.
                    log.info("gateway session %s went away; event kept to resume", session.id)
        self.emulator.world.changed.fire()

    async def request_reconnect(self) -> None:
        """Sends op 7 RECONNECT, as Discord does before moving a session; disnake resumes."""
        for session in self.sessions.values():
            if session.socket is not None and not session.socket.closed:
                await self._send(session.socket, session, {"op": RECONNECT, "d": None})

    async def close_all(self) -> None:
        for session in self.sessions.values():
            if session.socket is not None and not session.socket.closed:
                await session.socket.close(code=1001)

    async def _send(
        self, socket: web.WebSocketResponse, session: Session | None, payload: dict[str, Any]
    ) -> None:
        connection: Connection = socket[_CONNECTION]
        text = json.dumps(payload, separators=(",", ":"))
        connection.frames_sent += 1
        if connection.compress == "zlib-stream":
            deflate = socket[_DEFLATE]
            data = deflate.compress(text.encode()) + deflate.flush(zlib.Z_SYNC_FLUSH)
            connection.binary_frames += 1
            await socket.send_bytes(data)
        else:
            await socket.send_str(text)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        socket = web.WebSocketResponse(max_msg_size=0)
        await socket.prepare(request)
        connection = Connection(
            path=request.path,
            compress=request.query.get("compress"),
            encoding=request.query.get("encoding"),
            version=request.query.get("v"),
        )
        self.connections.append(connection)
        socket[_CONNECTION] = connection
        # One zlib context per connection: the client inflates the whole stream with one too.
        socket[_DEFLATE] = zlib.compressobj()
        session: Session | None = None
        await self._send(
            socket, None, {"op": HELLO, "d": {"heartbeat_interval": HEARTBEAT_INTERVAL_MS}}
        )
        try:
            async for frame in socket:
                if frame.type != WSMsgType.TEXT:
                    continue
                message = json.loads(frame.data)
                op = message.get("op")
                connection.received_ops.append(op)
                data = message.get("d")
                if op == HEARTBEAT:
                    self.heartbeats += 1
                    await self._send(socket, session, {"op": HEARTBEAT_ACK})
                elif op == IDENTIFY:
                    session = await self._identify(socket, data)
                elif op == RESUME:
                    session = await self._resume(socket, data)
                elif op == REQUEST_MEMBERS and session is not None:
                    await self._member_chunk(socket, session, data)
        finally:
            connection.closed = True
            if session is not None and session.socket is socket:
                session.socket = None
            self.emulator.world.changed.fire()
        return socket

    async def _identify(
        self, socket: web.WebSocketResponse, data: dict[str, Any]
    ) -> Session | None:
        world = self.emulator.world
        if data.get("token") != world.token:
            await socket.close(code=4004, message=b"Authentication failed.")
            return None
        intents = int(data.get("intents", 0))
        if intents & ~_allowed_intents(world.application_flags):
            await socket.close(code=4014, message=b"Disallowed intent(s).")
            return None
        session = Session(id=secrets.token_hex(16), intents=intents)
        session.socket = socket
        self.sessions[session.id] = session
        ready = {
            "v": 10,
            "user": payloads.user(world.bot),
            "guilds": [{"id": str(world.guild.id), "unavailable": True}],
            "session_id": session.id,
            "session_type": "normal",
            "resume_gateway_url": self.resume_url(),
            "application": {"id": str(world.application_id), "flags": world.application_flags},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "user_settings": {},
            "geo_ordered_rtc_regions": [],
            "guild_join_requests": [],
            "auth_session_id_hash": "",
            "_trace": ["stockroom-emulator"],
        }
        await self._dispatch_to(session, "READY", ready)
        await self._dispatch_to(session, "GUILD_CREATE", payloads.guild_create(world))
        world.changed.fire()
        return session

    async def _dispatch_to(self, session: Session, event: str, data: dict[str, Any]) -> None:
        session.sequence += 1
        payload = {"op": DISPATCH, "t": event, "s": session.sequence, "d": data}
        session.sent.append(payload)
        if session.socket is not None:
            await self._send(session.socket, session, payload)

    async def _resume(self, socket: web.WebSocketResponse, data: dict[str, Any]) -> Session | None:
        session = self.sessions.get(data.get("session_id", ""))
        if session is None or data.get("token") != self.emulator.world.token:
            await self._send(socket, None, {"op": INVALID_SESSION, "d": False})
            return None
        self.resumes += 1
        session.socket = socket
        seen = int(data.get("seq") or 0)
        for payload in session.sent:
            if payload["s"] > seen:
                await self._send(socket, session, payload)
        await self._dispatch_to(session, "RESUMED", {"_trace": ["stockroom-emulator"]})
        self.emulator.world.changed.fire()
        return session

    async def _member_chunk(
        self, socket: web.WebSocketResponse, session: Session, data: dict[str, Any]
    ) -> None:
        world = self.emulator.world
        members = list(world.guild.members.values())
        if data.get("user_ids"):
            wanted = {int(u) for u in data["user_ids"]}
            members = [m for m in members if m.user.id in wanted]
        elif data.get("query"):
            members = [m for m in members if m.user.name.startswith(data["query"])]
        if data.get("limit"):
            members = members[: int(data["limit"])]
        chunk = {
            "guild_id": str(world.guild.id),
            "members": [payloads.member(m) for m in members],
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [],
        }
        if data.get("nonce"):
            chunk["nonce"] = data["nonce"]
        await self._dispatch_to(session, "GUILD_MEMBERS_CHUNK", chunk)
