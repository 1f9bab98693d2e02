#!/usr/bin/env bash
# The one test command: installs what the tests need, starts a throw-away PostgreSQL on
# 127.0.0.1, runs every test (each store-facing test on SQLite and on PostgreSQL), stops the
# server, and ends with one line "N passed, N failed" summed from the TRX results.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work=$(mktemp -d /tmp/concord-test-run.XXXXXX)
results="$work/results"
[ "$(id -u)" = 0 ] && chmod 755 "$work"

cleanup() {
  "$root/scripts/postgres.sh" stop "$work/pg" || true
  "$root/scripts/tryton.sh" stop "$work/tryton" || true   # Tryton (X2)
  rm -rf "$work"
}
trap cleanup EXIT

if ! command -v dotnet >/dev/null; then
  echo "test.sh: the .NET 10 SDK (dotnet) is required" >&2
  exit 1
fi

echo "== starting PostgreSQL" >&2
if ! CONCORD_TEST_PG=$("$root/scripts/postgres.sh" start "$work/pg"); then
  echo "test.sh: PostgreSQL could not be started; see $work/pg/server.log" >&2
  cat "$work/pg/server.log" "$work/pg/initdb.log" >&2 2>/dev/null
  exit 1
fi
export CONCORD_TEST_PG

# --- Tryton (X2): a throw-away trytond for the connector tests; stopped in cleanup by its PID.
echo "== starting Tryton" >&2
if ! tryton=$("$root/scripts/tryton.sh" start "$work/tryton"); then
  echo "test.sh: Tryton could not be started; see the logs in $work/tryton" >&2
  tail -n 20 "$work"/tryton/*.log >&2 2>/dev/null
  exit 1
fi
IFS=';' read -r tryton_url tryton_database tryton_user tryton_password_file tryton_database_file <<<"$tryton"
export CONCORD_TEST_TRYTON="$tryton_url;$tryton_database;$tryton_user"
export CONCORD_TEST_TRYTON_PASSWORD_FILE="$tryton_password_file" CONCORD_TEST_TRYTON_DATABASE_FILE="$tryton_database_file"
# --- end Tryton

# --- GnuCash connector (X3): GnuCash and its python bindings make and check the test books.
echo "== GnuCash" >&2
"$root/scripts/gnucash.sh" || exit 1
# --- end GnuCash

# --- the web app's browser tests: Debian's chromium, driven by Playwright.
echo "== Chromium" >&2
CONCORD_TEST_CHROMIUM="$("$root/scripts/chromium.sh")" || exit 1
export CONCORD_TEST_CHROMIUM
# --- end Chromium

echo "== building" >&2
# ConcordTestHooks: the fault injection the crash tests use is compiled into this build only.
dotnet build "$root/Concord.slnx" -c Release -warnaserror -nologo -v quiet -p:ConcordTestHooks=true || exit 1

echo "== testing" >&2
dotnet test --project "$root/tests/Concord.Tests" -c Release --no-build \
  --report-xunit-trx --results-directory "$results" --no-progress
status=$?

python3 - "$results" <<'PY' || { echo "test.sh: no test results were written" >&2; status=1; }
import glob, re, sys, xml.etree.ElementTree as ET
passed = failed = 0
files = glob.glob(sys.argv[1] + "/**/*.trx", recursive=True)
for path in files:
    try:
        counters = ET.parse(path).getroot().find(".//{*}Counters").attrib
    except ET.ParseError:
        # A failure message can carry characters XML does not allow; the counters line is still plain.
        text = open(path, encoding="utf-8", errors="replace").read()
        counters = dict(re.findall(r'(\w+)="(\d+)"', re.search(r"<Counters[^>]*>", text).group(0)))
    passed += int(counters.get("passed", 0))
    failed += int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0)) + int(counters.get("aborted", 0))
print(f"{passed} passed, {failed} failed")
sys.exit(0 if files else 1)
PY
exit $status
