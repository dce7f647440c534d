"""files/* routes through the SDK: writes, modes, errors, metadata, downloads, sessions."""

import datetime
import hashlib
import json
import unicodedata

from conformance_base import EMU, Base, BadInputError, HttpError, files, raw

WM = files.WriteMode


BLOCK = 4 * 1024 * 1024


def chash(data):
    blocks = [hashlib.sha256(data[i:i + BLOCK]).digest() for i in range(0, len(data), BLOCK)]
    return hashlib.sha256(b"".join(blocks)).hexdigest()


class Writes(Base):
    def test_upload_download_roundtrip(self):
        data = b"RIFF....WAVE" * 1000
        when = datetime.datetime(2024, 5, 6, 7, 8, 9)
        md = self.dbx.files_upload(data, self.p("take.wav"), client_modified=when)
        self.assertIsInstance(md, files.FileMetadata)
        self.assertTrue(md.id.startswith("id:"))
        self.assertRegex(md.rev, r"^[0-9a-f]{9,}$")
        self.assertEqual(md.size, len(data))
        self.assertEqual(md.content_hash, chash(data))
        self.assertEqual(md.client_modified, when)
        self.assertLess(abs((md.server_modified - datetime.datetime.utcnow()).total_seconds()), 60)
        self.assertEqual(md.path_lower, self.p("take.wav").lower())
        got, resp = self.dbx.files_download(self.p("take.wav"))
        self.assertEqual(resp.content, data)
        self.assertEqual((got.id, got.rev, got.content_hash), (md.id, md.rev, md.content_hash))
        again = self.dbx.files_get_metadata(md.id)  # by id
        self.assertEqual(again.path_display, md.path_display)

    def test_case_insensitive_case_preserving(self):
        md = self.dbx.files_upload(b"one", self.p("Mixes/Final Mix.JSON"))
        self.assertEqual(md.name, "Final Mix.JSON")
        got = self.dbx.files_get_metadata(self.p("mixes/final mix.json").upper())
        self.assertEqual(got.id, md.id)
        self.assertEqual(got.path_display, md.path_display)
        # Overwriting through another case keeps the stored name; new children keep the parent's case.
        md2 = self.dbx.files_upload(b"two", self.p("MIXES/final mix.json"), mode=WM.overwrite)
        self.assertEqual((md2.id, md2.path_display), (md.id, md.path_display))
        md3 = self.dbx.files_upload(b"three", self.p("mixes/Other.json"))
        self.assertEqual(md3.path_display, self.p("Mixes/Other.json"))

    def test_unicode_nfc_and_escaped_result_header(self):
        nfd = unicodedata.normalize("NFD", "Café ☕ 音.wav")
        md = self.dbx.files_upload(b"x", self.p(nfd))
        self.assertEqual(md.name, unicodedata.normalize("NFC", nfd))
        resp = raw("files/download", {"path": self.p(nfd)}, token=self.token, style="download")
        self.assertEqual(resp.status_code, 200)
        header = resp.raw.headers["Dropbox-API-Result"]
        self.assertTrue(header.isascii(), header)
        self.assertIn("\\u00e9", header)
        self.assertEqual(json.loads(header)["name"], md.name)
        bad = raw("files/download", token=self.token, style="download",
                  headers={"Dropbox-API-Arg": '{"path": "%s"}' % self.p("Café.wav")})
        self.assertEqual(bad.status_code, 400)  # requests sends it as latin-1: not escaped ASCII

    def test_write_mode_add(self):
        path = self.p("song.wav")
        first = self.dbx.files_upload(b"a", path)
        same = self.dbx.files_upload(b"a", path)  # identical content: nothing written
        self.assertEqual(same.rev, first.rev)
        err = self.api_error(self.dbx.files_upload, b"b", path)
        self.assertTrue(err.is_path())
        self.assertTrue(err.get_path().reason.get_conflict().is_file())
        r1 = self.dbx.files_upload(b"b", path, autorename=True)
        r2 = self.dbx.files_upload(b"c", path, autorename=True)
        self.assertEqual((r1.name, r2.name), ("song (1).wav", "song (2).wav"))
        err = self.api_error(self.dbx.files_upload, b"a", path, strict_conflict=True)
        self.assertTrue(err.get_path().reason.get_conflict().is_file())

    def test_write_mode_overwrite(self):
        path = self.p("mix.json")
        first = self.dbx.files_upload(b"{}", path)
        second = self.dbx.files_upload(b'{"a":1}', path, mode=WM.overwrite)
        self.assertEqual(second.id, first.id)
        self.assertNotEqual(second.rev, first.rev)
        self.dbx.files_create_folder_v2(self.p("dir"))
        err = self.api_error(self.dbx.files_upload, b"x", self.p("dir"), mode=WM.overwrite)
        self.assertTrue(err.get_path().reason.get_conflict().is_folder())

    def test_write_mode_update(self):
        path = self.p("project.json")
        v1 = self.dbx.files_upload(b"v1", path)
        v2 = self.dbx.files_upload(b"v2", path, mode=WM.update(v1.rev))
        self.assertEqual(v2.id, v1.id)
        err = self.api_error(self.dbx.files_upload, b"v3", path, mode=WM.update(v1.rev))
        self.assertTrue(err.get_path().reason.get_conflict().is_file())
        self.assertEqual(err.get_path().reason.__class__, files.WriteError)
        copy = self.dbx.files_upload(b"v3", path, mode=WM.update(v1.rev), autorename=True)
        self.assertEqual(copy.name, "project (conflicted copy).json")
        same = self.dbx.files_upload(b"v2", path, mode=WM.update(v1.rev))  # equal content: no conflict
        self.assertEqual(same.rev, v2.rev)
        err = self.api_error(self.dbx.files_upload, b"v2", path, mode=WM.update(v1.rev),
                             strict_conflict=True)
        self.assertTrue(err.get_path().reason.is_conflict())
        self.assertEqual(self.dbx.files_download(path)[1].content, b"v2")

    def test_parents_are_created_and_file_ancestor_conflicts(self):
        self.dbx.files_upload(b"x", self.p("a/b/c.txt"))
        self.assertIsInstance(self.dbx.files_get_metadata(self.p("a/b")), files.FolderMetadata)
        err = self.api_error(self.dbx.files_upload, b"y", self.p("a/b/c.txt/d.txt"))
        self.assertTrue(err.get_path().reason.get_conflict().is_file_ancestor())
        err = self.api_error(self.dbx.files_create_folder_v2, self.p("a/b/c.txt/sub"))
        self.assertTrue(err.get_path().get_conflict().is_file_ancestor())

    def test_malformed_and_disallowed_paths(self):
        err = self.api_error(self.dbx.files_upload, b"x", self.p(".DS_Store"))
        self.assertTrue(err.get_path().reason.is_disallowed_name())
        err = self.api_error(self.dbx.files_get_metadata, self.root + "//x")
        self.assertTrue(err.get_path().is_malformed_path())
        err = self.api_error(self.dbx.files_upload, b"x", self.root + "/a/../b")
        self.assertTrue(err.get_path().reason.is_malformed_path())

    def test_content_hash_argument_is_checked(self):
        err = self.api_error(self.dbx.files_upload, b"data", self.p("x"), content_hash="0" * 64)
        self.assertTrue(err.is_content_hash_mismatch())
        md = self.dbx.files_upload(b"data", self.p("x"), content_hash=chash(b"data"))
        self.assertEqual(md.size, 4)

    def test_payload_too_large(self):
        EMU.configure(max_body=1024)
        try:
            err = self.api_error(self.dbx.files_upload, b"x" * 2048, self.p("big"))
            self.assertTrue(err.is_payload_too_large())
            err = self.api_error(self.dbx.files_upload_session_start, b"x" * 2048)
            self.assertTrue(err.is_payload_too_large())
            self.assertEqual(self.dbx.files_upload(b"x" * 1024, self.p("ok")).size, 1024)
        finally:
            EMU.configure(max_body=150 * 1024 * 1024)


class Reads(Base):
    def test_lookup_errors_are_typed(self):
        self.dbx.files_upload(b"x", self.p("f.txt"))
        err = self.api_error(self.dbx.files_get_metadata, self.p("missing"))
        self.assertTrue(err.is_path() and err.get_path().is_not_found())
        err = self.api_error(self.dbx.files_download, self.p("missing"))
        self.assertTrue(err.get_path().is_not_found())
        err = self.api_error(self.dbx.files_download, self.root)
        self.assertTrue(err.get_path().is_not_file())
        err = self.api_error(self.dbx.files_list_folder, self.p("f.txt"))
        self.assertTrue(err.get_path().is_not_folder())
        err = self.api_error(self.dbx.files_list_folder, self.p("nope"))
        self.assertTrue(err.get_path().is_not_found())
        err = self.api_error(self.dbx.files_get_metadata, "id:doesnotexist")
        self.assertTrue(err.get_path().is_not_found())
        with self.assertRaises(BadInputError) as cm:
            self.dbx.files_list_folder("/")
        self.assertIn('Specify the root folder as an empty string', cm.exception.message)
        resp = raw("files/get_metadata", {"path": ""}, token=self.token)  # the SDK refuses "" itself
        self.assertEqual(resp.status_code, 400)
        self.assertIn("root folder is unsupported", resp.text)

    def test_deleted_metadata(self):
        self.dbx.files_upload(b"x", self.p("gone.txt"))
        self.dbx.files_delete_v2(self.p("gone.txt"))
        err = self.api_error(self.dbx.files_get_metadata, self.p("gone.txt"))
        self.assertTrue(err.get_path().is_not_found())
        md = self.dbx.files_get_metadata(self.p("gone.txt"), include_deleted=True)
        self.assertIsInstance(md, files.DeletedMetadata)
        self.assertEqual(md.name, "gone.txt")

    def test_download_ranges(self):
        data = bytes(range(256)) * 40
        self.dbx.files_upload(data, self.p("r.bin"))

        def fetch(rng):
            dbx = self.client(headers={"Range": rng})
            try:
                return dbx.files_download(self.p("r.bin"))[1]
            finally:
                dbx.close()
        resp = fetch("bytes=100-199")
        self.assertEqual((resp.status_code, resp.content), (206, data[100:200]))
        self.assertEqual(resp.headers["Content-Range"], "bytes 100-199/%d" % len(data))
        self.assertEqual(fetch("bytes=10000-").content, data[10000:])
        self.assertEqual(fetch("bytes=-5").content, data[-5:])
        self.assertEqual(fetch("bytes=0-99999").content, data)
        with self.assertRaises(HttpError) as cm:
            fetch("bytes=20000-20001")
        self.assertEqual(cm.exception.status_code, 416)

    def test_download_old_revision_get_and_etag(self):
        v1 = self.dbx.files_upload(b"first", self.p("v.txt"))
        self.dbx.files_upload(b"second", self.p("v.txt"), mode=WM.overwrite)
        self.assertEqual(self.dbx.files_download(self.p("v.txt"), rev=v1.rev)[1].content, b"first")
        self.assertEqual(self.dbx.files_download("rev:" + v1.rev)[1].content, b"first")
        arg = json.dumps({"path": self.p("v.txt")})
        resp = raw("files/download", style="download", method="GET",
                   params={"arg": arg, "authorization": "Bearer " + self.token})
        self.assertEqual((resp.status_code, resp.content), (200, b"second"))
        again = raw("files/download", style="download", method="GET", token=self.token,
                    params={"arg": arg}, headers={"If-None-Match": resp.headers["ETag"]})
        self.assertEqual(again.status_code, 304)

    def test_current_account_and_space_usage(self):
        acct = self.dbx.users_get_current_account()
        self.assertEqual(acct.email, "tester@example.com")
        self.assertTrue(acct.root_info.root_namespace_id)
        before = self.dbx.users_get_space_usage()
        self.assertTrue(before.allocation.is_individual())
        self.assertEqual(before.allocation.get_individual().allocated, EMU.state()["quota"])
        self.dbx.files_upload(b"z" * 1000, self.p("space.bin"))
        self.assertEqual(self.dbx.users_get_space_usage().used, before.used + 1000)
        EMU.configure(quota=before.used + 1500)
        try:
            err = self.api_error(self.dbx.files_upload, b"z" * 1000, self.p("more.bin"))
            self.assertTrue(err.get_path().reason.is_insufficient_space())
        finally:
            EMU.configure(quota=2 * 1024 ** 3)


class Organise(Base):
    def test_delete(self):
        f = self.dbx.files_upload(b"x", self.p("d/f.txt"))
        err = self.api_error(self.dbx.files_delete_v2, self.p("d/f.txt"), parent_rev="0123456789abcdef")
        self.assertTrue(err.is_path_write() and err.get_path_write().get_conflict().is_file())
        res = self.dbx.files_delete_v2(self.p("d/f.txt"), parent_rev=f.rev)
        self.assertIsInstance(res.metadata, files.FileMetadata)
        self.assertEqual(res.metadata.id, f.id)
        res = self.dbx.files_delete_v2(self.p("d"))
        self.assertIsInstance(res.metadata, files.FolderMetadata)
        err = self.api_error(self.dbx.files_delete_v2, self.p("d"))
        self.assertTrue(err.is_path_lookup() and err.get_path_lookup().is_not_found())

    def test_create_folder(self):
        res = self.dbx.files_create_folder_v2(self.p("Takes"))
        self.assertIsInstance(res.metadata, files.FolderMetadata)
        self.assertEqual(res.metadata.name, "Takes")
        err = self.api_error(self.dbx.files_create_folder_v2, self.p("takes"))
        self.assertTrue(err.get_path().get_conflict().is_folder())
        res = self.dbx.files_create_folder_v2(self.p("takes"), autorename=True)
        self.assertEqual(res.metadata.name, "takes (1)")  # the requested name, numbered

    def test_move(self):
        f = self.dbx.files_upload(b"x", self.p("a/one.txt"))
        self.dbx.files_upload(b"y", self.p("a/sub/two.txt"))
        moved = self.dbx.files_move_v2(self.p("a/one.txt"), self.p("a/uno.txt")).metadata
        self.assertEqual((moved.id, moved.name), (f.id, "uno.txt"))
        folder = self.dbx.files_move_v2(self.p("a"), self.p("b")).metadata
        self.assertIsInstance(folder, files.FolderMetadata)
        self.assertEqual(self.dbx.files_download(self.p("b/sub/two.txt"))[1].content, b"y")
        err = self.api_error(self.dbx.files_get_metadata, self.p("a/sub/two.txt"))
        self.assertTrue(err.get_path().is_not_found())
        err = self.api_error(self.dbx.files_move_v2, self.p("b"), self.p("b/sub/inner"))
        self.assertTrue(err.is_cant_move_folder_into_itself())
        err = self.api_error(self.dbx.files_move_v2, self.p("zzz"), self.p("b/zzz"))
        self.assertTrue(err.is_from_lookup() and err.get_from_lookup().is_not_found())
        self.dbx.files_upload(b"z", self.p("b/three.txt"))
        err = self.api_error(self.dbx.files_move_v2, self.p("b/three.txt"), self.p("b/uno.txt"))
        self.assertTrue(err.is_to() and err.get_to().get_conflict().is_file())
        renamed = self.dbx.files_move_v2(self.p("b/three.txt"), self.p("b/uno.txt"), autorename=True)
        self.assertEqual(renamed.metadata.name, "uno (1).txt")
        case = self.dbx.files_move_v2(self.p("b/uno.txt"), self.p("b/UNO.txt")).metadata
        self.assertEqual((case.id, case.name), (f.id, "UNO.txt"))


class UploadSessions(Base):
    def test_session_with_offsets(self):
        chunk = b"0123456789" * 100000  # 1 MB
        start = self.dbx.files_upload_session_start(chunk)
        self.assertTrue(start.session_id)
        cur = files.UploadSessionCursor(start.session_id, len(chunk))
        err = self.api_error(self.dbx.files_upload_session_append_v2, chunk,
                             files.UploadSessionCursor(start.session_id, 5))
        self.assertTrue(err.is_incorrect_offset())
        self.assertEqual(err.get_incorrect_offset().correct_offset, len(chunk))
        self.dbx.files_upload_session_append_v2(chunk, cur)
        cur.offset += len(chunk)
        err = self.api_error(self.dbx.files_upload_session_finish, b"end",
                             files.UploadSessionCursor(start.session_id, 1),
                             files.CommitInfo(self.p("long.wav")))
        self.assertTrue(err.is_lookup_failed() and err.get_lookup_failed().is_incorrect_offset())
        self.assertEqual(err.get_lookup_failed().get_incorrect_offset().correct_offset, cur.offset)
        md = self.dbx.files_upload_session_finish(b"end", cur, files.CommitInfo(self.p("long.wav")))
        whole = chunk * 2 + b"end"
        self.assertEqual((md.size, md.content_hash), (len(whole), chash(whole)))
        self.assertEqual(self.dbx.files_download(self.p("long.wav"))[1].content, whole)
        err = self.api_error(self.dbx.files_upload_session_append_v2, b"x", cur)
        self.assertTrue(err.is_not_found())

    def test_closed_session_and_hash_checks(self):
        start = self.dbx.files_upload_session_start(b"abc", close=True)
        err = self.api_error(self.dbx.files_upload_session_append_v2, b"d",
                             files.UploadSessionCursor(start.session_id, 3))
        self.assertTrue(err.is_closed())
        err = self.api_error(self.dbx.files_upload_session_start, b"abc", content_hash="1" * 64)
        self.assertTrue(err.is_content_hash_mismatch())
        err = self.api_error(self.dbx.files_upload_session_finish, b"",
                             files.UploadSessionCursor(start.session_id, 3),
                             files.CommitInfo(self.p("c.txt")), content_hash="2" * 64)
        self.assertTrue(err.is_content_hash_mismatch())
        md = self.dbx.files_upload_session_finish(b"", files.UploadSessionCursor(start.session_id, 3),
                                                  files.CommitInfo(self.p("c.txt")),
                                                  content_hash=chash(b"abc"))
        self.assertEqual(md.size, 3)

    def test_failed_finish_can_be_retried(self):
        self.dbx.files_upload(b"other", self.p("t.wav"))
        start = self.dbx.files_upload_session_start(b"take")
        cur = files.UploadSessionCursor(start.session_id, 4)
        err = self.api_error(self.dbx.files_upload_session_finish, b"-2", cur,
                             files.CommitInfo(self.p("t.wav")))
        self.assertTrue(err.is_path() and err.get_path().get_conflict().is_file())
        md = self.dbx.files_upload_session_finish(b"-2", cur,
                                                  files.CommitInfo(self.p("t.wav"), autorename=True))
        self.assertEqual((md.name, md.size), ("t (1).wav", 6))
        self.assertEqual(self.dbx.files_download(self.p("t.wav"))[1].content, b"other")
