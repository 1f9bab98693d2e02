#!/usr/bin/env bash
# A throw-away Tryton 6.0 server (Debian 12 packages) on 127.0.0.1 for the tests (X2).
#   scripts/tryton.sh install          installs the Debian packages when missing (root)
#   scripts/tryton.sh start WORKDIR    new SQLite database with the customer and accounting modules,
#                                      a company with a minimal chart of accounts and a fiscal year,
#                                      trytond in the background on a free port. Prints one line:
#                                      URL;DATABASE;USER;PASSWORD-FILE;SQLITE-FILE (the password itself is
#                                      only in the file, mode 600). Writes WORKDIR/trytond.pid, and
#                                      WORKDIR/db/template.sqlite: the database as set up, which a test
#                                      copies to WORKDIR/db/NAME.sqlite to have a fresh database NAME.
#   scripts/tryton.sh stop WORKDIR     stops that one trytond (by its PID)
set -euo pipefail

packages=(tryton-server tryton-modules-party tryton-modules-company tryton-modules-currency
  tryton-modules-country tryton-modules-account tryton-modules-account-invoice
  tryton-modules-account-credit-limit tryton-modules-party-siret)
# party_siret adds a plain text field to the party (siren), which the field map tests write to (S8).
modules=(party company currency country account account_invoice account_credit_limit party_siret)
database=concord
company="Concord Test Company"

install() {
  local missing=() package
  for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "tryton.sh: installing ${missing[*]} (Debian packages)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  # Without --no-install-recommends apt would pull in LibreOffice and a mail server.
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
  install
  mkdir -p "$1/db"
  local work; work=$(cd "$1" && pwd)   # trytond wants an absolute database path
  # No [web] listen here: the environment gives it, and a value in the file would win over it.
  cat >"$work/trytond.conf" <<CONF
[database]
uri = sqlite://
path = $work/db
[web]
root = $work/www
CONF
  # Warnings only: werkzeug would log every request.
  cat >"$work/logging.conf" <<'CONF'
[loggers]
keys=root
[handlers]
keys=stderr
[formatters]
keys=plain
[logger_root]
level=WARNING
handlers=stderr
[handler_stderr]
class=StreamHandler
args=(sys.stderr,)
formatter=plain
[formatter_plain]
format=%(asctime)s %(levelname)s %(name)s %(message)s
CONF
  # Tryton's password rules: at least 8 characters, few repeated ones.
  (umask 077; python3 -c 'import secrets, string; print("".join(secrets.SystemRandom().sample(string.ascii_letters + string.digits, 24)))' >"$work/admin.password")
  : >"$work/db/$database.sqlite"   # the SQLite backend wants the file to exist
  TRYTONPASSFILE="$work/admin.password" trytond-admin -c "$work/trytond.conf" --logconf "$work/logging.conf" \
    -d "$database" --email admin@example.invalid -u "${modules[@]}" --activate-dependencies >"$work/admin.log" 2>&1 \
    || { echo "tryton.sh: trytond-admin failed; see $work/admin.log" >&2; return 1; }

  local port; port=$(free_port)
  TRYTOND_WEB__LISTEN="127.0.0.1:$port" setsid trytond -c "$work/trytond.conf" --logconf "$work/logging.conf" \
    -d "$database" --pidfile "$work/trytond.pid" >>"$work/trytond.log" 2>&1 </dev/null &
  local url="http://127.0.0.1:$port"
  local tries=0
  until python3 -c 'import sys, urllib.request; urllib.request.urlopen(urllib.request.Request(sys.argv[1], method="POST",
      data=b"{\"id\": 0, \"method\": \"common.server.version\", \"params\": []}",
      headers={"Content-Type": "application/json"}), timeout=2)' "$url/" 2>/dev/null; do
    tries=$((tries + 1))
    if [ $tries -gt 120 ]; then
      echo "tryton.sh: trytond does not answer on $url; see $work/trytond.log" >&2
      stop "$work"
      return 1
    fi
    sleep 0.25
  done
  python3 - "$url" "$database" "$work/admin.password" "$company" >"$work/setup.log" 2>&1 <<'PY' \
    || { echo "tryton.sh: the accounting set-up failed; see $work/setup.log" >&2; stop "$work"; return 1; }
# The company, its currency, a minimal chart of accounts and this year's fiscal year, over
# Tryton's JSON-RPC: what a book-keeper does once in a new database.
import base64, datetime, json, sys, urllib.request

url, database, password_file, company_name = sys.argv[1:5]
auth = None
context = {}

def encode(value):
    if isinstance(value, datetime.date):
        return {"__class__": "date", "year": value.year, "month": value.month, "day": value.day}
    raise TypeError(value)

def call(method, *params):
    request = urllib.request.Request(f"{url}/{database}/", method="POST",
        data=json.dumps({"id": 1, "method": method, "params": list(params)}, default=encode).encode(),
        headers={"Content-Type": "application/json", **({"Authorization": auth} if auth else {})})
    with urllib.request.urlopen(request, timeout=120) as response:
        answer = json.load(response)
    if "error" in answer:
        raise SystemExit(f"{method}: {answer['error']}")
    return answer["result"]

def model(name, method, *args):
    return call(f"model.{name}.{method}", *args, context)

def wizard(name, *args):
    return call(f"wizard.{name}", *args, context)

def first(name, domain):
    found = model(name, "search", domain, 0, 1, None)
    return found[0] if found else None

with open(password_file) as f:
    user_id, session = call("common.db.login", "admin", {"password": f.read().strip()}, "en")
auth = "Session " + base64.b64encode(f"admin:{user_id}:{session}".encode()).decode()

countries = [("ZA", "ZAF", "South Africa"), ("BE", "BEL", "Belgium"), ("NL", "NLD", "Netherlands"),
             ("DE", "DEU", "Germany"), ("FR", "FRA", "France"), ("GB", "GBR", "United Kingdom"),
             ("US", "USA", "United States")]
model("country.country", "create", [{"code": c, "code3": c3, "name": n} for c, c3, n in countries])
currency, = model("currency.currency", "create",
    [{"name": "South African Rand", "code": "ZAR", "symbol": "R", "digits": 2,
      "rounding": {"__class__": "Decimal", "decimal": "0.01"}}])
party, = model("party.party", "create", [{"name": company_name}])
company, = model("company.company", "create", [{"party": party, "currency": currency}])
model("res.user", "write", [user_id], {"companies": [["add", [company]]], "company": company})
context = call("model.res.user.get_preferences", True, {})

template = first("account.account.template", [("parent", "=", None), ("name", "=", "Minimal Account Chart")])
session_id, start_state, _ = wizard("account.create_chart.create")
wizard("account.create_chart.execute", session_id, {}, start_state)
wizard("account.create_chart.execute", session_id, {"account": {"company": company, "account_template": template}}, "create_account")
receivable = first("account.account", [("company", "=", company), ("type.receivable", "=", True), ("party_required", "=", True)])
payable = first("account.account", [("company", "=", company), ("type.payable", "=", True), ("party_required", "=", True)])
wizard("account.create_chart.execute", session_id,
       {"properties": {"company": company, "account_receivable": receivable, "account_payable": payable}}, "create_properties")
wizard("account.create_chart.delete", session_id)

year = datetime.date.today().year
def sequence(model_name, type_name, name):
    kind = first("ir.sequence.type", [("name", "=", type_name)])
    return model(model_name, "create", [{"name": name, "sequence_type": kind, "company": company}])[0]
moves = sequence("ir.sequence", "Account Move", f"Moves {year}")
invoices = sequence("ir.sequence.strict", "Invoice", f"Invoices {year}")
fiscal_year, = model("account.fiscalyear", "create", [{
    "name": str(year), "company": company,
    "start_date": datetime.date(year, 1, 1), "end_date": datetime.date(year, 12, 31),
    "post_move_sequence": moves,
    "invoice_sequences": [["create", [{"company": company, "out_invoice_sequence": invoices,
        "out_credit_note_sequence": invoices, "in_invoice_sequence": invoices, "in_credit_note_sequence": invoices}]]]}])
model("account.fiscalyear", "create_period", [fiscal_year])
print("company", company, "fiscal year", fiscal_year)
PY
  # A pristine copy for tests that want a database of their own: copied to db/NAME.sqlite, it is database NAME.
  python3 -c 'import sqlite3, sys; source = sqlite3.connect(sys.argv[1]); copy = sqlite3.connect(sys.argv[2]); source.backup(copy); copy.close()' \
    "$work/db/$database.sqlite" "$work/db/template.sqlite"
  echo "$url;$database;admin;$work/admin.password;$work/db/$database.sqlite"
}

stop() {
  local pidfile="$1/trytond.pid" pid
  [ -s "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null && grep -qa trytond "/proc/$pid/cmdline"; then
    kill -TERM "$pid"
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  fi
  rm -f "$pidfile"
}

case "${1:-}" in
  install) install ;;
  start) start "$2" ;;
  stop) stop "$2" ;;
  *) echo "usage: $0 install | start WORKDIR | stop WORKDIR" >&2; exit 2 ;;
esac
