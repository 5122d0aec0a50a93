"""How many connections one client may hold open at once: past that, new ones are refused.

A client that opens connections and leaves them idle, or trickles a body into each, could
otherwise hold every slot the server has (uvicorn's own ``limit_concurrency`` counts all
clients together). Each serving process counts the open connections per client address
and answers a connection past ``REGISTRY_CLIENT_CONNECTIONS`` with a 429 at once, then
closes it. The limit is per process: with ``--workers N`` a client may hold N times it.
Behind a proxy every client shares the proxy's address: set the limit there instead.
"""

from __future__ import annotations

import asyncio
from collections import Counter

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.protocols.utils import get_remote_addr

#: Open connections one client address may hold, per serving process.
DEFAULT_CLIENT_CONNECTIONS = 64

_limit = DEFAULT_CLIENT_CONNECTIONS
_open: Counter[str] = Counter()

_REFUSAL = (
    b"HTTP/1.1 429 Too Many Requests\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n"
    b"Connection: close\r\n"
    b"Content-Length: 74\r\n\r\n"
    b"too many open connections from this client: close some or reuse keep-alive"
)


def set_client_limit(limit: int) -> None:
    """The limit this process applies; set once at start-up, before it serves."""
    global _limit
    _limit = limit


class LimitedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, counting the connections of each client address."""

    _counted: str | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        address = get_remote_addr(transport)
        host = address[0] if address else ""
        if _open[host] >= _limit:
            transport.write(_REFUSAL)
            transport.close()
            return
        _open[host] += 1
        self._counted = host
        super().connection_made(transport)

    def connection_lost(self, exc: Exception | None) -> None:
        if self._counted is None:
            return  # refused in connection_made: nothing was set up
        _open[self._counted] -= 1
        if _open[self._counted] <= 0:
            del _open[self._counted]
        self._counted = None
        super().connection_lost(exc)
