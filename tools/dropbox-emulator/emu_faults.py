"""Fault injection rules, set at start-up (--fault) or at run time (/__admin/faults).

A rule is a JSON object:
  {"kind": K, "route": "files/upload", "count": 2, ...kind-specific fields}
route is a substring of the request path ("" or absent = every API route);
count is how many requests the rule hits before it is used up (default 1,
null = forever). Kinds and their fields:
  rate_limit     429 + Retry-After; retry_after (s, default 1),
                 reason "too_many_requests" | "too_many_write_operations"
  server_error   status (default 500), e.g. 503
  drop_response  send the headers and after_bytes bytes of the body, then close
  drop_request   read after_bytes bytes of the request body, then close, no answer
  delay          sleep delay_ms (default 1000) before answering
  backoff        longpoll answers carry "backoff": seconds (default 5)
  entry_failure  one entry of finish_batch(_v2) fails alone, as Dropbox's per-entry
                 UploadSessionFinishError: path (substring of the entry's commit path,
                 "" = any), error (too_many_write_operations (default), content_hash_mismatch,
                 payload_too_large, too_many_shared_folder_targets); count counts entries
  expire_tokens  immediate: every access token issued so far is expired
  reset_cursors  immediate: every cursor issued so far gets `reset`
"""

import threading

KINDS = {
    "rate_limit": {"retry_after": 1, "reason": "too_many_requests"},
    "server_error": {"status": 500},
    "drop_response": {"after_bytes": 0},
    "drop_request": {"after_bytes": 0},
    "delay": {"delay_ms": 1000},
    "backoff": {"seconds": 5},
    "entry_failure": {"path": "", "error": "too_many_write_operations"},
}
ENTRY_ERRORS = ("too_many_write_operations", "content_hash_mismatch", "payload_too_large",
                "too_many_shared_folder_targets")
IMMEDIATE = ("expire_tokens", "reset_cursors")
REASONS = ("too_many_requests", "too_many_write_operations")


class FaultError(ValueError):
    pass


def _normalise(rule):
    if not isinstance(rule, dict):
        raise FaultError("a fault rule must be a JSON object")
    kind = rule.get("kind")
    if kind not in KINDS:
        raise FaultError("unknown fault kind %r (one of %s)" % (kind, ", ".join(list(KINDS) + list(IMMEDIATE))))
    out = {"kind": kind, "route": rule.get("route") or "", "count": rule.get("count", 1)}
    if kind == "backoff" and not out["route"]:
        out["route"] = "list_folder/longpoll"
    if kind == "entry_failure" and not out["route"]:
        out["route"] = "upload_session/finish_batch"
    for key, default in KINDS[kind].items():
        out[key] = rule.get(key, default)
    unknown = set(rule) - set(out)
    if unknown:
        raise FaultError("unknown field(s) for %s: %s" % (kind, ", ".join(sorted(unknown))))
    if out["count"] is not None and (not isinstance(out["count"], int) or out["count"] < 1):
        raise FaultError("count must be a positive integer or null")
    if kind == "rate_limit" and out["reason"] not in REASONS:
        raise FaultError("reason must be one of %s" % ", ".join(REASONS))
    if kind == "entry_failure" and out["error"] not in ENTRY_ERRORS:
        raise FaultError("error must be one of %s" % ", ".join(ENTRY_ERRORS))
    if kind == "server_error" and not 500 <= int(out["status"]) <= 599:
        raise FaultError("status must be 5xx")
    return out


class Faults:
    def __init__(self, on_immediate):
        """on_immediate(kind) performs expire_tokens / reset_cursors."""
        self._lock = threading.Lock()
        self._rules = []
        self._on_immediate = on_immediate

    def add(self, rules, replace=False):
        if isinstance(rules, dict):
            rules = [rules]
        if not isinstance(rules, list):
            raise FaultError("expected a rule object or a list of rules")
        immediate = [r.get("kind") for r in rules if isinstance(r, dict) and r.get("kind") in IMMEDIATE]
        parsed = [_normalise(r) for r in rules if not (isinstance(r, dict) and r.get("kind") in IMMEDIATE)]
        with self._lock:
            if replace:
                self._rules = []
            self._rules.extend(parsed)
        for kind in immediate:
            self._on_immediate(kind)
        return self.snapshot()

    def clear(self):
        with self._lock:
            self._rules = []

    def snapshot(self):
        with self._lock:
            return [dict(r) for r in self._rules]

    def take(self, kind, path, entry_path=None):
        """Consumes and returns the first rule of `kind` matching `path` (and, for
        entry_failure, the entry's commit path), or None."""
        with self._lock:
            for rule in self._rules:
                if rule["kind"] == kind and rule["route"] in path and (
                        entry_path is None or rule.get("path", "") in entry_path):
                    if rule["count"] is not None:
                        rule["count"] -= 1
                        if rule["count"] <= 0:
                            self._rules.remove(rule)
                    return dict(rule)
        return None
