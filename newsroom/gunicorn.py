"""gunicorn's settings that its command line cannot give: `gunicorn newsroom.wsgi --config
python:newsroom.gunicorn ...` (make serve, deploy/systemd/newsroom-web.service)."""

import socket

# A connection that has sent nothing for this long is handed to a worker anyway (which waits
# on it as on any slow client, until gunicorn's --timeout).
DEFER_SECONDS = 30


def when_ready(server):
    """A connection is handed to a worker only once its request has begun to arrive (Linux's
    TCP_DEFER_ACCEPT, nginx's `listen ... deferred`). A sync worker serves one connection at
    a time: one it took before the sender's first bytes came (a client that connects, then
    sends a moment later from a busy machine or a slow link, or never) kept it from every
    reader meanwhile."""
    if not hasattr(socket, "TCP_DEFER_ACCEPT"):
        return
    for listener in server.LISTENERS:
        if listener.sock.family in (socket.AF_INET, socket.AF_INET6):
            listener.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_DEFER_ACCEPT, DEFER_SECONDS)
