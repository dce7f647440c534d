#!/usr/bin/env bash
# The desktop entry and the AppStream metainfo, checked by the freedesktop and AppStream
# validators (desktop-file-utils, appstream); --no-net: CI has no internet.
set -euo pipefail
src=$1
desktop-file-validate "$src/resources/com.krondor.muze.desktop"
appstreamcli validate --no-net --pedantic "$src/resources/com.krondor.muze.metainfo.xml"
# The browser hands com.krondor.muze://oauth?... links to the app (Dropbox sign-in).
grep -qx 'MimeType=x-scheme-handler/com.krondor.muze;' "$src/resources/com.krondor.muze.desktop"
# The icon named by the entry exists and is an SVG.
icon=$(sed -n 's/^Icon=//p' "$src/resources/com.krondor.muze.desktop")
head -c 200 "$src/resources/icons/$icon.svg" | grep -q '<svg'
echo "metadata: valid"
