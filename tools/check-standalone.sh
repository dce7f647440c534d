#!/usr/bin/env bash
# Fails when a tracked file reaches outside the repository: the design folder and reference
# vectors that sat beside it while Muze was started are not part of a clone.
set -euo pipefail
cd "$(dirname "$0")/.."
up='\.\./'
pattern="(${up})+shared(/|\b)|MUZE_SOURCE_DIR \"/${up}"
if hits=$(git grep -nIE "$pattern" -- . ':!tools/check-standalone.sh'); then
  echo "Tracked files reach outside the repository:" >&2
  echo "$hits" >&2
  exit 1
fi
echo "standalone: no tracked file reaches outside the repository"
