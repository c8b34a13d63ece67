"""The load generator of bench/webhook_ingest.py: a raw asyncio HTTP/1.1 keep-alive client
(so the client costs little next to the server) sending signed generic `paid` orders.

`closed_loop`: N connections back to back for a while; `open_loop`: request i due at
start + i/rate, its latency counted from then (no coordinated omission), on as many
connections as it takes (up to MAX_OPEN_CONNECTIONS).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time

from bench.ingest_server import SECRET

MAX_OPEN_CONNECTIONS = 256


def requests_for(first: int, count: int, port: int) -> list[bytes]:
    """`count` signed paid `vip` orders, one event each, as raw HTTP/1.1 requests."""
    stamp = int(time.time())
    built = []
    for number in range(first, first + count):
        body = json.dumps(
            {
                "event_id": f"evt-{number}",
                "order_id": f"ext-{number}",
                "status": "paid",
                "discord_user_id": str(10**17 + number),
                "product": "vip",
                "quantity": 1,
                "amount": 1000,
                "currency": "USD",
            }
        ).encode()
        digest = hmac.new(SECRET.encode(), f"{stamp}.".encode() + body, hashlib.sha256)
        head = (
            f"POST /webhooks/generic HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
            f"X-Signature: t={stamp},v1={digest.hexdigest()}\r\n\r\n"
        )
        built.append(head.encode() + body)
    return built


class Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, port: int) -> Connection:
        return cls(*await asyncio.open_connection("127.0.0.1", port))

    async def send(self, request: bytes) -> int:
        self.writer.write(request)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        length = 0
        for line in head.split(b"\r\n"):
            if line[:15].lower() == b"content-length:":
                length = int(line[15:])
        await self.reader.readexactly(length)
        return status

    def close(self) -> None:
        self.writer.close()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def _check(status: int) -> None:
    if status != 200:
        raise SystemExit(f"WRONG OUTCOME: HTTP {status}")


async def closed_loop(port: int, requests: list[bytes], connections: int, seconds: float) -> dict:
    """`connections` clients back to back for `seconds`; requests/s and latencies."""
    pool = [await Connection.open(port) for _ in range(connections)]
    latencies: list[float] = []
    queue = iter(requests)
    deadline = time.perf_counter() + seconds

    async def client(conn: Connection) -> None:
        for request in queue:
            begin = time.perf_counter()
            _check(await conn.send(request))
            latencies.append(time.perf_counter() - begin)
            if begin > deadline:
                return

    started = time.perf_counter()
    await asyncio.gather(*(client(c) for c in pool))
    elapsed = time.perf_counter() - started
    for conn in pool:
        conn.close()
    return {
        "sent": len(latencies),
        "per_s": len(latencies) / elapsed,
        "p50_ms": percentile(latencies, 0.5) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
    }


async def open_loop(port: int, requests: list[bytes], rate: float, during=None) -> dict:  # type: ignore[no-untyped-def]
    """Each request at its due time (start + i/rate) on an idle connection (opened as needed)."""
    idle: asyncio.Queue[Connection] = asyncio.Queue()
    for _ in range(16):
        idle.put_nowait(await Connection.open(port))
    opened = idle.qsize()
    latencies: list[float] = []
    by_second: dict[int, list[float]] = {}
    late_starts = 0
    started = time.perf_counter()

    async def one(request: bytes, due: float) -> None:
        nonlocal opened
        if idle.empty() and opened < MAX_OPEN_CONNECTIONS:
            opened += 1
            conn = await Connection.open(port)
        else:  # at the cap a request waits for a connection; its latency still runs from due
            conn = await idle.get()
        _check(await conn.send(request))
        latencies.append(time.perf_counter() - due)
        by_second.setdefault(int(due - started), []).append(latencies[-1])
        idle.put_nowait(conn)

    tasks = []
    for number, request in enumerate(requests):
        due = started + number / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        elif delay < -0.005:
            late_starts += 1
        tasks.append(asyncio.ensure_future(one(request, due)))
        if during is not None:
            during()
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - started
    while not idle.empty():
        idle.get_nowait().close()
    return {
        "sent": len(latencies),
        "offered_per_s": rate,
        "achieved_per_s": len(latencies) / elapsed,
        "p50_ms": percentile(latencies, 0.5) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
        "max_ms": max(latencies) * 1000,
        "connections": opened,
        "late_starts": late_starts,
        # p99 of each second of sending: a stall shows where it was.
        "p99_by_second_ms": "/".join(
            f"{percentile(v, 0.99) * 1000:.0f}" for _, v in sorted(by_second.items())
        ),
    }
