"""What keeps the server safe: security headers on every response, a cap on request bodies,
and the bearer token that writes need."""

from __future__ import annotations

import hmac
import ipaddress

from fastapi import HTTPException, Request
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = [
    "SECURITY_HEADERS",
    "BodyLimit",
    "BodyTooLarge",
    "SecurityHeaders",
    "bearer",
    "check_token",
    "is_loopback",
]

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
        "form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}

bearer = HTTPBearer(auto_error=False, description="INCIDEX_TOKEN, needed for writes")


class SecurityHeaders:
    """ASGI middleware: sets the security headers on every HTTP response it passes on."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyTooLarge(HTTPException):
    """A request body went over the cap (raised while it is being read)."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(413, too_large_message(max_bytes))


def too_large_message(max_bytes: int) -> str:
    """Return the sentence a client gets when its body is over ``max_bytes``."""
    return f"the request body is larger than the limit of {max_bytes:,} bytes; send less"


class BodyLimit:
    """ASGI middleware: answers 413 to a request whose declared or streamed body is over
    ``max_bytes``, before the application reads more of it."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = self._refusal(Headers(scope=scope).get("content-length"))
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BodyTooLarge as err:
            # Raised where no handler turns it into a response (outside a route).
            if started:
                raise
            await JSONResponse({"detail": err.detail}, status_code=413)(scope, receive, send)

    def _refusal(self, declared: str | None) -> JSONResponse | None:
        """Return the response refusing a declared Content-Length, None when it is fine."""
        if declared is None:
            return None
        if not declared.strip().isdigit():
            return JSONResponse(
                {"detail": f"the Content-Length header {declared[:40]!r} is not a number"},
                status_code=400,
            )
        if int(declared) > self.max_bytes:
            return JSONResponse({"detail": too_large_message(self.max_bytes)}, status_code=413)
        return None


def check_token(request: Request, credentials: HTTPAuthorizationCredentials | None) -> None:
    """Return when the request carries the app's bearer token; raise 403 when the app has
    no token (writes are off) and 401 when the token is missing or wrong."""
    expected: str | None = request.app.state.token
    if not expected:
        raise HTTPException(
            403,
            "writes are disabled on this server: start it with INCIDEX_TOKEN set to a secret "
            "and send it as 'Authorization: Bearer <token>'",
        )
    given = credentials.credentials if credentials is not None else ""
    if credentials is None or not hmac.compare_digest(given.encode(), expected.encode()):
        raise HTTPException(
            401,
            "this request writes to the store and needs 'Authorization: Bearer <token>' "
            "with the server's INCIDEX_TOKEN",
            headers={"WWW-Authenticate": "Bearer"},
        )


def is_loopback(host: str) -> bool:
    """Return whether ``host`` only listens on this machine (loopback address or localhost);
    other names count as reachable from outside."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
