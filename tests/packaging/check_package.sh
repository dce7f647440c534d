#!/usr/bin/env bash
# Install into a scratch prefix, then build the .deb with CPack and check it the way a
# distribution would: contents, declared dependencies, apt's view of installing it, lintian.
set -euo pipefail
build=$1
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

cmake --install "$build" --prefix "$scratch/usr" >/dev/null
for f in bin/muze bin/muze-cli share/applications/com.krondor.muze.desktop \
         share/metainfo/com.krondor.muze.metainfo.xml \
         share/icons/hicolor/scalable/apps/com.krondor.muze.svg share/doc/muze/copyright; do
  [[ -f "$scratch/usr/$f" ]] || { echo "not installed: $f" >&2; exit 1; }
done
help=$("$scratch/usr/bin/muze-cli" --help)
grep -q 'muze-cli' <<<"$help"

(cd "$build" && cpack -G DEB -B "$scratch/pkg" >/dev/null)
deb=$(ls "$scratch"/pkg/muze_*.deb)
contents=$(dpkg-deb -c "$deb")
grep -q './usr/bin/muze-cli$' <<<"$contents"
grep -q './usr/share/applications/com.krondor.muze.desktop$' <<<"$contents"
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
for lib in libqt6core6 libqt6widgets6 libqt6multimedia6 libsodium23 libqt6keychain1 libqt6sql6-sqlite; do
  grep -q "$lib" <<<"$depends" || { echo "the package does not depend on $lib" >&2; exit 1; }
done

# apt resolves the package's dependencies against this Debian 12's archive (a dry run: the
# machine is not changed).
plan=$(apt-get install -s -q "$deb" 2>&1) || { echo "$plan" >&2; exit 1; }
grep -q '^Inst muze ' <<<"$plan" || { echo "$plan" >&2; exit 1; }

# The unpacked package runs on this system's libraries.
dpkg-deb -x "$deb" "$scratch/root"
help=$("$scratch/root/usr/bin/muze-cli" --help)
grep -q 'muze-cli' <<<"$help"

if command -v lintian >/dev/null; then
  # Errors fail; warnings are printed (a CPack package has no Debian changelog, for one).
  lintian --tag-display-limit 0 "$deb" | tee "$scratch/lintian.txt" || true
  if grep -q '^E:' "$scratch/lintian.txt"; then
    echo "lintian reports errors" >&2
    exit 1
  fi
else
  echo "lintian not installed: skipped"
fi
echo "package: $(basename "$deb") $(stat -c %s "$deb") bytes"
