#!/usr/bin/python3
"""GnuCash books for Concord's connector tests, made and read by GnuCash's own engine (python3-gnucash).

usage: /usr/bin/python3 book.py make BOOK [--currency EUR] [--company NAME] [--empty]   # --empty: accounts only
       /usr/bin/python3 book.py dump BOOK      # customers and vendors as GnuCash loads them, JSON on stdout
       /usr/bin/python3 book.py hold BOOK      # opens BOOK the way the GnuCash program does (takes its lock),
                                               # prints "locked", keeps it open until stdin closes
       /usr/bin/python3 book.py note BOOK ID TEXT  # GnuCash edits customer ID (sets its notes), as a person would
       /usr/bin/python3 book.py next BOOK      # the id GnuCash gives its next new customer (advances the counter)
       /usr/bin/python3 book.py count BOOK     # opens BOOK read-only as GnuCash loads it; JSON: customers, vendors, seconds to load
Runs with Debian's /usr/bin/python3 (the bindings live in its dist-packages). GnuCash's *.log
transaction logs are switched off.
"""
import ctypes
import datetime
import json
import os
import sys
import time
from fractions import Fraction

from gnucash import Session, SessionOpenMode, Account, GncNumeric, Query
from gnucash.gnucash_business import Customer, Vendor, Invoice, Entry
from gnucash.gnucash_core_c import ACCT_TYPE_ASSET, ACCT_TYPE_RECEIVABLE, ACCT_TYPE_BANK, ACCT_TYPE_INCOME

# The engine library the bindings loaded: for what the bindings do not expose (transaction log,
# book options, counters, KVP slots).
ENGINE = ctypes.CDLL(next(line.split()[-1] for line in open("/proc/self/maps") if "libgnc-engine" in line))
ENGINE.qof_book_set_string_option.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p]
ENGINE.qof_book_get_string_option.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
ENGINE.qof_book_get_string_option.restype = ctypes.c_char_p
ENGINE.qof_book_get_counter.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
ENGINE.qof_book_get_counter.restype = ctypes.c_int64
ENGINE.qof_instance_get_kvp.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_uint, ctypes.c_char_p]
GOBJECT = ctypes.CDLL("libgobject-2.0.so.0")
GOBJECT.g_value_get_string.restype = ctypes.c_char_p
COMPANY = b"options/Business/Company Name"
CONCORD_SLOTS = ("concord-vat", "concord-web-site", "concord-country", "concord-code",
                 "department")  # the last: the slot the field map tests (S8) map a field to


class GValue(ctypes.Structure):
    _fields_ = [("g_type", ctypes.c_size_t), ("data", ctypes.c_uint64 * 2)]


def uri(path):
    return "sqlite3://" + os.path.abspath(path)


def money(n):
    value = Fraction(n.num(), n.denom())
    return f"{value.numerator / value.denominator:.2f}"


def add_account(book, parent, name, kind, currency):
    account = Account(book)
    parent.append_child(account)
    account.SetName(name)
    account.SetType(kind)
    account.SetCommodity(currency)
    return account


def post(book, owner, currency, receivable, sales, amount, when):
    invoice = Invoice(book, book.InvoiceNextID(owner), currency, owner)
    entry = Entry(book, invoice)
    entry.SetDescription("Goods")
    entry.SetQuantity(GncNumeric(1))
    entry.SetInvPrice(GncNumeric(amount, 100))
    entry.SetInvAccount(sales)
    entry.SetInvTaxable(False)
    entry.SetDateEntered(datetime.datetime.now())
    invoice.PostToAccount(receivable, when, when + datetime.timedelta(days=30), "invoice", True, False)
    return invoice


def make(path, currency_code, company, empty):
    if os.path.exists(path):
        sys.exit(f"{path} exists")
    # GnuCash 4.13 cannot build into a new SQLite store directly (the book stays "infant" and is
    # inserted twice): build in memory, then save into a fresh store, as the program's Save As does.
    memory = Session()
    book = memory.book
    currency = book.get_table().lookup("CURRENCY", currency_code)
    root = book.get_root_account()
    assets = add_account(book, root, "Assets", ACCT_TYPE_ASSET, currency)
    receivable = add_account(book, assets, "Accounts Receivable", ACCT_TYPE_RECEIVABLE, currency)
    add_account(book, assets, "Bank", ACCT_TYPE_BANK, currency)
    sales = add_account(book, add_account(book, root, "Income", ACCT_TYPE_INCOME, currency), "Sales", ACCT_TYPE_INCOME, currency)

    if empty:
        save(memory, path)
        edit(path, lambda book: set_company(book, company))
        return
    first = Customer(book, book.CustomerNextID(), currency, "Acme Widgets")
    address = first.GetAddr()
    address.SetName("Acme Widgets")
    address.SetAddr1("1 High Street")
    address.SetAddr2("Unit 4")
    address.SetAddr3("Springfield")
    address.SetAddr4("SP1 2AB")
    address.SetPhone("+27 31 123 4567")
    address.SetEmail("accounts@acme.example")
    first.GetShipAddr().SetAddr1("2 Dock Road")
    first.SetNotes("Key account")
    first.SetCredit(GncNumeric(500000, 100))
    second = Customer(book, book.CustomerNextID(), currency, "Bob's Bikes")
    second.GetAddr().SetAddr1("9 Mill Lane")
    second.GetAddr().SetEmail("bob@bikes.example")
    vendor = Vendor(book, book.VendorNextID(), currency, "Paper Supplies")
    vendor.GetAddr().SetAddr1("3 Quay Street")
    vendor.GetAddr().SetPhone("+27 21 555 0100")

    today = datetime.date.today()
    post(book, first, currency, receivable, sales, 12000, today)
    post(book, second, currency, receivable, sales, 4550, today)

    save(memory, path)

    def pay(book):
        bank = book.get_root_account().lookup_by_name("Bank")
        book.InvoiceLookupByID("000001").ApplyPayment(None, bank, GncNumeric(5000, 100), GncNumeric(1), today, "payment", "PAY-1")
        set_company(book, company)
    edit(path, pay)


def save(memory, path):
    store = Session()
    store.begin(uri(path), SessionOpenMode.SESSION_NEW_STORE)
    try:
        store.swap_data(memory)
        store.save()
        store.raise_backend_errors("save")
    finally:
        store.end()
        memory.end()


def set_company(book, company):
    # Also the first open as the program opens it, which adds the book's "features" slot every
    # book used in GnuCash has (without it even a read-only open writes to the file).
    if company:
        ENGINE.qof_book_set_string_option(int(book.get_instance()), COMPANY, company.encode())


def slot(instance, name):
    value = GValue()
    ENGINE.qof_instance_get_kvp(int(instance), ctypes.byref(value), 1, name.encode())
    if value.g_type == 0:
        return None
    text = GOBJECT.g_value_get_string(ctypes.byref(value))
    GOBJECT.g_value_unset(ctypes.byref(value))
    return text.decode() if text is not None else None


def address(a):
    return {k: getattr(a, "Get" + k)() for k in ("Name", "Addr1", "Addr2", "Addr3", "Addr4", "Phone", "Fax", "Email")}


def everything(book, kind, wrap):
    query = Query()
    query.search_for(kind)
    query.set_book(book)
    try:
        return [wrap(instance) for instance in query.run()]
    finally:
        query.destroy()


def customer(instance):
    c = Customer(instance=instance)
    currency = c.GetCurrency()
    return {
        "guid": c.GetGUID().to_string(), "id": c.GetID(), "name": c.GetName(), "active": bool(c.GetActive()),
        "notes": c.GetNotes(), "currency": currency.get_mnemonic() if currency else None,
        "credit_limit": money(c.GetCredit()), "discount": money(c.GetDiscount()), "tax_included": c.GetTaxIncluded(),
        "addr": address(c.GetAddr()), "shipaddr": address(c.GetShipAddr()),
        "balance": money(c.GetBalanceInCurrency(currency)) if currency else None,
        "slots": {name: slot(instance, name) for name in CONCORD_SLOTS},
    }


def vendor(instance):
    v = Vendor(instance=instance)
    currency = v.GetCurrency()
    return {
        "guid": v.GetGUID().to_string(), "id": v.GetID(), "name": v.GetName(), "active": bool(v.GetActive()),
        "notes": v.GetNotes(), "currency": currency.get_mnemonic() if currency else None,
        "tax_included": v.GetTaxIncluded(), "addr": address(v.GetAddr()),
        "slots": {name: slot(instance, name) for name in CONCORD_SLOTS},
    }


def dump(path):
    if not os.path.exists(path):
        sys.exit(f"no such file: {path}")
    # Read-only: neither checks nor takes the lock and never writes.
    session = Session(uri(path), SessionOpenMode.SESSION_READ_ONLY)
    try:
        book = session.book
        pointer = int(book.get_instance())
        company = ENGINE.qof_book_get_string_option(pointer, COMPANY)
        result = {
            "company": company.decode() if company else None,
            "counters": {k: ENGINE.qof_book_get_counter(pointer, k.encode()) for k in ("gncCustomer", "gncVendor")},
            "customers": sorted(everything(book, "gncCustomer", customer), key=lambda c: c["id"]),
            "vendors": sorted(everything(book, "gncVendor", vendor), key=lambda v: v["id"]),
        }
    finally:
        session.end()
    json.dump(result, sys.stdout, ensure_ascii=False, indent=1)


def count(path):
    if not os.path.exists(path):
        sys.exit(f"no such file: {path}")
    started = time.monotonic()
    session = Session(uri(path), SessionOpenMode.SESSION_READ_ONLY)
    try:
        loaded = time.monotonic() - started
        book = session.book
        result = {k: len(everything(book, kind, lambda i: i)) for k, kind in (("customers", "gncCustomer"), ("vendors", "gncVendor"))}
        result["load_seconds"] = round(loaded, 2)
        result["seconds"] = round(time.monotonic() - started, 2)
    finally:
        session.end()
    json.dump(result, sys.stdout)


def hold(path):
    session = Session(uri(path), SessionOpenMode.SESSION_NORMAL_OPEN)
    try:
        print("locked", flush=True)
        sys.stdin.read()
    finally:
        session.end()


def edit(path, change):
    """Opened as the program opens it: each change is written at once (no save() on a SQL book)."""
    session = Session(uri(path), SessionOpenMode.SESSION_NORMAL_OPEN)
    try:
        change(session.book)
        session.raise_backend_errors("edit")
    finally:
        session.end()


def main():
    ENGINE.xaccLogDisable()
    command, path, rest = sys.argv[1], os.path.abspath(sys.argv[2]), sys.argv[3:]
    pairs = [a for a in rest if a != "--empty"]
    options = dict(zip(pairs[::2], pairs[1::2]))
    if command == "make":
        make(path, options.get("--currency", "EUR"), options.get("--company"), "--empty" in rest)
    elif command == "dump":
        dump(path)
    elif command == "count":
        count(path)
    elif command == "hold":
        hold(path)
    elif command == "note":
        edit(path, lambda book: book.CustomerLookupByID(rest[0]).SetNotes(rest[1]))
    elif command == "next":
        edit(path, lambda book: print(book.CustomerNextID()))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
