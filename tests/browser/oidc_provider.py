"""A tiny OpenID Connect provider for tests, on loopback: discovery, authorize (signs in a fixed user at once),
token (an RS256 id_token signed with joserfc, authlib's own JOSE library), JWKS and userinfo. Enough for
Streamlit's st.login round trip; not a provider for anything else."""

from __future__ import annotations

import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

from joserfc import jwt
from joserfc.jwk import RSAKey

CLIENT_ID = "gapura-test"
CLIENT_SECRET = "gapura-test-secret"


class Provider:
    def __init__(self, email: str, email_verified: bool = True) -> None:
        self.email, self.email_verified = email, email_verified
        self.key = RSAKey.generate_key(2048, parameters={"kid": "test", "use": "sig", "alg": "RS256"})
        self.codes: dict[str, str] = {}  # code -> nonce
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()

    def metadata(self) -> dict:
        return {
            "issuer": self.url, "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token", "jwks_uri": f"{self.url}/jwks",
            "userinfo_endpoint": f"{self.url}/userinfo", "response_types_supported": ["code"],
            "subject_types_supported": ["public"], "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile"], "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
        }  # fmt: skip

    def claims(self) -> dict:
        return {"sub": "user-1", "email": self.email, "email_verified": self.email_verified, "name": "Tes SSO"}

    def _handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def _json(self, data: dict, status: int = 200) -> None:
                body = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                url = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/.well-known/openid-configuration":
                    self._json(provider.metadata())
                elif url.path == "/jwks":
                    self._json({"keys": [provider.key.as_dict(private=False)]})
                elif url.path == "/userinfo":
                    self._json(provider.claims())
                elif url.path == "/authorize":
                    code = secrets.token_urlsafe(16)
                    provider.codes[code] = query.get("nonce", "")
                    target = query["redirect_uri"] + "?" + urlencode({"code": code, "state": query.get("state", "")})
                    self.send_response(302)
                    self.send_header("Location", target)
                    self.end_headers()
                else:
                    self._json({"error": "not_found"}, 404)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                nonce = provider.codes.pop(form.get("code", ""), None)
                if urlsplit(self.path).path != "/token" or nonce is None:
                    self._json({"error": "invalid_grant"}, 400)
                    return
                now = int(time.time())
                claims = provider.claims() | {"iss": provider.url, "aud": CLIENT_ID, "iat": now, "exp": now + 300}
                if nonce:
                    claims["nonce"] = nonce
                id_token = jwt.encode({"alg": "RS256", "kid": "test"}, claims, provider.key)
                self._json({"access_token": secrets.token_urlsafe(16), "token_type": "Bearer", "expires_in": 300,
                            "id_token": id_token, "scope": "openid email profile"})  # fmt: skip

        return Handler
