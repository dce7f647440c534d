"""Shared set-up for the emulator conformance tests (imported by test_conformance.py).

Importing this module starts one emulator over TLS with a throwaway CA, points
the official Dropbox SDK at it (environment variables set before `import
dropbox`), and obtains the suite's token through the real OAuth PKCE flow.
"""

import atexit
import html.parser
import json
import logging
import os
import shutil
import ssl
import sys
import tempfile
import unittest
import urllib.error
import urllib.parse
import urllib.request
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from emulator_fixture import Emulator  # noqa: E402

APP_KEY = "muze-test-app"
_LOG_DIR = tempfile.mkdtemp(prefix="dbx-emu-log-")
LOG = os.path.join(_LOG_DIR, "emulator.log")

# The redirect URIs the OAuth tests use, "registered" as in the App Console.
REDIRECT_URIS = ["http://127.0.0.1:9/muze-callback", "http://localhost:9/cb"]
# Longpoll jitter scaled down from Dropbox's 90 s to 1 s.
EMU = Emulator(tls=True, app_key=APP_KEY, longpoll_min=1, longpoll_jitter=1, log_path=LOG,
               redirect_uris=REDIRECT_URIS).start()
atexit.register(EMU.cleanup)
atexit.register(shutil.rmtree, _LOG_DIR, True)
os.environ.update(EMU.sdk_env())

import dropbox  # noqa: E402  (after the environment is set: session.py reads it at import)
import requests  # noqa: E402
from dropbox import files, users  # noqa: E402
from dropbox.exceptions import ApiError, AuthError, BadInputError, HttpError  # noqa: E402
from dropbox.exceptions import InternalServerError, RateLimitError  # noqa: E402
from stone.backends.python_rsrc import stone_serializers  # noqa: E402

SSL_CTX = ssl.create_default_context(cafile=EMU.ca_cert)
logging.getLogger("dropbox").setLevel(logging.ERROR)  # expected refresh warnings are noise
BASE = EMU.base_url

__all__ = ["EMU", "APP_KEY", "BASE", "dropbox", "files", "users", "requests", "ApiError",
           "AuthError", "BadInputError", "HttpError", "InternalServerError", "RateLimitError",
           "Base", "approve", "browse", "oauth_pkce", "raw", "strict", "LOG"]


# --- a tiny browser for the authorize page ------------------------------------------

class _Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms, self.code, self._in_code = [], None, False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action"), "method": (a.get("method") or "get").lower(),
                               "fields": [], "buttons": []})
        elif tag == "input" and self.forms and a.get("name"):
            self.forms[-1]["fields"].append((a["name"], a.get("value", "")))
        elif tag == "button" and self.forms:
            self.forms[-1]["buttons"].append((a.get("name"), a.get("value"), a.get("id")))
        elif tag == "code" and a.get("id") == "code":
            self._in_code = True

    def handle_endtag(self, tag):
        if tag == "code":
            self._in_code = False

    def handle_data(self, data):
        if self._in_code:
            self.code = (self.code or "") + data


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def browse(url, data=None):
    """(status, headers, text) like a browser that does not follow redirects."""
    opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=SSL_CTX), _NoRedirect())
    req = urllib.request.Request(url, data=data)
    try:
        with opener.open(req, timeout=30) as resp:
            return resp.status, resp.headers, resp.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode("utf-8")


def approve(authorize_url, decision="allow"):
    """Loads the authorize page and submits its form with the Allow (or Cancel) button."""
    status, _, text = browse(authorize_url)
    assert status == 200, (status, text)
    page = _Page()
    page.feed(text)
    assert len(page.forms) == 1, text
    form = page.forms[0]
    assert form["method"] == "post"
    button = [b for b in form["buttons"] if b[1] == decision]
    assert button, form["buttons"]
    fields = form["fields"] + [(button[0][0], button[0][1])]
    target = urllib.parse.urljoin(authorize_url, form["action"])
    status, headers, text = browse(target, urllib.parse.urlencode(fields).encode())
    page = _Page()
    page.feed(text)
    return status, headers, page.code


def oauth_pkce():
    """The real no-redirect PKCE flow: start, approve in the 'browser', finish."""
    flow = dropbox.DropboxOAuth2FlowNoRedirect(APP_KEY, use_pkce=True, token_access_type="offline",
                                               ca_certs=EMU.ca_cert)
    status, _, code = approve(flow.start())
    assert status == 200 and code, status
    return flow.finish(code.strip())


# --- raw HTTP, for what the SDK hides ------------------------------------------------

_SESSION = requests.Session()
_SESSION.verify = EMU.ca_cert


def raw(route, arg=None, token=None, body=None, headers=None, style="rpc", method="POST", params=None):
    """A request built by hand; returns the requests.Response."""
    h = {}
    if token:
        h["Authorization"] = "Bearer " + token
    data = body
    if style == "rpc":
        h["Content-Type"] = "application/json"
        if body is None:
            data = json.dumps(arg).encode()
    else:
        if arg is not None:
            h["Dropbox-API-Arg"] = json.dumps(arg)
        if style == "upload":
            h["Content-Type"] = "application/octet-stream"
    h.update(headers or {})
    h = {k: v for k, v in h.items() if v is not None}
    return _SESSION.request(method, BASE + "/2/" + route, data=data, headers=h, params=params,
                            timeout=60)


def strict(route, obj, error=False):
    """Decodes obj with the SDK's validators in strict mode (no unknown fields allowed)."""
    data_type = route.error_type if error else route.result_type
    return stone_serializers.json_compat_obj_decode(data_type, obj, strict=True)


# --- test base class ------------------------------------------------------------------

class Base(unittest.TestCase):
    """Gives each test a client with the suite's OAuth token and a folder of its own."""

    oauth = None

    @classmethod
    def setUpClass(cls):
        warnings.simplefilter("ignore", ResourceWarning)
        if Base.oauth is None:
            Base.oauth = oauth_pkce()

    @property
    def token(self):
        return Base.oauth.access_token

    def client(self, token=None, **kw):
        kw.setdefault("max_retries_on_error", 0)
        kw.setdefault("max_retries_on_rate_limit", 0)
        return dropbox.Dropbox(oauth2_access_token=token or self.token, ca_certs=EMU.ca_cert, **kw)

    def setUp(self):
        # Clients left to the garbage collector are the SDK's business, not the emulator's.
        warnings.simplefilter("ignore", ResourceWarning)
        self.dbx = self.client()
        self.root = "/%s-%s" % (type(self).__name__, self._testMethodName)

    def tearDown(self):
        EMU.clear_faults()
        self.dbx.close()

    def p(self, rel):
        return self.root + "/" + rel

    def api_error(self, fn, *args, **kw):
        """Calls fn expecting the SDK's typed ApiError; returns its .error."""
        with self.assertRaises(ApiError) as cm:
            fn(*args, **kw)
        return cm.exception.error
