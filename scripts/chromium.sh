#!/usr/bin/env bash
# Installs Debian's chromium when it is missing: the browser tests drive it with Playwright
# (launched by its path; Playwright downloads no browser). Prints the browser's path.
set -euo pipefail
if ! dpkg-query -W -f='${Status}' chromium 2>/dev/null | grep -q "install ok installed"; then
  echo "chromium.sh: installing chromium (Debian package)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >&2
fi
test -x /usr/bin/chromium || { echo "chromium.sh: /usr/bin/chromium is missing after the install" >&2; exit 1; }
echo /usr/bin/chromium
