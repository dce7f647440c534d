"""The admin API (/__admin/*, loopback only): state, faults, config, tokens and the
redirect-URI allow-list. `handle` returns (status, JSON object) or (404, None)."""

from emu_faults import FaultError


def handle(emu, method, name, data):
    """Raises ValueError / FaultError for a bad request body (400)."""
    if name == "health":
        return 200, {"ok": True}
    if name == "state" and method == "GET":
        return 200, emu.state()
    if name == "faults" and method == "GET":
        return 200, {"faults": emu.faults.snapshot()}
    if name == "faults" and method == "DELETE" or name == "faults/clear":
        emu.faults.clear()
        return 200, {"faults": []}
    if name == "faults" and method == "POST":
        replace = isinstance(data, dict) and "rules" in data and bool(data.get("replace"))
        rules = data["rules"] if isinstance(data, dict) and "rules" in data else data
        return 200, {"faults": emu.faults.add(rules, replace)}
    if name in ("expire_tokens", "reset_cursors") and method == "POST":
        emu.faults.add({"kind": name})
        return 200, {"ok": True}
    if name == "config" and method == "POST":
        emu.config.update(data or {})
        return 200, {"config": emu.config.public()}
    if name == "redirect_uris":
        if method == "POST":
            emu.config.allow_redirect_uris(data)
        return 200, {"redirect_uris": list(emu.config.redirect_uris)}
    if name == "token" and method == "POST":
        data = data or {}
        out, refresh = emu.auth.issue(data.get("client_id") or emu.config.app_key or "emulator",
                                      bool(data.get("offline", True)), True)
        if refresh:
            out["refresh_token"] = refresh
        out.update(emu.auth.account_fields())
        return 200, out
    return 404, None


def check_uri_list(data):
    """A POST body for redirect_uris: a URI, a list, or {"uris": [...], "replace": bool}."""
    replace = False
    if isinstance(data, dict):
        replace = bool(data.get("replace"))
        data = data.get("uris")
    if isinstance(data, str):
        data = [data]
    if not isinstance(data, list) or not all(isinstance(u, str) and u for u in data):
        raise FaultError('expected a URI, a list of URIs or {"uris": [...], "replace": bool}')
    return data, replace
