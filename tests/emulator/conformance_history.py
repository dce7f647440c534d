"""File history through the SDK: files/list_revisions (path and id modes, deleted files),
files/restore, and downloading an older revision."""

import datetime

from conformance_base import Base, files, raw, strict

WM = files.WriteMode


class History(Base):
    def _versions(self, name, count):
        out = []
        for i in range(count):
            out.append(self.dbx.files_upload(b"version %d" % i, self.p(name), mode=WM.overwrite))
        return out

    def test_list_revisions_newest_first_with_limit(self):
        made = self._versions("mix.json", 4)
        res = self.dbx.files_list_revisions(self.p("mix.json"))
        self.assertFalse(res.is_deleted)
        self.assertIsNone(res.server_deleted)
        self.assertEqual([e.rev for e in res.entries], [m.rev for m in reversed(made)])
        self.assertEqual({e.id for e in res.entries}, {made[0].id})
        two = self.dbx.files_list_revisions(self.p("MIX.json"), limit=2)
        self.assertEqual([e.rev for e in two.entries], [made[3].rev, made[2].rev])
        resp = raw("files/list_revisions", {"path": self.p("mix.json"), "limit": 101}, token=self.token)
        self.assertEqual(resp.status_code, 400)
        resp = raw("files/list_revisions", {"path": self.p("mix.json")}, token=self.token)
        strict(files.list_revisions, resp.json())

    def test_lookup_errors(self):
        self.dbx.files_create_folder_v2(self.p("dir"))
        err = self.api_error(self.dbx.files_list_revisions, self.p("dir"))
        self.assertTrue(err.get_path().is_not_file())
        err = self.api_error(self.dbx.files_list_revisions, self.p("never.json"))
        self.assertTrue(err.get_path().is_not_found())
        err = self.api_error(self.dbx.files_restore, self.p("x.json"), "0123456789abcdef")
        self.assertTrue(err.is_invalid_revision())

    def test_deleted_file_keeps_its_history(self):
        made = self._versions("take.wav", 2)
        self.dbx.files_delete_v2(self.p("take.wav"))
        res = self.dbx.files_list_revisions(self.p("take.wav"))
        self.assertTrue(res.is_deleted)
        self.assertIsInstance(res.server_deleted, datetime.datetime)
        self.assertGreaterEqual(res.server_deleted, made[-1].server_modified)
        self.assertEqual([e.rev for e in res.entries], [made[1].rev, made[0].rev])
        by_id = self.dbx.files_list_revisions(made[0].id, mode=files.ListRevisionsMode.id)
        self.assertTrue(by_id.is_deleted)
        # An old rev of a deleted file still downloads, by rev: path and by the rev argument.
        self.assertEqual(self.dbx.files_download("rev:" + made[0].rev)[1].content, b"version 0")
        self.assertEqual(self.dbx.files_download(self.p("take.wav"), rev=made[1].rev)[1].content,
                         b"version 1")
        # Restoring brings it back, as a new revision with that content.
        back = self.dbx.files_restore(self.p("take.wav"), made[0].rev)
        self.assertNotIn(back.rev, (made[0].rev, made[1].rev))
        self.assertEqual(back.content_hash, made[0].content_hash)
        self.assertEqual(self.dbx.files_download(self.p("take.wav"))[1].content, b"version 0")
        after = self.dbx.files_list_revisions(self.p("take.wav"))
        self.assertFalse(after.is_deleted)
        self.assertEqual(after.entries[0].rev, back.rev)

    def test_restore_over_a_newer_version_and_mode_id_follows_moves(self):
        made = self._versions("a/song.json", 3)
        back = self.dbx.files_restore(self.p("a/song.json"), made[0].rev)
        self.assertEqual(back.id, made[0].id)
        self.assertEqual(self.dbx.files_download(self.p("a/song.json"))[1].content, b"version 0")
        moved = self.dbx.files_move_v2(self.p("a/song.json"), self.p("b/song.json")).metadata
        by_path = self.dbx.files_list_revisions(self.p("b/song.json"))
        self.assertEqual([e.rev for e in by_path.entries], [moved.rev])
        by_id = self.dbx.files_list_revisions(self.p("b/song.json"), mode=files.ListRevisionsMode.id,
                                              limit=100)
        self.assertEqual([e.rev for e in by_id.entries],
                         [moved.rev, back.rev] + [m.rev for m in reversed(made)])
        err = self.api_error(self.dbx.files_restore, self.p("b"), made[0].rev)
        self.assertTrue(err.is_path_write() and err.get_path_write().get_conflict().is_folder())
        change = self.dbx.files_list_folder_get_latest_cursor(self.root, recursive=True).cursor
        self.dbx.files_restore(self.p("b/song.json"), made[1].rev)
        seen = self.dbx.files_list_folder_continue(change).entries
        self.assertEqual([e.name for e in seen], ["song.json"])  # a restore is a change like any
