"""A small, real OpenID provider for the tests: discovery, JWKS, authorize, token and userinfo over
HTTP on loopback, ID tokens signed RS256 with a key generated per run (joserfc)."""
from __future__ import annotations

import secrets
import threading
import time
from base64 import b64decode
from urllib.parse import urlencode

from flask import Flask, abort, jsonify, redirect, request
from joserfc import jwt
from joserfc.jwk import RSAKey
from werkzeug.serving import make_server

CLIENT_ID, CLIENT_SECRET = "plan-tracker", "s3cret-of-the-client"


class Provider:
    def __init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": "test-key", "use": "sig", "alg": "RS256"})
        self.person: dict = {}     # the claims of whoever "logs in" at the platform next
        self.codes: dict[str, dict] = {}
        self.app = self._build()
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.issuer = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Provider:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.thread.join(timeout=5)

    def _build(self) -> Flask:
        app = Flask("oidc-provider")

        @app.get("/.well-known/openid-configuration")
        def discovery():
            return jsonify(issuer=self.issuer, authorization_endpoint=f"{self.issuer}/authorize",
                           token_endpoint=f"{self.issuer}/token", userinfo_endpoint=f"{self.issuer}/userinfo",
                           jwks_uri=f"{self.issuer}/jwks", response_types_supported=["code"],
                           subject_types_supported=["public"], id_token_signing_alg_values_supported=["RS256"])

        @app.get("/jwks")
        def jwks():
            return jsonify(keys=[self.key.as_dict(private=False)])

        @app.get("/authorize")
        def authorize():
            if request.args.get("client_id") != CLIENT_ID or request.args.get("response_type") != "code":
                abort(400)
            code = secrets.token_urlsafe(16)
            self.codes[code] = {"nonce": request.args.get("nonce"), "redirect_uri": request.args["redirect_uri"],
                                "claims": dict(self.person)}
            return redirect(request.args["redirect_uri"] + "?" + urlencode({"code": code,
                                                                            "state": request.args["state"]}))

        @app.post("/token")
        def token():
            auth = request.headers.get("Authorization", "")
            client_id, secret = request.form.get("client_id"), request.form.get("client_secret")
            if auth.startswith("Basic "):
                client_id, _, secret = b64decode(auth[6:]).decode().partition(":")
            if (client_id, secret) != (CLIENT_ID, CLIENT_SECRET):
                return jsonify(error="invalid_client"), 401
            grant = self.codes.pop(request.form.get("code", ""), None)
            if grant is None or grant["redirect_uri"] != request.form.get("redirect_uri"):
                return jsonify(error="invalid_grant"), 400
            now = int(time.time())
            claims = {"iss": self.issuer, "aud": CLIENT_ID, "iat": now, "exp": now + 300,
                      "nonce": grant["nonce"], **grant["claims"]}
            id_token = jwt.encode({"alg": "RS256", "kid": "test-key"}, claims, self.key)
            return jsonify(access_token=secrets.token_urlsafe(16), token_type="Bearer", expires_in=300,
                           id_token=id_token)

        return app
