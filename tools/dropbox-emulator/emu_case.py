"""Dropbox's path_lower: how the service folds the case of paths.

Dropbox compares paths with what Python 2.5's unicode.lower() did when the service was
written, and keeps that for compatibility: the Unicode 4.1.0 *simple* lowercase mapping
(UnicodeData.txt field 13), one character to one character, no context, nothing added to
Unicode since 2005. Python 3's str.lower() differs (it uses the current Unicode and the
full mappings):

  'İ' (U+0130) -> 'i'          (Python 3: 'i' + U+0307 COMBINING DOT ABOVE)
  'ΣΑΣ'        -> 'σασ'        (Python 3: 'σας', final sigma)
  'ẞ' (U+1E9E) -> 'ẞ'          (added in Unicode 5.1; Python 3: 'ß')
  'Ꙋ' (U+A64A), Cherokee, Georgian Mtavruli, ... unchanged (added after 4.1)
  'Ɂ' (U+0241) -> 'ʔ' U+0294   (4.1's mapping; Unicode 5.0 changed it to U+0242)

Sources: the Dropbox API documentation (path_lower, case insensitivity); the dbxcase crate
by a Dropbox engineer (generated from Unicode 4.1.0's UnicodeData.txt) and Maestral's issue
#410 describe the rule; the table below is that mapping, cross-checked against Python 3's
simple mappings (equal except U+0130 and U+0241). Paths are NFC-normalised first.
"""

import unicodedata

# (first, last, step, delta): every step-th code point in [first, last] maps to cp + delta.
# ASCII A-Z is handled separately.
_RUNS = (
    (0x00C0, 0x00D6, 1, 32), (0x00D8, 0x00DE, 1, 32), (0x0100, 0x012E, 2, 1),
    (0x0130, 0x0130, 1, -199), (0x0132, 0x0136, 2, 1), (0x0139, 0x0147, 2, 1),
    (0x014A, 0x0176, 2, 1), (0x0178, 0x0178, 1, -121), (0x0179, 0x017D, 2, 1),
    (0x0181, 0x0181, 1, 210), (0x0182, 0x0184, 2, 1), (0x0186, 0x0186, 1, 206),
    (0x0187, 0x0187, 1, 1), (0x0189, 0x018A, 1, 205), (0x018B, 0x018B, 1, 1),
    (0x018E, 0x018E, 1, 79), (0x018F, 0x018F, 1, 202), (0x0190, 0x0190, 1, 203),
    (0x0191, 0x0191, 1, 1), (0x0193, 0x0193, 1, 205), (0x0194, 0x0194, 1, 207),
    (0x0196, 0x0196, 1, 211), (0x0197, 0x0197, 1, 209), (0x0198, 0x0198, 1, 1),
    (0x019C, 0x019C, 1, 211), (0x019D, 0x019D, 1, 213), (0x019F, 0x019F, 1, 214),
    (0x01A0, 0x01A4, 2, 1), (0x01A6, 0x01A6, 1, 218), (0x01A7, 0x01A7, 1, 1),
    (0x01A9, 0x01A9, 1, 218), (0x01AC, 0x01AC, 1, 1), (0x01AE, 0x01AE, 1, 218),
    (0x01AF, 0x01AF, 1, 1), (0x01B1, 0x01B2, 1, 217), (0x01B3, 0x01B5, 2, 1),
    (0x01B7, 0x01B7, 1, 219), (0x01B8, 0x01B8, 1, 1), (0x01BC, 0x01BC, 1, 1),
    (0x01C4, 0x01C4, 1, 2), (0x01C5, 0x01C5, 1, 1), (0x01C7, 0x01C7, 1, 2), (0x01C8, 0x01C8, 1, 1),
    (0x01CA, 0x01CA, 1, 2), (0x01CB, 0x01DB, 2, 1), (0x01DE, 0x01EE, 2, 1), (0x01F1, 0x01F1, 1, 2),
    (0x01F2, 0x01F4, 2, 1), (0x01F6, 0x01F6, 1, -97), (0x01F7, 0x01F7, 1, -56),
    (0x01F8, 0x021E, 2, 1), (0x0220, 0x0220, 1, -130), (0x0222, 0x0232, 2, 1),
    (0x023B, 0x023B, 1, 1), (0x023D, 0x023D, 1, -163), (0x0241, 0x0241, 1, 83),
    (0x0386, 0x0386, 1, 38), (0x0388, 0x038A, 1, 37), (0x038C, 0x038C, 1, 64),
    (0x038E, 0x038F, 1, 63), (0x0391, 0x03A1, 1, 32), (0x03A3, 0x03AB, 1, 32),
    (0x03D8, 0x03EE, 2, 1), (0x03F4, 0x03F4, 1, -60), (0x03F7, 0x03F7, 1, 1),
    (0x03F9, 0x03F9, 1, -7), (0x03FA, 0x03FA, 1, 1), (0x0400, 0x040F, 1, 80),
    (0x0410, 0x042F, 1, 32), (0x0460, 0x0480, 2, 1), (0x048A, 0x04BE, 2, 1),
    (0x04C1, 0x04CD, 2, 1), (0x04D0, 0x04F8, 2, 1), (0x0500, 0x050E, 2, 1),
    (0x0531, 0x0556, 1, 48), (0x10A0, 0x10C5, 1, 7264), (0x1E00, 0x1E94, 2, 1),
    (0x1EA0, 0x1EF8, 2, 1), (0x1F08, 0x1F0F, 1, -8), (0x1F18, 0x1F1D, 1, -8),
    (0x1F28, 0x1F2F, 1, -8), (0x1F38, 0x1F3F, 1, -8), (0x1F48, 0x1F4D, 1, -8),
    (0x1F59, 0x1F5F, 2, -8), (0x1F68, 0x1F6F, 1, -8), (0x1F88, 0x1F8F, 1, -8),
    (0x1F98, 0x1F9F, 1, -8), (0x1FA8, 0x1FAF, 1, -8), (0x1FB8, 0x1FB9, 1, -8),
    (0x1FBA, 0x1FBB, 1, -74), (0x1FBC, 0x1FBC, 1, -9), (0x1FC8, 0x1FCB, 1, -86),
    (0x1FCC, 0x1FCC, 1, -9), (0x1FD8, 0x1FD9, 1, -8), (0x1FDA, 0x1FDB, 1, -100),
    (0x1FE8, 0x1FE9, 1, -8), (0x1FEA, 0x1FEB, 1, -112), (0x1FEC, 0x1FEC, 1, -7),
    (0x1FF8, 0x1FF9, 1, -128), (0x1FFA, 0x1FFB, 1, -126), (0x1FFC, 0x1FFC, 1, -9),
    (0x2126, 0x2126, 1, -7517), (0x212A, 0x212A, 1, -8383), (0x212B, 0x212B, 1, -8262),
    (0x2160, 0x216F, 1, 16), (0x24B6, 0x24CF, 1, 26), (0x2C00, 0x2C2E, 1, 48),
    (0x2C80, 0x2CE2, 2, 1), (0xFF21, 0xFF3A, 1, 32), (0x10400, 0x10427, 1, 40),
)

_MAP = {}
for _first, _last, _step, _delta in _RUNS:
    for _cp in range(_first, _last + 1, _step):
        _MAP[_cp] = chr(_cp + _delta)
del _first, _last, _step, _delta, _cp


def dbx_lower(text):
    """path_lower of `text` (already NFC or not) as Dropbox computes it."""
    text = unicodedata.normalize("NFC", text)
    if text.isascii():
        return text.lower()
    return "".join(_MAP.get(ord(c), c) if c > "\x7f" else c.lower() for c in text)
