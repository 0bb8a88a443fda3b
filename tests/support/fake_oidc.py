"""A tiny OpenID Connect provider on 127.0.0.1, in a thread: the discovery document, the token
endpoint (authorization code, client secret, PKCE), userinfo and the signing keys (JWKS). The
sign-in tests talk to it over real HTTP, as allauth talks to a brand's identity server."""

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

CLIENT_ID = "cocrea-test-client"
CLIENT_SECRET = "cocrea-test-secret"  # noqa: S105 - a test peer's own secret
KEY_ID = "test-key-1"


class FakeOIDCProvider:
    def __init__(self, *, sub="customer-42", email="ana@brand.example", name="Ana Brand"):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.user = {
            "sub": sub,
            "email": email,
            "email_verified": True,
            "name": name,
            "given_name": name.split()[0],
            "family_name": name.split()[-1],
        }
        self.codes = {}  # code -> {"nonce", "redirect_uri", "challenge"}
        self.tokens = {}  # access token -> userinfo
        self.requests = []  # (method, path) of every request, for assertions
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self):
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def discovery(self):
        return {
            "issuer": self.url,
            "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token",
            "userinfo_endpoint": f"{self.url}/userinfo",
            "jwks_uri": f"{self.url}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
        }

    def jwks(self):
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**public, "kid": KEY_ID, "alg": "RS256", "use": "sig"}]}

    def authorize(self, query):
        """What the provider's login page does once the person signed in: a code for them."""
        code = secrets.token_urlsafe(16)
        self.codes[code] = {
            "nonce": query.get("nonce"),
            "redirect_uri": query["redirect_uri"],
            "challenge": query.get("code_challenge"),
        }
        return code

    def _token(self, form, headers):
        client_id, secret = form.get("client_id"), form.get("client_secret")
        if not secret and headers.get("Authorization", "").startswith("Basic "):
            raw = base64.b64decode(headers["Authorization"][6:]).decode()
            client_id, _, secret = raw.partition(":")
        if (client_id, secret) != (CLIENT_ID, CLIENT_SECRET):
            return 401, {"error": "invalid_client"}
        grant = self.codes.pop(form.get("code", ""), None)
        if grant is None or grant["redirect_uri"] != form.get("redirect_uri"):
            return 400, {"error": "invalid_grant"}
        if grant["challenge"]:
            digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
            if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != grant["challenge"]:
                return 400, {"error": "invalid_grant", "error_description": "PKCE"}
        access = secrets.token_urlsafe(24)
        self.tokens[access] = dict(self.user)
        now = int(time.time())
        claims = {"iss": self.url, "aud": CLIENT_ID, "iat": now, "exp": now + 300, **self.user}
        if grant["nonce"]:
            claims["nonce"] = grant["nonce"]
        id_token = jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": KEY_ID})
        return 200, {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": 300,
            "id_token": id_token,
        }

    def _handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet test output
                pass

            def _json(self, status, body):
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def do_GET(self):
                path = urlsplit(self.path).path
                provider.requests.append(("GET", path))
                if path == "/.well-known/openid-configuration":
                    return self._json(200, provider.discovery())
                if path == "/jwks":
                    return self._json(200, provider.jwks())
                if path == "/authorize":
                    # The person is signed in at the provider and consents at once.
                    query = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
                    code = provider.authorize(query)
                    back = f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"
                    self.send_response(302)
                    self.send_header("Location", back)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return None
                if path == "/userinfo":
                    token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                    info = provider.tokens.get(token)
                    return self._json(200, info) if info else self._json(401, {})
                return self._json(404, {"error": "not_found"})

            def do_POST(self):
                path = urlsplit(self.path).path
                provider.requests.append(("POST", path))
                length = int(self.headers.get("Content-Length", "0"))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if path == "/token":
                    return self._json(*provider._token(form, self.headers))
                return self._json(404, {"error": "not_found"})

        return Handler
