#!/usr/bin/env bash
# Check that a release tag names the package's version, the one place it is kept:
# triggersync/__init__.py's __version__, which hatch reads when it builds (pyproject.toml).
#   scripts/ci/release-version.sh v1.2.3    -> prints 1.2.3, exit 0; or one error line, exit 1
set -euo pipefail

tag=${1:-}
root=$(cd "$(dirname "$0")/../.." && pwd)
version=$(sed -nE 's/^__version__ = "([^"]+)"$/\1/p' "$root/triggersync/__init__.py")
if [ -z "$version" ]; then
  echo "error: no __version__ = \"X.Y.Z\" line in triggersync/__init__.py" >&2
  exit 1
fi
if [ "$tag" != "v$version" ]; then
  echo "error: the tag ${tag:-(none)} is not v$version, the version in triggersync/__init__.py;" \
    "set __version__ there, commit, and tag that commit v$version" >&2
  exit 1
fi
echo "$version"
