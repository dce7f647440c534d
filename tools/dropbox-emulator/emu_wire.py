"""Wire-format helpers shared by the emulator modules.

Errors as the Dropbox API v2 puts them on the wire, JSON encoding for the
Dropbox-API-Result header, path normalisation (NFC, case-insensitive,
case-preserving), content_hash, timestamps, and a small validator for route
arguments that rejects what the real server rejects (unknown fields, wrong types).
"""

import datetime
import hashlib
import json
import re
import unicodedata

from emu_case import dbx_lower

BLOCK_SIZE = 4 * 1024 * 1024
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


class ApiFailure(Exception):
    """A route error: HTTP 409 with {"error_summary", "error"}."""

    def __init__(self, error):
        super().__init__(error)
        self.error = error

    def body(self):
        return {"error_summary": summary_of(self.error), "error": self.error}


class BadRequest(Exception):
    """HTTP 400 with a plain-text body, as Dropbox answers malformed input."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.message = message
        self.status = status


class AuthFailure(Exception):
    """HTTP 401 with {"error": {".tag": tag}}."""

    def __init__(self, tag):
        super().__init__(tag)
        self.tag = tag


def summary_of(error):
    """Dropbox's error_summary: the chain of union tags, then "/.."."""
    tags = []
    node = error
    while isinstance(node, dict) and ".tag" in node:
        tag = node[".tag"]
        tags.append(tag)
        inner = node.get(tag)
        if isinstance(inner, dict) and ".tag" in inner:
            node = inner
        elif isinstance(node.get("reason"), dict):  # UploadWriteFailed is a struct member
            node = node["reason"]
        else:
            break
    return "/".join(tags) + "/.."


def tag(name, **fields):
    out = {".tag": name}
    out.update(fields)
    return out


def nest(outer, inner):
    """A union member whose value is another union: {".tag": outer, outer: inner}."""
    return {".tag": outer, outer: inner}


def lookup_error(kind):
    return tag(kind)


def write_conflict(kind):
    return nest("conflict", tag(kind))


def json_bytes(obj):
    return json.dumps(obj, ensure_ascii=False, separators=(", ", ": ")).encode("utf-8")


def header_json(obj):
    """JSON safe for an HTTP header: every non-ASCII char and DEL as \\uXXXX."""
    text = json.dumps(obj, ensure_ascii=True)
    return text.replace("\x7f", "\\u007f")


def iso(ts):
    return datetime.datetime.fromtimestamp(int(ts), datetime.timezone.utc).strftime(TIME_FORMAT)


class ContentHasher:
    """Dropbox content_hash: SHA-256 of each 4 MiB block, then of the digests."""

    def __init__(self):
        self._overall = hashlib.sha256()
        self._block = hashlib.sha256()
        self._block_len = 0
        self.size = 0

    def update(self, data):
        view = memoryview(data)
        self.size += len(view)
        while len(view):
            take = min(BLOCK_SIZE - self._block_len, len(view))
            self._block.update(view[:take])
            self._block_len += take
            view = view[take:]
            if self._block_len == BLOCK_SIZE:
                self._overall.update(self._block.digest())
                self._block = hashlib.sha256()
                self._block_len = 0

    def hexdigest(self):
        overall = self._overall.copy()
        if self._block_len:
            overall.update(self._block.digest())
        return overall.hexdigest()


def content_hash(data):
    h = ContentHasher()
    h.update(data)
    return h.hexdigest()


# --- paths ----------------------------------------------------------------

# Names Dropbox refuses to store (the desktop client ignores them too).
DISALLOWED_NAMES = {"desktop.ini", "thumbs.db", ".ds_store", "icon\r", ".dropbox", ".dropbox.attr"}


class Path:
    """A normalised path: display form (NFC, as given) and lower form."""

    __slots__ = ("display", "lower")

    def __init__(self, display):
        self.display = display
        self.lower = lower(display)

    @property
    def name(self):
        return self.display.rsplit("/", 1)[-1]

    @property
    def parent_lower(self):
        return self.lower.rsplit("/", 1)[0]

    def ancestors_lower(self):
        parts = self.lower.split("/")[1:-1]
        out, cur = [], ""
        for p in parts:
            cur += "/" + p
            out.append(cur)
        return out

    def __repr__(self):
        return "Path(%r)" % self.display


def lower(text):
    """Dropbox's path_lower (emu_case: Unicode 4.1 simple mapping, not str.lower)."""
    return dbx_lower(text)


def parse_path(raw, allow_root=False):
    """Returns a Path, or None for the root when allowed.

    Raises ValueError("root") or ValueError("malformed"); callers translate it
    into the LookupError/WriteError of their route."""
    if raw == "":
        if allow_root:
            return None
        raise ValueError("root")
    if not raw.startswith("/"):
        raise ValueError("malformed")
    text = unicodedata.normalize("NFC", raw)
    if text == "/":
        raise ValueError("malformed")
    parts = text.split("/")[1:]
    for p in parts:
        if p in ("", ".", ".."):
            raise ValueError("malformed")
    return Path(text)


def parse_range(header, size):
    """(start, end) inclusive, "unsatisfiable", or None to send the whole file."""
    if not header:
        return None
    m = re.fullmatch(r"\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*", header)
    if not m or m.group(1) == m.group(2) == "":
        return None
    first, last = m.groups()
    if first == "":
        n = int(last)
        if n == 0 or size == 0:
            return "unsatisfiable"
        return (max(0, size - n), size - 1)
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or start > end:
        return "unsatisfiable"
    return (start, end)


def is_disallowed(name):
    return name.lower() in DISALLOWED_NAMES


def split_ext(name):
    dot = name.rfind(".")
    if dot <= 0:
        return name, ""
    return name[:dot], name[dot:]


# --- argument validation ----------------------------------------------------

REQUIRED = object()


class Field:
    def __init__(self, kind, default=None, **opts):
        self.kind = kind
        self.default = default
        self.opts = opts


def F(kind, default=None, **opts):
    return Field(kind, default, **opts)


def validate(route, schema, obj, where="request body"):
    """Checks obj against schema (name -> Field); returns a dict with defaults."""
    if obj is None:
        obj = {}
    if not isinstance(obj, dict):
        raise BadRequest(_msg(route, "%s: expected object, got %s" % (where, _type(obj))))
    for key in obj:
        if key not in schema:
            raise BadRequest(_msg(route, '%s: unknown field "%s"' % (where, key)))
    out = {}
    for name, field in schema.items():
        val = obj.get(name)
        loc = "%s: %s" % (where, name) if where else name
        if val is None:
            if field.default is REQUIRED:
                raise BadRequest(_msg(route, "%s: missing required field" % loc))
            out[name] = field.default
            continue
        out[name] = _check(route, loc, field, val)
    return out


def _check(route, loc, field, val):
    kind = field.kind
    if kind == "any":
        return val
    if kind == "bool":
        if not isinstance(val, bool):
            raise BadRequest(_msg(route, "%s: expected boolean, got %s" % (loc, _type(val))))
        return val
    if kind == "int":
        if isinstance(val, bool) or not isinstance(val, int):
            raise BadRequest(_msg(route, "%s: expected integer, got %s" % (loc, _type(val))))
        lo, hi = field.opts.get("min", 0), field.opts.get("max", 2 ** 64 - 1)
        if not lo <= val <= hi:
            raise BadRequest(_msg(route, "%s: %d is not within [%d, %d]" % (loc, val, lo, hi)))
        return val
    if kind == "str":
        if not isinstance(val, str):
            raise BadRequest(_msg(route, "%s: expected string, got %s" % (loc, _type(val))))
        pattern = field.opts.get("pattern")
        if pattern and not re.fullmatch(pattern, val, re.S):
            raise BadRequest(_msg(route, "%s: '%s' did not match pattern '%s'" % (loc, val, pattern)))
        if len(val) < field.opts.get("min_len", 0):
            raise BadRequest(_msg(route, "%s: '%s' is too short" % (loc, val)))
        return val
    if kind == "time":
        if not isinstance(val, str):
            raise BadRequest(_msg(route, "%s: expected timestamp, got %s" % (loc, _type(val))))
        try:
            datetime.datetime.strptime(val, TIME_FORMAT)
        except ValueError:
            raise BadRequest(_msg(route, "%s: timestamp '%s' does not match format '%s'"
                                  % (loc, val, "%Y-%m-%dT%H:%M:%SZ")))
        return val
    if kind == "union":
        return _check_union(route, loc, field.opts["members"], val)
    if kind == "struct":
        return validate(route, field.opts["schema"], val, loc)
    if kind == "list":
        if not isinstance(val, list):
            raise BadRequest(_msg(route, "%s: expected list, got %s" % (loc, _type(val))))
        most = field.opts.get("max_items")
        if most is not None and len(val) > most:
            raise BadRequest(_msg(route, "%s: list has more than %d items" % (loc, most)))
        return [_check(route, "%s[%d]" % (loc, i), field.opts["item"], v) for i, v in enumerate(val)]
    raise AssertionError(kind)


def _check_union(route, loc, members, val):
    """members: tag -> None (void) or Field. Void members may be given as a string."""
    if isinstance(val, str):
        tag_name, payload = val, None
        if tag_name in members and members[tag_name] is not None:
            raise BadRequest(_msg(route, "%s: tag '%s' requires a value" % (loc, tag_name)))
    elif isinstance(val, dict) and isinstance(val.get(".tag"), str):
        tag_name = val[".tag"]
        payload = val.get(tag_name)
        extra = [k for k in val if k not in (".tag", tag_name)]
        if extra:
            raise BadRequest(_msg(route, '%s: unknown field "%s"' % (loc, extra[0])))
    else:
        raise BadRequest(_msg(route, "%s: expected union, got %s" % (loc, _type(val))))
    if tag_name not in members:
        raise BadRequest(_msg(route, "%s: unknown tag '%s'" % (loc, tag_name)))
    spec = members[tag_name]
    if spec is None:
        return (tag_name, None)
    if payload is None:
        raise BadRequest(_msg(route, "%s: missing value for tag '%s'" % (loc, tag_name)))
    return (tag_name, _check(route, "%s.%s" % (loc, tag_name), spec, payload))


def _msg(route, text):
    return 'Error in call to API function "%s": %s' % (route, text)


def _type(val):
    return {dict: "object", list: "list", str: "string", bool: "boolean",
            int: "integer", float: "float", type(None): "null"}.get(type(val), type(val).__name__)


def api_msg(route, text):
    return _msg(route, text)


# Schemas for the routes the emulator serves (fields exactly as in the SDK's spec).
REV = r"[0-9a-f]+"
WRITE_MODE = F("union", ("add", None),
               members={"add": None, "overwrite": None,
                        "update": F("str", pattern=REV, min_len=9)})
HASH = F("str", pattern=r"[0-9a-f]{64}")
COMMIT = {
    "path": F("str", REQUIRED, pattern=r"(/(.|[\r\n])*)|(ns:[0-9]+(/.*)?)|(id:.*)"),
    "mode": WRITE_MODE,
    "autorename": F("bool", False),
    "client_modified": F("time"),
    "mute": F("bool", False),
    "property_groups": F("any"),
    "strict_conflict": F("bool", False),
}
CURSOR = {"session_id": F("str", REQUIRED), "offset": F("int", REQUIRED)}
LIST_FOLDER = {
    "path": F("str", REQUIRED, pattern=r"(/(.|[\r\n])*)?|id:.*|(ns:[0-9]+(/.*)?)"),
    "recursive": F("bool", False),
    "include_media_info": F("bool", False),
    "include_deleted": F("bool", False),
    "include_has_explicit_shared_members": F("bool", False),
    "include_mounted_folders": F("bool", True),
    "limit": F("int", min=1, max=2000),
    "shared_link": F("any"),
    "include_property_groups": F("any"),
    "include_non_downloadable_files": F("bool", True),
}
FINISH = {
    "cursor": F("struct", REQUIRED, schema=CURSOR),
    "commit": F("struct", REQUIRED, schema=COMMIT),
    "content_hash": HASH}
FINISH_BATCH = {"entries": F("list", REQUIRED, max_items=1000, item=F("struct", schema=FINISH))}
SCHEMAS = {
    "files/list_folder": LIST_FOLDER,
    "files/list_folder/get_latest_cursor": LIST_FOLDER,
    "files/list_folder/continue": {"cursor": F("str", REQUIRED, min_len=1)},
    "files/list_folder/longpoll": {"cursor": F("str", REQUIRED, min_len=1),
                                   "timeout": F("int", 30, min=0)},
    "files/upload": dict(COMMIT, content_hash=HASH),
    "files/upload_session/start": {
        "close": F("bool", False),
        "session_type": F("union", members={"sequential": None, "concurrent": None}),
        "content_hash": HASH},
    "files/upload_session/append_v2": {
        "cursor": F("struct", REQUIRED, schema=CURSOR),
        "close": F("bool", False),
        "content_hash": HASH},
    "files/upload_session/finish": FINISH,
    "files/upload_session/start_batch": {
        "session_type": F("union", members={"sequential": None, "concurrent": None}),
        "num_sessions": F("int", REQUIRED, min=1, max=1000)},
    "files/upload_session/finish_batch": FINISH_BATCH,
    "files/upload_session/finish_batch_v2": FINISH_BATCH,
    "files/upload_session/finish_batch/check": {"async_job_id": F("str", REQUIRED, min_len=1)},
    "files/list_revisions": {
        "path": F("str", REQUIRED, pattern=r"/(.|[\r\n])*|id:.*|(ns:[0-9]+(/.*)?)"),
        "mode": F("union", ("path", None), members={"path": None, "id": None}),
        "limit": F("int", 10, min=1, max=100)},
    "files/restore": {
        "path": F("str", REQUIRED, pattern=r"(/(.|[\r\n])*)|(ns:[0-9]+(/.*)?)"),
        "rev": F("str", REQUIRED, pattern=REV, min_len=9)},
    "files/download": {
        "path": F("str", REQUIRED, pattern=r"(/(.|[\r\n])*|id:.*)|(rev:[0-9a-f]{9,})|(ns:[0-9]+(/.*)?)"),
        "rev": F("str", pattern=REV, min_len=9)},
    "files/get_metadata": {  # "" passes so the route can say why it is refused
        "path": F("str", REQUIRED, pattern=r"|(/(.|[\r\n])*|id:.*)|(rev:[0-9a-f]{9,})|(ns:[0-9]+(/.*)?)"),
        "include_media_info": F("bool", False),
        "include_deleted": F("bool", False),
        "include_has_explicit_shared_members": F("bool", False),
        "include_property_groups": F("any")},
    "files/delete_v2": {
        "path": F("str", REQUIRED, pattern=r"(/(.|[\r\n])*)|(ns:[0-9]+(/.*)?)|(id:.*)"),
        "parent_rev": F("str", pattern=REV, min_len=9)},
    "files/create_folder_v2": {
        "path": F("str", REQUIRED, pattern=r"(/(.|[\r\n])*)|(ns:[0-9]+(/.*)?)"),
        "autorename": F("bool", False)},
    "files/move_v2": {
        "from_path": F("str", REQUIRED, pattern=r"(/(.|[\r\n])*)|(ns:[0-9]+(/.*)?)|(id:.*)"),
        "to_path": F("str", REQUIRED, pattern=r"(/(.|[\r\n])*)|(ns:[0-9]+(/.*)?)|(id:.*)"),
        "allow_shared_folder": F("bool", False),
        "autorename": F("bool", False),
        "allow_ownership_transfer": F("bool", False)},
}
