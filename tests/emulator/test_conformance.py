#!/usr/bin/env python3
"""Conformance test of the Dropbox emulator against the official Dropbox Python SDK.

Run with Debian's interpreter (python3-dropbox, python3-requests):
    /usr/bin/python3 tests/emulator/test_conformance.py [-v] [TestClass[.test_method] ...]

Importing conformance_base starts one emulator over TLS (throwaway CA made with
openssl), points the SDK at it and links it through the real OAuth PKCE flow.
The SDK validates every response against the API spec, so any malformed answer
fails a test; conformance_faults.Wire also decodes raw responses in strict mode.
"""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from conformance_base import LOG  # noqa: E402  (starts the emulator)
from conformance_auth import OAuthFlow, RedirectUris, Tokens  # noqa: E402,F401
from conformance_batch import Batches  # noqa: E402,F401
from conformance_case import Casing  # noqa: E402,F401
from conformance_history import History  # noqa: E402,F401
from conformance_files import Organise, Reads, UploadSessions, Writes  # noqa: E402,F401
from conformance_limits import WriteLimits  # noqa: E402,F401
from conformance_listing import Listing, Longpoll  # noqa: E402,F401
from conformance_faults import Concurrency, ContentHash, Faults, Persistence, Wire  # noqa: E402,F401

__all__ = ["Batches", "Casing", "History", "OAuthFlow", "RedirectUris", "Tokens", "Organise", "Reads", "UploadSessions", "Writes", "Listing",
           "Longpoll", "Concurrency", "ContentHash", "Faults", "Persistence", "Wire", "WriteLimits"]


def main():
    program = unittest.main(exit=False)
    result = program.result
    if not result.wasSuccessful():
        try:
            with open(LOG, errors="replace") as f:
                tail = f.readlines()[-80:]
            if tail:
                sys.stderr.write("\n--- emulator log (tail) ---\n" + "".join(tail))
        except OSError:
            pass
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
