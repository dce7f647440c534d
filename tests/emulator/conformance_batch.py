"""Batch uploads through the SDK: upload_session/start_batch, append_v2, finish_batch_v2
(synchronous) and finish_batch + finish_batch/check (an async job), with the limits and
per-entry errors of the real API."""

import time
import warnings

from conformance_base import EMU, Base, files, raw
from conformance_files import chash

Cursor = files.UploadSessionCursor


class Batches(Base):
    def _upload_closed(self, count, payloads=None):
        """Starts `count` sessions in one call and fills and closes each with append_v2."""
        ids = self.dbx.files_upload_session_start_batch(count).session_ids
        self.assertEqual(len(ids), count)
        self.assertEqual(len(set(ids)), count)
        payloads = payloads or [b"take %d " % i * (i + 1) for i in range(count)]
        for sid, data in zip(ids, payloads):
            half = len(data) // 2
            self.dbx.files_upload_session_append_v2(data[:half], Cursor(sid, 0))
            self.dbx.files_upload_session_append_v2(data[half:], Cursor(sid, half), close=True)
        return ids, payloads

    def _entry(self, sid, offset, name, **commit):
        return files.UploadSessionFinishArg(Cursor(sid, offset), files.CommitInfo(self.p(name), **commit))

    def test_finish_batch_v2_commits_each_entry(self):
        ids, data = self._upload_closed(3)
        res = self.dbx.files_upload_session_finish_batch_v2(
            [self._entry(sid, len(d), "f%d.json" % i) for i, (sid, d) in enumerate(zip(ids, data))])
        self.assertEqual(len(res.entries), 3)
        for i, (entry, d) in enumerate(zip(res.entries, data)):
            self.assertTrue(entry.is_success(), entry)
            md = entry.get_success()
            self.assertEqual((md.name, md.size, md.content_hash), ("f%d.json" % i, len(d), chash(d)))
            self.assertEqual(self.dbx.files_download(self.p("f%d.json" % i))[1].content, d)
        # A committed session is gone, like after upload_session/finish.
        err = self.api_error(self.dbx.files_upload_session_append_v2, b"x", Cursor(ids[0], len(data[0])))
        self.assertTrue(err.is_not_found())

    def test_entries_fail_on_their_own(self):
        ids, data = self._upload_closed(2)
        open_sid = self.dbx.files_upload_session_start_batch(1).session_ids[0]
        self.dbx.files_upload_session_append_v2(b"unfinished", Cursor(open_sid, 0))  # not closed
        self.dbx.files_upload(b"already here", self.p("taken.json"))
        res = self.dbx.files_upload_session_finish_batch_v2([
            self._entry(ids[0], len(data[0]) - 1, "wrong-offset.json"),
            self._entry(open_sid, 10, "open.json"),
            self._entry(ids[1], len(data[1]), "taken.json"),
            self._entry("pid_upload_session:nope", 0, "unknown.json"),
            self._entry(ids[0], len(data[0]), "good.json"),
        ])
        e = res.entries
        self.assertEqual(len(e), 5)
        lookup = e[0].get_failure().get_lookup_failed()
        self.assertEqual(lookup.get_incorrect_offset().correct_offset, len(data[0]))
        self.assertTrue(e[1].get_failure().get_lookup_failed().is_not_closed())
        self.assertTrue(e[2].get_failure().get_path().get_conflict().is_file())
        self.assertTrue(e[3].get_failure().get_lookup_failed().is_not_found())
        self.assertEqual(e[4].get_success().content_hash, chash(data[0]))
        # The failed commit can be retried with autorename, as with upload_session/finish.
        retry = self.dbx.files_upload_session_finish_batch_v2(
            [self._entry(ids[1], len(data[1]), "taken.json", autorename=True)])
        self.assertEqual(retry.entries[0].get_success().name, "taken (1).json")

    def test_an_entry_fault_fails_that_entry_alone(self):
        ids, data = self._upload_closed(3)
        EMU.add_faults({"kind": "entry_failure", "path": "b.json"})
        EMU.add_faults({"kind": "entry_failure", "path": "c.json", "error": "content_hash_mismatch"})
        writes = EMU.state()["writes"]["total"]
        res = self.dbx.files_upload_session_finish_batch_v2(
            [self._entry(sid, len(d), n) for sid, d, n in zip(ids, data, ("a.json", "b.json", "c.json"))])
        self.assertEqual(EMU.state()["writes"]["total"], writes + 1)  # one commit for the batch
        e = res.entries
        self.assertEqual(e[0].get_success().content_hash, chash(data[0]))
        self.assertTrue(e[1].get_failure().is_too_many_write_operations())
        self.assertTrue(e[2].get_failure().is_content_hash_mismatch())
        # The refused entries' sessions are untouched: committing them again works.
        again = self.dbx.files_upload_session_finish_batch_v2(
            [self._entry(sid, len(d), n) for sid, d, n in zip(ids[1:], data[1:], ("b.json", "c.json"))])
        self.assertTrue(all(x.is_success() for x in again.entries))

    def test_finish_batch_is_a_job_to_poll(self):
        ids, data = self._upload_closed(2)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            launch = self.dbx.files_upload_session_finish_batch(
                [self._entry(sid, len(d), "job%d.bin" % i) for i, (sid, d) in enumerate(zip(ids, data))])
        self.assertTrue(launch.is_async_job_id())
        job = launch.get_async_job_id()
        first = self.dbx.files_upload_session_finish_batch_check(job)
        self.assertTrue(first.is_in_progress())
        deadline = time.monotonic() + 30
        status = first
        while status.is_in_progress() and time.monotonic() < deadline:
            time.sleep(0.05)
            status = self.dbx.files_upload_session_finish_batch_check(job)
        self.assertTrue(status.is_complete())
        entries = status.get_complete().entries
        self.assertEqual([x.get_success().size for x in entries], [len(d) for d in data])
        err = self.api_error(self.dbx.files_upload_session_finish_batch_check, "dbjid:nonsense")
        self.assertTrue(err.is_invalid_async_job_id())

    def test_limit_is_1000_entries(self):
        resp = raw("files/upload_session/start_batch", {"num_sessions": 1001}, token=self.token)
        self.assertEqual(resp.status_code, 400)
        self.assertIn("num_sessions", resp.text)
        ids = self.dbx.files_upload_session_start_batch(1000).session_ids
        self.assertEqual(len(set(ids)), 1000)
        entry = {"cursor": {"session_id": ids[0], "offset": 0}, "commit": {"path": self.p("x")}}
        resp = raw("files/upload_session/finish_batch_v2", {"entries": [entry] * 1001}, token=self.token)
        self.assertEqual(resp.status_code, 400)
        self.assertIn("more than 1000 items", resp.text)
        resp = raw("files/upload_session/finish_batch", {"entries": [entry] * 1001}, token=self.token)
        self.assertEqual(resp.status_code, 400)
        # 1,000 empty sessions closed and committed in one request.
        for sid in ids:
            self.dbx.files_upload_session_append_v2(b"", Cursor(sid, 0), close=True)
        res = self.dbx.files_upload_session_finish_batch_v2(
            [self._entry(sid, 0, "empty/%04d.json" % i) for i, sid in enumerate(ids)])
        self.assertTrue(all(x.is_success() for x in res.entries))
        self.assertEqual(len(self.dbx.files_list_folder(self.p("empty"), limit=2000).entries), 1000)
