"""What a store's hooks run first: hand the push to a running gate server, or judge it here.

The fast path imports nothing beyond what Python has loaded at start-up (``_socket`` is a
built-in; no ``json``, no ``socket`` module with its enums), so a hook whose store has a
``registry hooks serve`` process answering costs little more than starting Python. The
registry package (pygit2, jsonschema, the linter) is imported only as the fallback.

Wire format, both ways over a Unix socket in the store directory: a request is NUL-separated
fields ``hook, git_dir, stdin, name1, value1, …`` (the ``GIT_*`` environment; none of these
can hold a NUL); the reply is the exit code, a newline, and the text for ``remote:`` lines.
"""

from __future__ import annotations

import _socket
import os
import sys

from registry.environment import environment

SOCKET_NAME = "registry-gate.sock"
# A push's gate may take long on a huge change; a server that vanishes mid-answer falls back.
TIMEOUT_S = 600.0


def socket_path(git_dir: str) -> str:
    return os.path.join(git_dir, SOCKET_NAME)


def encode_request(hook: str, git_dir: str, stdin: str, env: dict[str, str]) -> bytes:
    fields = [hook, git_dir, stdin]
    for name, value in env.items():
        fields += [name, value]
    return "\0".join(fields).encode()


def decode_request(data: bytes) -> tuple[str, str, str, dict[str, str]]:
    fields = data.decode().split("\0")
    if len(fields) < 3 or len(fields) % 2 == 0:
        raise ValueError("malformed gate request")
    hook, git_dir, stdin, *rest = fields
    return hook, git_dir, stdin, dict(zip(rest[::2], rest[1::2], strict=True))


def encode_reply(code: int, text: str) -> bytes:
    return f"{code}\n{text}".encode()


def ask(path: str, request: bytes) -> tuple[int, str] | None:
    """The server's (exit code, text), or None when no server answers."""
    try:
        conn = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
        try:
            conn.settimeout(TIMEOUT_S)
            conn.connect(path)
            conn.sendall(request)
            conn.shutdown(_socket.SHUT_WR)
            chunks = []
            while chunk := conn.recv(65536):
                chunks.append(chunk)
        finally:
            conn.close()
        code, _, text = b"".join(chunks).decode().partition("\n")
        return int(code), text
    except (OSError, ValueError):
        return None


def run(hook: str) -> int:
    data = sys.stdin.read()
    environ = environment()  # the hook's entry point: the one place it reads its environment
    git_dir = os.path.abspath(environ.get("GIT_DIR", "."))
    env = {k: v for k, v in environ.items() if k.startswith("GIT_")}
    answer = ask(socket_path(git_dir), encode_request(hook, git_dir, data, env))
    if answer is not None:
        sys.stderr.write(answer[1])
        return answer[0]
    if sys.flags.no_site:
        import site

        site.main()  # the hook starts with -S; the full gate needs site-packages
    import io

    from registry.hooks import receive

    if hook == "pre-receive":
        return receive.pre_receive(io.StringIO(data), env=environ)
    from registry.replica.notify import landing_listener

    # No resident gate: this process tags; the replicas are told by a process that outlives it.
    listener = landing_listener(environ, detached=True)
    return receive.post_receive(io.StringIO(data), env=environ, on_landed=listener)
