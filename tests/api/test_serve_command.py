"""`incidex serve`: refuses a public address without a token; serves over real HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "INCIDEX_TOKEN"}
    return {**env, **extra}


def test_serve_on_a_public_address_without_a_token_exits_2(tmp_path: Path) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "incidex",
            "serve",
            "--host",
            "0.0.0.0",
            "--db",
            str(tmp_path / "s.db"),
        ],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=60,
    )
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "INCIDEX_TOKEN" in lines[0] and "0.0.0.0" in lines[0]
    assert "Traceback" not in proc.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_real_server_answers_over_http(demo_db: Path) -> None:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "incidex", "serve", "--db", str(demo_db), "--port", str(port)],
        env=_env(INCIDEX_TOKEN="served-token"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        body = None
        deadline = time.monotonic() + 60
        while body is None and time.monotonic() < deadline:
            assert server.poll() is None, server.stderr.read() if server.stderr else ""
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/api/incidents", timeout=5)
                body = r.json()
            except httpx.TransportError:
                time.sleep(0.2)
        assert body is not None, "the server never answered"
        assert r.status_code == 200 and r.headers["x-content-type-options"] == "nosniff"
        assert any(i["country"] == "SO" for i in body["items"])
        denied = httpx.post(f"http://127.0.0.1:{port}/api/articles", json={"text": "x"})
        assert denied.status_code == 401
    finally:
        server.terminate()
        server.wait(timeout=30)
