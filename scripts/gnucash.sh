#!/usr/bin/env bash
# Installs what the GnuCash connector's tests need when it is missing: GnuCash 4.13 with its python
# bindings (the tests make and check books with GnuCash's own engine) and the SQLite driver that
# GnuCash only suggests (without it sqlite3:// books do not open).
set -euo pipefail
missing=()
for package in gnucash python3-gnucash libdbd-sqlite3 sqlite3; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "gnucash.sh: installing ${missing[*]} (Debian packages)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi
/usr/bin/python3 -c "import gnucash" || { echo "gnucash.sh: /usr/bin/python3 cannot import the gnucash bindings" >&2; exit 1; }
