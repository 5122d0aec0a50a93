"""What a store's hooks run first: hand the push to a running gate server, or judge it here.

Only the standard library is imported on the fast path, so a hook whose store has a
``registry hooks serve`` process answering costs little more than starting Python; the
registry package (pygit2, jsonschema, the linter) is imported only as the fallback.
"""

from __future__ import annotations

import io
import json
import os
import socket
import sys

SOCKET_NAME = "registry-gate.sock"
# A push's gate may take long on a huge change; a server that vanishes mid-answer falls back.
TIMEOUT_S = 600.0


def socket_path(git_dir: str) -> str:
    return os.path.join(git_dir, SOCKET_NAME)


def ask(path: str, request: dict[str, object]) -> dict[str, object] | None:
    """The server's answer, or None when no server answers (then the hook judges itself)."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(TIMEOUT_S)
            conn.connect(path)
            conn.sendall(json.dumps(request).encode() + b"\n")
            conn.shutdown(socket.SHUT_WR)
            chunks = []
            while chunk := conn.recv(65536):
                chunks.append(chunk)
        answer = json.loads(b"".join(chunks) or b"null")
    except (OSError, ValueError):
        return None
    return answer if isinstance(answer, dict) and "exit" in answer else None


def run(hook: str) -> int:
    data = sys.stdin.read()
    git_dir = os.path.abspath(os.environ.get("GIT_DIR", "."))
    env = {k: v for k, v in os.environ.items() if k.startswith("GIT_")}
    answer = ask(socket_path(git_dir), {"hook": hook, "stdin": data, "env": env, "git_dir": git_dir})
    if answer is not None:
        sys.stderr.write(str(answer.get("stderr", "")))
        return int(answer["exit"])  # type: ignore[call-overload]
    if sys.flags.no_site:
        import site

        site.main()  # the hook starts with -S; the full gate needs site-packages
    from registry import receive

    judge = receive.pre_receive if hook == "pre-receive" else receive.post_receive
    return judge(io.StringIO(data))
