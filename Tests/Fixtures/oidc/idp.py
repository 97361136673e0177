"""A real OpenID Connect provider for SmartTicket's tests: oidc-provider-mock (PyPI, built on Authlib), started on a port.

Usage: python3 idp.py --port PORT --client-id ID --client-secret SECRET --redirect-uri URI [--post-logout-uri URI]
       [--user SUB '{"groups": [...], "email": ...}']...

What this adds to the package, all with Authlib's own code (nothing here signs, hashes or checks a token):
- one registered client (the gateway) with its secret and redirect URIs, and no other (require_client_registration);
  `PUT /test/client` with {"redirect_uris": [...]} sets its redirect URIs (a test learns the gateway's port after start);
- nonce required;
- PKCE required and checked: Authlib's RFC 7636 `CodeChallenge(required=True)` on the authorization code grant
  (the package registers the grant without it, so the code_challenge would be ignored);
- predefined users with their claims (groups go into the ID token: the package puts every non-standard claim there);
- the signing key's `kid` in the ID token's header, as real providers send it;
- `POST /test/rotate-key`: a new signing key (new kid) from then on, as a real IdP rotates its keys;
- `POST /test/backchannel-logout` {"sub", "uri"}: a logout token signed with the provider's key, posted to the client's
  back-channel logout URI (Back-Channel Logout 1.0), as a provider does when a person signs out there.
Prints `listening http://127.0.0.1:PORT` once it serves.
"""
import argparse
import json
import signal
import warnings

# A test process may start this one with signals blocked (its threads' mask is inherited): SIGTERM must stop it.
signal.pthread_sigmask(signal.SIG_SETMASK, [])

warnings.simplefilter("ignore")  # Authlib's deprecation notices, on every start

import authlib.integrations.flask_oauth2 as flask_oauth2
import authlib.oauth2.rfc7636 as rfc7636
import flask
import werkzeug.serving
from authlib import jose

from oidc_provider_mock import _app, _storage

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, default=0)
parser.add_argument("--client-id", required=True)
parser.add_argument("--client-secret", required=True)
parser.add_argument("--redirect-uri", action="append", default=[], help="registered redirect URI (repeatable; PUT /test/client adds more)")
parser.add_argument("--post-logout-uri", default=None)
parser.add_argument("--token-max-age", type=int, default=3600)
parser.add_argument("--user", nargs=2, action="append", default=[], metavar=("SUB", "CLAIMS"))
args = parser.parse_args()

# PKCE: the code challenge is kept with each code and checked by Authlib at the token endpoint.
challenges = {}
_save = _app.AuthorizationCodeGrant.save_authorization_code


def save_authorization_code(self, code, request):
    _save(self, code, request)
    challenges[code] = (request.payload.data.get("code_challenge"), request.payload.data.get("code_challenge_method"))


_app.AuthorizationCodeGrant.save_authorization_code = save_authorization_code


class CodeChallenge(rfc7636.CodeChallenge):
    def get_authorization_code_challenge(self, authorization_code):
        return challenges.get(authorization_code.code, (None, None))[0]

    def get_authorization_code_challenge_method(self, authorization_code):
        return challenges.get(authorization_code.code, (None, None))[1]


_register_grant = flask_oauth2.AuthorizationServer.register_grant


def register_grant(self, grant_cls, extensions=None):
    if grant_cls is _app.AuthorizationCodeGrant:
        extensions = list(extensions or []) + [CodeChallenge(required=True)]
    return _register_grant(self, grant_cls, extensions)


flask_oauth2.AuthorizationServer.register_grant = register_grant

# The key's id in the ID token's header (Authlib adds `kid` to the header when the configuration names one).
_jwt_config = _app.OpenIDCode.get_jwt_config


def get_jwt_config(self, grant, client=None):
    config = _jwt_config(self, grant, client)
    config["kid"] = config["key"].get("kid")
    return config


_app.OpenIDCode.get_jwt_config = get_jwt_config

from datetime import timedelta  # noqa: E402

users = [_storage.User(sub=sub, claims=json.loads(claims)) for sub, claims in args.user]
app = _app.app(require_client_registration=True, require_nonce=True, user_claims=users,
               access_token_max_age=timedelta(seconds=args.token_max_age))


redirect_uris = list(args.redirect_uri)


def store_client(store):
    store.store_client(_storage.Client(
        id=args.client_id, secret=args.client_secret, redirect_uris=list(redirect_uris),
        allowed_scopes=_storage.Client.SCOPES_SUPPORTED, token_endpoint_auth_method="client_secret_basic"))


@app.before_request
def register_client():
    store = flask.g.oidc_provider_mock_storage
    if store.get_client(args.client_id) is None:
        store_client(store)


@app.put("/test/client")
def set_client():
    redirect_uris[:] = list(flask.request.get_json()["redirect_uris"])
    store_client(flask.g.oidc_provider_mock_storage)
    return "", 204


@app.post("/test/rotate-key")
def rotate_key():
    store = flask.g.oidc_provider_mock_storage
    store.jwk = jose.RSAKey.generate_key(is_private=True)
    return flask.jsonify({"kid": store.jwk.as_dict().get("kid")})


@app.post("/test/backchannel-logout")
def backchannel_logout():
    """Signs a logout token (Back-Channel Logout 1.0) with the provider's signing key and posts it to `uri`, as a
    provider does when a person signs out there; answers the client's status."""
    import time
    import urllib.error
    import urllib.parse
    import urllib.request
    import uuid

    body = flask.request.get_json()
    store = flask.g.oidc_provider_mock_storage
    key = store.jwk
    claims = {"iss": flask.request.host_url.rstrip("/"), "aud": args.client_id, "iat": int(time.time()),
              "exp": int(time.time()) + 120, "jti": str(uuid.uuid4()),
              "events": {"http://schemas.openid.net/event/backchannel-logout": {}}}
    for name in ("sub", "sid"):
        if body.get(name):
            claims[name] = body[name]
    header = {"alg": "RS256", "kid": key.as_dict().get("kid"), "typ": "logout+jwt"}
    token = jose.jwt.encode(header, claims, key).decode()
    request = urllib.request.Request(body["uri"], data=urllib.parse.urlencode({"logout_token": token}).encode(),
                                     headers={"Content-Type": "application/x-www-form-urlencoded"}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return flask.jsonify({"status": answer.status})
    except urllib.error.HTTPError as error:
        return flask.jsonify({"status": error.code})


server = werkzeug.serving.make_server("127.0.0.1", args.port, app, threaded=True)
print(f"listening http://127.0.0.1:{server.server_port}", flush=True)
server.serve_forever()
