"""The client's address, as the login limits count it.

The socket peer, unless the peer is one of ``ADVSIM_TRUSTED_PROXIES``: then the
right-most address of ``X-Forwarded-For`` that is not one of our proxies (each
proxy appends the address it saw; whatever lies further left was written by
the client and proves nothing).
"""
from __future__ import annotations

import ipaddress

from fastapi import Request


def client_address(request: Request) -> str:
    peer = request.client.host if request.client else ""
    return forwarded_client(peer, request.headers.getlist("x-forwarded-for"),
                            getattr(request.app.state, "trusted_proxies", ()))


def forwarded_client(peer: str, forwarded: list[str], trusted) -> str:
    if not _is_trusted(peer, trusted):
        return peer or "?"
    hops = [hop.strip() for value in forwarded for hop in value.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _is_ip(hop):
            return peer  # not written by a proxy of ours: believe nothing further left
        if not _is_trusted(hop, trusted):
            return str(ipaddress.ip_address(hop))
    return hops[0] if hops else peer  # only our own proxies on the way


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _is_trusted(address: str, trusted) -> bool:
    if not trusted or not _is_ip(address):
        return False
    ip = ipaddress.ip_address(address)
    return any(ip.version == net.version and ip in net for net in trusted)
