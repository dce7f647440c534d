"""upload_session/start_batch and the batch commits: finish_batch_v2 (synchronous,
one result per entry) and finish_batch (an async job polled with finish_batch/check).

Every entry's session must be closed (`lookup_failed/not_closed` otherwise) and its
cursor offset must be the session's length; each entry succeeds or fails on its own,
in order. A job's first check always answers `in_progress`, so a client that does
not poll is caught; jobs live in SQLite, and a job cut short by a restart answers
`internal_error`."""

import json
import threading

from emu_store import random_id
from emu_wire import ApiFailure, BadRequest, api_msg, tag


class Batches:
    def __init__(self, store, sessions, faults=None):
        self.store = store
        self.sessions = sessions
        self.faults = faults
        with store.tx():
            store.db.execute("UPDATE jobs SET result=? WHERE result IS NULL", (json.dumps("internal_error"),))

    def start(self, arg):
        if arg["session_type"] and arg["session_type"][0] == "concurrent":
            raise BadRequest(api_msg("files/upload_session/start_batch",
                                     "concurrent upload sessions are not supported by the emulator"))
        return {"session_ids": self.sessions.new_empty(arg["num_sessions"])}

    def finish_v2(self, arg, route="files/upload_session/finish_batch_v2"):
        return {"entries": [self._entry(e, route) for e in arg["entries"]]}

    def _entry(self, entry, route):
        rule = self.faults and self.faults.take("entry_failure", route, entry["commit"]["path"])
        if rule:  # fails alone, and leaves its session as it was
            return {".tag": "failure", "failure": tag(rule["error"])}
        try:
            return dict({".tag": "success"}, **self.sessions.finish_closed(entry))
        except ApiFailure as failure:
            return {".tag": "failure", "failure": failure.error}

    def finish(self, arg, on_done=None):
        """Launches the commit as a job; returns UploadSessionFinishBatchLaunch."""
        job = "dbjid:" + random_id(24)
        with self.store.tx():
            self.store.db.execute("INSERT INTO jobs(id, result, checks) VALUES(?, NULL, 0)", (job,))

        def run():
            try:
                result = self.finish_v2(arg, "files/upload_session/finish_batch")
            except Exception:  # noqa: BLE001 - reported to the poller, as Dropbox does
                result = "internal_error"
            finally:
                if on_done:
                    on_done()
            with self.store.tx():
                self.store.db.execute("UPDATE jobs SET result=? WHERE id=?", (json.dumps(result), job))

        threading.Thread(target=run, daemon=True).start()
        return {".tag": "async_job_id", "async_job_id": job}

    def check(self, arg):
        """UploadSessionFinishBatchJobStatus, or PollError."""
        with self.store.tx():
            row = self.store.q1("SELECT * FROM jobs WHERE id=?", arg["async_job_id"])
            if row is None:
                raise ApiFailure(tag("invalid_async_job_id"))
            self.store.db.execute("UPDATE jobs SET checks=checks+1 WHERE id=?", (row["id"],))
        if row["result"] is None or row["checks"] == 0:
            return {".tag": "in_progress"}
        result = json.loads(row["result"])
        if result == "internal_error":
            raise ApiFailure(tag("internal_error"))
        return dict({".tag": "complete"}, **result)
