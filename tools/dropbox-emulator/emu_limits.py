"""Write limits of one namespace, as Dropbox enforces them.

Dropbox serialises writes to a namespace; a client that sends many at once gets
429 too_many_write_operations with Retry-After and must wait or batch. Here a write
request holds one of `write_concurrency` slots from the moment its headers are in
until it is answered (a body being received counts: stricter than Dropbox, which
locks at commit time only, so that the limit bites on loopback too); a finish_batch
job holds its slot until the job is done. Data-only calls (upload_session/start,
append_v2, start_batch) and reads are not writes."""

import threading

WRITE_ROUTES = frozenset((
    "files/upload", "files/upload_session/finish", "files/upload_session/finish_batch",
    "files/upload_session/finish_batch_v2", "files/delete_v2", "files/create_folder_v2",
    "files/move_v2", "files/restore"))


class WriteLimiter:
    def __init__(self, config):
        self.config = config
        self._lock = threading.Lock()
        self.active = 0
        self.refused = 0
        self.total = 0  # write requests let in since start

    def enter(self):
        """Takes a slot, or returns False when the namespace is busy (0 = no limit)."""
        with self._lock:
            limit = self.config.write_concurrency
            if limit and self.active >= limit:
                self.refused += 1
                return False
            self.active += 1
            self.total += 1
            return True

    def hold(self):
        """One more slot for work that outlives its request (a finish_batch job)."""
        with self._lock:
            self.active += 1

    def leave(self):
        with self._lock:
            self.active -= 1

    def snapshot(self):
        with self._lock:
            return {"active": self.active, "refused": self.refused, "total": self.total,
                    "limit": self.config.write_concurrency}
