"""list_folder, cursors, the change journal, longpoll, and two devices on one account."""

import threading
import time

from conformance_base import EMU, Base, BadInputError, files, raw


def by_path(entries):
    return {e.path_lower: e for e in entries}


class Listing(Base):
    def setUp(self):
        super().setUp()
        self.dbx.files_upload(b"1", self.p("A/one.txt"))
        self.dbx.files_upload(b"2", self.p("A/sub/two.txt"))
        self.dbx.files_upload(b"3", self.p("b.txt"))

    def test_recursive_listing_then_changes(self):
        res = self.dbx.files_list_folder(self.root, recursive=True)
        self.assertFalse(res.has_more)
        paths = [e.path_lower for e in res.entries]
        low = self.root.lower()
        self.assertEqual(paths, [low, low + "/a", low + "/a/one.txt", low + "/a/sub",
                                 low + "/a/sub/two.txt", low + "/b.txt"])  # parents first
        empty = self.dbx.files_list_folder_continue(res.cursor)
        self.assertEqual((empty.entries, empty.has_more), ([], False))

        self.dbx.files_upload(b"new", self.p("A/three.txt"))
        self.dbx.files_upload(b"changed", self.p("b.txt"), mode=files.WriteMode.overwrite)
        self.dbx.files_upload(b"changed again", self.p("b.txt"), mode=files.WriteMode.overwrite)
        self.dbx.files_delete_v2(self.p("A/one.txt"))
        self.dbx.files_move_v2(self.p("A/sub"), self.p("C"))
        res2 = self.dbx.files_list_folder_continue(empty.cursor)
        got = by_path(res2.entries)
        self.assertEqual(len(res2.entries), len(got), "one entry per changed path")
        self.assertIsInstance(got[low + "/a/three.txt"], files.FileMetadata)
        self.assertEqual(got[low + "/b.txt"].size, len(b"changed again"))
        self.assertIsInstance(got[low + "/a/one.txt"], files.DeletedMetadata)
        self.assertIsInstance(got[low + "/a/sub"], files.DeletedMetadata)
        self.assertIsInstance(got[low + "/c"], files.FolderMetadata)
        self.assertIsInstance(got[low + "/c/two.txt"], files.FileMetadata)
        order = [e.path_lower for e in res2.entries]
        self.assertLess(order.index(low + "/c"), order.index(low + "/c/two.txt"))

    def test_pagination(self):
        seen, res = [], self.dbx.files_list_folder(self.root, recursive=True, limit=2)
        seen += res.entries
        while res.has_more:
            self.assertLessEqual(len(res.entries), 2)
            res = self.dbx.files_list_folder_continue(res.cursor)
            seen += res.entries
        self.assertEqual(len(seen), 6)
        for i in range(5):
            self.dbx.files_upload(b"n%d" % i, self.p("new%d.txt" % i))
        res = self.dbx.files_list_folder_continue(res.cursor)
        self.assertTrue(res.has_more)
        changes = list(res.entries)
        while res.has_more:
            res = self.dbx.files_list_folder_continue(res.cursor)
            changes += res.entries
        self.assertEqual(sorted(e.name for e in changes), ["new%d.txt" % i for i in range(5)])

    def test_non_recursive_and_include_deleted(self):
        res = self.dbx.files_list_folder(self.root)
        self.assertEqual(sorted(e.name for e in res.entries), ["A", "b.txt"])
        self.dbx.files_delete_v2(self.p("b.txt"))
        self.dbx.files_upload(b"deep", self.p("A/deep.txt"))
        res2 = self.dbx.files_list_folder_continue(res.cursor)
        self.assertEqual([(type(e), e.name) for e in res2.entries], [(files.DeletedMetadata, "b.txt")])
        plain = self.dbx.files_list_folder(self.root)
        self.assertEqual([e.name for e in plain.entries], ["A"])
        withdel = self.dbx.files_list_folder(self.root, include_deleted=True)
        deleted = [e.name for e in withdel.entries if isinstance(e, files.DeletedMetadata)]
        self.assertEqual(deleted, ["b.txt"])

    def test_get_latest_cursor(self):
        cur = self.dbx.files_list_folder_get_latest_cursor(self.root, recursive=True).cursor
        self.assertEqual(self.dbx.files_list_folder_continue(cur).entries, [])
        self.dbx.files_upload(b"later", self.p("later.txt"))
        res = self.dbx.files_list_folder_continue(cur)
        self.assertEqual([e.name for e in res.entries], ["later.txt"])
        err = self.api_error(self.dbx.files_list_folder_get_latest_cursor, self.p("b.txt"))
        self.assertTrue(err.get_path().is_not_folder())

    def test_cursor_reset_fault(self):
        cur = self.dbx.files_list_folder_get_latest_cursor(self.root, recursive=True).cursor
        EMU.reset_cursors()
        err = self.api_error(self.dbx.files_list_folder_continue, cur)
        self.assertTrue(err.is_reset())
        err = self.api_error(self.dbx.files_list_folder_longpoll, cur, timeout=30)
        self.assertTrue(err.is_reset())
        fresh = self.dbx.files_list_folder(self.root, recursive=True)
        self.assertEqual(len(fresh.entries), 6)
        with self.assertRaises(BadInputError):
            self.dbx.files_list_folder_continue("garbage")


class Longpoll(Base):
    def test_change_from_another_thread_wakes_longpoll(self):
        self.dbx.files_create_folder_v2(self.root)
        cur = self.dbx.files_list_folder_get_latest_cursor(self.root, recursive=True).cursor
        writer = threading.Timer(0.5, lambda: self.client().files_upload(b"x", self.p("wake.txt")))
        t0 = time.monotonic()
        writer.start()
        try:
            res = self.dbx.files_list_folder_longpoll(cur, timeout=30)
        finally:
            writer.join()
        elapsed = time.monotonic() - t0
        self.assertTrue(res.changes)
        self.assertTrue(0.4 < elapsed < 5, elapsed)
        self.assertEqual([e.name for e in self.dbx.files_list_folder_continue(cur).entries],
                         ["wake.txt"])

    def test_changes_elsewhere_do_not_wake(self):
        self.dbx.files_create_folder_v2(self.p("watched"))
        cur = self.dbx.files_list_folder_get_latest_cursor(self.p("watched")).cursor
        self.dbx.files_upload(b"x", self.p("elsewhere.txt"))
        t0 = time.monotonic()
        # Short timeouts need --longpoll-min (the SDK itself insists on 30..480).
        res = self.dbx.request_json_object("notify", "files/list_folder/longpoll", "rpc",
                                           {"cursor": cur, "timeout": 1}, "noauth", None)
        self.assertEqual(res, {"changes": False})
        self.assertGreaterEqual(time.monotonic() - t0, 0.9)

    def test_quiet_answers_come_with_jitter(self):
        """Like Dropbox, a quiet longpoll answers a random while after its timeout."""
        self.dbx.files_create_folder_v2(self.p("quiet"))
        cur = self.dbx.files_list_folder_get_latest_cursor(self.p("quiet")).cursor
        EMU.configure(longpoll_jitter=2)
        times = []

        def poll():
            t0 = time.monotonic()
            resp = raw("files/list_folder/longpoll", {"cursor": cur, "timeout": 1})
            times.append((resp.json(), time.monotonic() - t0))
        try:
            polls = [threading.Thread(target=poll) for _ in range(4)]
            for t in polls:
                t.start()
            for t in polls:
                t.join()
        finally:
            EMU.configure(longpoll_jitter=1)
        self.assertEqual([answer for answer, _ in times], [{"changes": False}] * 4)
        waits = sorted(elapsed for _, elapsed in times)
        self.assertGreaterEqual(waits[0], 0.95)       # never before the timeout
        self.assertLess(waits[-1], 1 + 2 + 2)         # at most timeout + jitter (+ slack)
        self.assertGreater(waits[-1] - waits[0], 0.01)  # not all at the same moment

    def test_timeout_validation_and_backoff(self):
        cur = self.dbx.files_list_folder_get_latest_cursor("").cursor
        for bad in (0, 481):
            resp = raw("files/list_folder/longpoll", {"cursor": cur, "timeout": bad})
            self.assertEqual(resp.status_code, 400, bad)
        EMU.add_faults({"kind": "backoff", "seconds": 7})
        self.dbx.files_upload(b"x", self.p("poke.txt"))
        res = self.dbx.files_list_folder_longpoll(cur, timeout=30)
        self.assertEqual((res.changes, res.backoff), (True, 7))

    def test_two_devices_share_the_account(self):
        phone = self.client(token=EMU.issue_token()["access_token"])
        self.dbx.files_create_folder_v2(self.root)
        cur = phone.files_list_folder(self.root, recursive=True).cursor
        md = self.dbx.files_upload(b"from laptop", self.p("mix.json"))
        res = phone.files_list_folder_continue(cur)
        self.assertEqual([(e.id, e.rev) for e in res.entries], [(md.id, md.rev)])
        self.assertEqual(phone.files_download(self.p("mix.json"))[1].content, b"from laptop")
        err = self.api_error(phone.files_upload, b"phone edit", self.p("mix.json"),
                             mode=files.WriteMode.update("0" * 9 + "ffff"))
        self.assertTrue(err.get_path().reason.get_conflict().is_file())
        phone.close()
