"""The proxy's HTTP API, the one place litellm-gen talks to a running proxy: GET /model/info.

The master key goes to the address given and nowhere else (a redirect is refused), and each
failure says what an operator can do: the proxy is down, refuses the key, or is not LiteLLM.
`verify` compares what it answers with the config; `validate --with-proxy` asks it once the
proxy it started is up.
"""
from __future__ import annotations

import http.client
import json
import math
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Callable

from generator.boundary.errors import UserError


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """The master key goes to the host given and nowhere else: a redirect is an error."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        raise UserError(f"the proxy at {req.full_url} answered with a redirect (HTTP {code}) to "
                        f"{newurl}; litellm-gen does not send the master key on to another "
                        "address: give that address with --url if it is the proxy")


def check_url(url: str) -> str:
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise UserError(f"--url {url!r} is not an http:// or https:// address of the proxy "
                        "(for example http://127.0.0.1:4000)")
    return url


def fetch_model_info(url: str, key: str | None, timeout: float = 10.0) -> list[dict]:
    endpoint = check_url(url).rstrip("/") + "/model/info"
    request = urllib.request.Request(endpoint, headers={"Accept": "application/json"})
    if key:
        request.add_header("Authorization", f"Bearer {key}")
    opener = urllib.request.build_opener(_NoRedirects)
    try:
        with opener.open(request, timeout=timeout) as response:
            body = json.load(response)
    except urllib.error.HTTPError as exc:
        # litellm 1.100.0 answers a wrong key with 400 and a missing one with 500.
        if exc.code in (400, 401, 403) or (exc.code == 500 and not key):
            raise UserError(f"the proxy at {url} refused the request (HTTP {exc.code}); check the "
                            "master key: export LITELLM_MASTER_KEY (or name another variable "
                            "with --master-key-env) with the proxy's general_settings.master_key"
                            ) from None
        raise UserError(f"the proxy at {url} failed to answer GET /model/info (HTTP "
                        f"{exc.code}); its log says why") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ProxyUnreachable(f"cannot reach the proxy at {url} ({reason}); is it running? "
                               "Start it with `make proxy`, or give its address with --url; "
                               "right after a restart, add --wait 60") from None
    except (ValueError, http.client.HTTPException):
        raise UserError(f"{endpoint} did not answer JSON; is --url the LiteLLM proxy?") from None
    data = body.get("data") if isinstance(body, dict) else None
    if not isinstance(data, list):
        raise UserError(f"{endpoint} answered without a data list; is --url the LiteLLM proxy?")
    return [d for d in data if isinstance(d, dict)]


class ProxyUnreachable(UserError):
    """Nothing answered at the URL (yet)."""


def wait_for_model_info(url: str, key: str | None, seconds: float,
                        progress: Callable[[float], None]) -> list[dict]:
    """Poll until the proxy answers or `seconds` pass; `progress` gets the seconds waited."""
    if not math.isfinite(seconds) or seconds < 0:
        raise UserError(f"--wait takes a number of seconds of 0 or more, not {seconds}")
    start = time.monotonic()
    while True:
        try:
            return fetch_model_info(url, key)
        except ProxyUnreachable:
            waited = time.monotonic() - start
            if waited >= seconds:
                raise
            progress(waited)
            time.sleep(min(1.0, max(0.0, seconds - waited)))
