"""POST xAPI statements to a Learning Record Store (ADVSIM_LRS_URL, _USERNAME, _PASSWORD)."""
from __future__ import annotations

import httpx

from sim.config import get_settings
from sim.evaluation.exports import XAPI_VERSION


class LRSError(Exception):
    pass


def statements_url(endpoint: str) -> str:
    """The LRS endpoint (e.g. http://lrs:8100/xAPI/) to its statements resource."""
    return endpoint.rstrip("/") + "/statements"


def post(statements: list[dict], *, url: str | None = None, username: str | None = None,
         password: str | None = None, timeout: float = 30.0) -> list[str]:
    """POST the statements in one batch; their ids back. Re-posting the same export is harmless: the ids are
    deterministic and an LRS answers 204 for statements it already holds identical. Raises LRSError on
    refusal (409: same ids, different content; 401: credentials)."""
    settings = get_settings()
    url = url if url is not None else settings.lrs_url
    if not url:
        raise LRSError("aucun LRS configuré (ADVSIM_LRS_URL)")
    username = settings.lrs_username if username is None else username
    password = settings.lrs_password if password is None else password
    auth = (username, password) if username else None
    try:
        response = httpx.post(statements_url(url), json=statements, auth=auth, timeout=timeout,
                              headers={"X-Experience-API-Version": XAPI_VERSION})
    except httpx.HTTPError as error:
        raise LRSError(f"LRS injoignable : {error}") from error
    if response.status_code == 409:
        raise LRSError("le LRS a déjà ces déclarations (mêmes identifiants) : 409 Conflict")
    if response.status_code >= 300:
        raise LRSError(f"le LRS a refusé : {response.status_code} {response.text[:500]}")
    if response.status_code == 204:  # already stored, identical (our ids are deterministic): nothing new
        return [s["id"] for s in statements]
    return response.json()
