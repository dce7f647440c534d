"""Write limits: more concurrent writes to the namespace than it takes are refused with
429 too_many_write_operations and Retry-After, as on Dropbox; batches count once."""

import threading
import time

from conformance_base import EMU, Base, RateLimitError, files, raw


class WriteLimits(Base):
    def _busy(self, count, delay_ms=1500):
        """`count` uploads in flight (held by a delay fault) while the test goes on."""
        EMU.add_faults({"kind": "delay", "route": "files/upload", "delay_ms": delay_ms, "count": count})
        done = []

        def slow(i):
            done.append(self.client().files_upload(b"slow %d" % i, self.p("slow%d.json" % i)))
        threads = [threading.Thread(target=slow, args=(i,)) for i in range(count)]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 10
        while EMU.state()["writes"]["active"] < count and time.monotonic() < deadline:
            time.sleep(0.02)
        self.assertEqual(EMU.state()["writes"]["active"], count)
        return threads, done

    def test_too_many_writes_at_once_are_refused(self):
        self.assertEqual(EMU.state()["writes"]["limit"], 2)
        threads, done = self._busy(2)
        try:
            with self.assertRaises(RateLimitError) as cm:
                self.dbx.files_upload(b"third", self.p("third.json"))
            self.assertTrue(cm.exception.error.reason.is_too_many_write_operations())
            self.assertEqual(cm.exception.backoff, 1)
            resp = raw("files/create_folder_v2", {"path": self.p("dir")}, token=self.token)
            self.assertEqual((resp.status_code, resp.headers["Retry-After"]), (429, "1"))
            self.assertEqual(resp.json()["error_summary"], "too_many_write_operations/..")
            # Reads and data-only session calls are not writes.
            self.dbx.files_list_folder("")
            sid = self.dbx.files_upload_session_start(b"data").session_id
            self.dbx.files_upload_session_append_v2(b"more", files.UploadSessionCursor(sid, 4))
        finally:
            for t in threads:
                t.join()
        self.assertEqual(len(done), 2)
        self.assertEqual(EMU.state()["writes"]["active"], 0)
        md = self.dbx.files_upload_session_finish(b"", files.UploadSessionCursor(sid, 8),
                                                  files.CommitInfo(self.p("third.json")))
        self.assertEqual(md.size, 8)
        # The SDK waits Retry-After and tries again when told to.
        threads, done = self._busy(2, delay_ms=300)
        try:
            self.client(max_retries_on_rate_limit=None).files_upload(b"patient", self.p("patient.json"))
        finally:
            for t in threads:
                t.join()
        self.assertEqual(self.dbx.files_download(self.p("patient.json"))[1].content, b"patient")

    def test_a_batch_is_one_write(self):
        ids = self.dbx.files_upload_session_start_batch(20).session_ids
        for sid in ids:
            self.dbx.files_upload_session_append_v2(b"{}", files.UploadSessionCursor(sid, 0), close=True)
        threads, _ = self._busy(1)
        try:
            res = self.dbx.files_upload_session_finish_batch_v2(
                [files.UploadSessionFinishArg(files.UploadSessionCursor(sid, 2),
                                              files.CommitInfo(self.p("b/%02d.json" % i)))
                 for i, sid in enumerate(ids)])
        finally:
            for t in threads:
                t.join()
        self.assertTrue(all(e.is_success() for e in res.entries))
