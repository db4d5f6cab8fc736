"""localstripe (PyPI 1.15.10), Courtyard's Stripe emulator for tests, made readable by
async-stripe 1.0.

Usage: python3 localstripe_compat.py PORT

It binds 127.0.0.1 only (localstripe itself binds every interface on a fixed port) and
starts from scratch (never loads the shared pickle). What it changes, each a documented
Stripe behaviour that localstripe lacks; nothing else is faked:

- PaymentIntent creation accepts `allowed_payment_method_types` (Stripe's current name for
  `payment_method_types`) and `description`; localstripe refuses unknown parameters.
- PaymentIntent objects carry the fields Stripe always sends and async-stripe requires:
  `amount_capturable`, `amount_received` (the amount once succeeded, else 0),
  `confirmation_method` ("automatic"), `payment_method_types` (default ["card"]); and
  `latest_charge` is the charge's id, as Stripe sends it unless asked to expand it (lists
  from localstripe expand it into a charge missing fields Stripe always sends).
- List endpoints ignore the `created` filter (localstripe has none): all objects come back,
  which only widens what reconciliation looks at.
- `GET /_compat/idempotency-keys` lists the Idempotency-Key headers received, so tests can
  assert which keys Courtyard sent.
"""

import sys

from aiohttp import web
from localstripe import resources, server

PORT = int(sys.argv[1])
SEEN_KEYS = []

_pi_init = resources.PaymentIntent.__init__


def _pi_init_compat(self, *args, allowed_payment_method_types=None,
                    description=None, **kwargs):
    if allowed_payment_method_types and "payment_method_types" not in kwargs:
        kwargs["payment_method_types"] = allowed_payment_method_types
    _pi_init(self, *args, **kwargs)
    self.payment_method_types = kwargs.get("payment_method_types") or ["card"]


resources.PaymentIntent.__init__ = _pi_init_compat

_pi_export = resources.PaymentIntent._export


def _pi_export_compat(self, *args, **kwargs):
    out = _pi_export(self, *args, **kwargs)
    succeeded = out.get("status") == "succeeded"
    out.setdefault("amount_capturable", 0)
    out.setdefault("amount_received", out.get("amount", 0) if succeeded else 0)
    out.setdefault("confirmation_method", "automatic")
    out.setdefault("payment_method_types", getattr(self, "payment_method_types", ["card"]))
    if isinstance(out.get("latest_charge"), dict):
        out["latest_charge"] = out["latest_charge"]["id"]
    return out


resources.PaymentIntent._export = _pi_export_compat


@web.middleware
async def compat(request, handler):
    key = request.headers.get("Idempotency-Key")
    if key:
        SEEN_KEYS.append({"method": request.method, "path": request.path, "key": key})
    if request.method == "GET" and request.path == "/_compat/idempotency-keys":
        return web.json_response(SEEN_KEYS)
    if request.method == "GET" and "created[gte]" in request.query:
        query = {k: v for k, v in request.query.items() if not k.startswith("created")}
        request = request.clone(rel_url=request.rel_url.with_query(query))
    return await handler(request)


server.app.middlewares.append(compat)
web.run_app(server.app, host="127.0.0.1", port=PORT, print=None)
