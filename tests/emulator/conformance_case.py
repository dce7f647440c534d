"""Casing as Dropbox does it: parents keep the casing they were made with, case-only
renames are not in the change feed, and path_lower folds case like Dropbox (the Unicode 4.1
simple mapping of Python 2.5's unicode.lower(), not Python 3's str.lower())."""

from conformance_base import Base, files

WM = files.WriteMode


class Casing(Base):
    def test_parents_keep_the_casing_they_were_made_with(self):
        self.dbx.files_upload(b"a", self.p("Band/Takes/a.wav"))
        b = self.dbx.files_upload(b"b", self.p("BAND/TAKES/B.wav"))
        self.assertEqual(b.path_display, self.p("Band/Takes/B.wav"))
        self.assertEqual(b.name, "B.wav")
        made = self.dbx.files_create_folder_v2(self.p("band/takes/New")).metadata
        self.assertEqual(made.path_display, self.p("Band/Takes/New"))
        moved = self.dbx.files_move_v2(self.p("band/takes/a.wav"), self.p("bAnD/A.wav")).metadata
        self.assertEqual(moved.path_display, self.p("Band/A.wav"))
        listed = self.dbx.files_list_folder(self.p("BAND"), recursive=True).entries
        self.assertTrue(all(e.path_display.startswith(self.p("Band")) for e in listed), listed)

    def test_case_only_renames_are_not_reported(self):
        f = self.dbx.files_upload(b"x", self.p("Song/mix.json"))
        cursor = self.dbx.files_list_folder(self.root, recursive=True).cursor
        renamed = self.dbx.files_move_v2(self.p("Song/mix.json"), self.p("Song/MIX.json")).metadata
        self.assertEqual((renamed.id, renamed.rev, renamed.name), (f.id, f.rev, "MIX.json"))
        folder = self.dbx.files_move_v2(self.p("Song"), self.p("song")).metadata
        self.assertEqual(folder.name, "song")
        res = self.dbx.files_list_folder_continue(cursor)
        self.assertEqual(res.entries, [])  # neither rename is a change
        self.assertEqual(self.dbx.files_get_metadata(self.p("SONG")).name, "song")
        # Only the last component's casing is promised: the child keeps the name it had.
        child = self.dbx.files_get_metadata(self.p("song/mix.json"))
        self.assertEqual((child.name, child.path_lower), ("MIX.json", self.p("song/mix.json").lower()))
        self.dbx.files_upload(b"y", self.p("song/mix.json"), mode=WM.update(f.rev))
        res = self.dbx.files_list_folder_continue(res.cursor)
        self.assertEqual([(e.name, e.path_lower) for e in res.entries],
                         [("MIX.json", self.p("song/mix.json").lower())])

    def test_path_lower_is_dropbox_s_not_python_s(self):
        md = self.dbx.files_upload(b"1", self.p("İSTANBUL ΣΑΣ.wav"))
        low = self.root.lower()
        self.assertEqual(md.path_lower, low + "/istanbul σασ.wav")  # Python 3: "i̇stanbul σας.wav"
        self.assertEqual(self.dbx.files_get_metadata(self.p("istanbul σασ.WAV")).id, md.id)
        err = self.api_error(self.dbx.files_get_metadata, self.p("İSTANBUL ΣΑΣ.wav").lower())
        self.assertTrue(err.get_path().is_not_found())
        # Capital sharp s (Unicode 5.1) is not folded: STRAẞE and straße are two files.
        big = self.dbx.files_upload(b"2", self.p("STRAẞE.txt"))
        small = self.dbx.files_upload(b"3", self.p("straße.txt"))
        self.assertEqual(big.path_lower, low + "/straẞe.txt")
        self.assertEqual(small.path_lower, low + "/straße.txt")
        self.assertNotEqual(big.id, small.id)
        # Greek, Cyrillic and Latin-1 fold as usual; Ꙋ (Unicode 5.1) does not.
        md = self.dbx.files_upload(b"4", self.p("ÀÉÎ ΔΩ ЖЯ Ꙋ.txt"))
        self.assertEqual(md.path_lower, low + "/àéî δω жя Ꙋ.txt")
