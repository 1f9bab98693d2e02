using Concord.Core.Common;

namespace Concord.Connectors.Files;

/// <summary>
/// The column maps of published accounting import layouts, written in the map syntax of
/// <see cref="ColumnMap"/>; docs/FILE-LAYOUTS.md describes each and where its column list comes from.
/// </summary>
public static class ColumnMapPresets
{
    /// <summary>Concord's own field names, one column each: the layout when none is named.</summary>
    public const string Default = "concord";

    private const string Concord = """
        code = code
        name = name
        vat = vat
        phone = phone
        email = email
        web-site = web-site
        address = address
        postcode = postcode
        country = country
        credit-limit = credit-limit
        """;

    // Sage 50 Accounts (UK), customer record import ("Customer Record CSV", Excel columns A–AE).
    // Columns A–V as Sage lists them in "Customer record data fields you can import":
    //   https://gb-kb.sage.com/portal/app/portlets/results/view2.jsp?k2dockey=250321114620507
    // W–AE (default nominal and tax code, trade contact, telephone 2, e-mail, web address, discount,
    // payment due days, terms agreed) in the order of Sage's built-in import routine as listed by
    //   https://www.makingithappen.co.uk/CI/std/customer.htm
    // Address lines 1–4 are Sage's Street 1, Street 2, Town and County; line 5 is the post code.
    // The layout has no country column: VAT numbers without a prefix are British.
    private const string Sage50 = """
        @separator ,
        @country GB
        A/C = code
        Name = name
        Address Line 1 = address
        Address Line 2 = address
        Address Line 3 = address
        Address Line 4 = address
        Address Line 5 = postcode
        Contact Name =
        Telephone = phone
        Fax =
        Analysis 1 =
        Analysis 2 =
        Analysis 3 =
        Department =
        VAT Number = vat
        M.T.D. =
        Y.T.D. =
        Prior Y.T.D. =
        Credit Limit = credit-limit
        Trading Terms Text =
        Settlement Due Days =
        Sett. Discount (%) =
        Default Nominal Code =
        Default Tax Code =
        Trade Contact =
        Telephone 2 =
        E-mail = email
        Web Address = web-site
        Discount % =
        Payment Due Days =
        Terms Agreed =
        """;

    // Xero, contacts import (CSV). Column names as Xero's help centre gives them in "Import contacts into Xero":
    //   https://help.xero.com/us/Contacts_Import
    // in the order of the template it offers there (Contacts > Import > Download template file), up to
    // PurchasesAccount; Xero accepts a file with fewer columns than its template. Xero has no credit
    // limit column. AccountNumber carries the code; *ContactName (required) the name. City and region
    // are the last parts of the one-line address.
    private const string Xero = """
        @separator ,
        *ContactName = name
        AccountNumber = code
        EmailAddress = email
        FirstName =
        LastName =
        POAttentionTo =
        POAddressLine1 = address
        POAddressLine2 = address
        POAddressLine3 = address
        POAddressLine4 = address
        POCity = address
        PORegion = address
        POPostalCode = postcode
        POCountry = country
        SAAttentionTo =
        SAAddressLine1 =
        SAAddressLine2 =
        SAAddressLine3 =
        SAAddressLine4 =
        SACity =
        SARegion =
        SAPostalCode =
        SACountry =
        PhoneNumber = phone
        FaxNumber =
        MobileNumber =
        DDINumber =
        SkypeName =
        BankAccountName =
        BankAccountNumber =
        BankAccountParticulars =
        TaxNumber = vat
        AccountsReceivableTaxCodeName =
        AccountsPayableTaxCodeName =
        Website = web-site
        LegalName =
        Discount =
        CompanyNumber =
        DueDateBillDay =
        DueDateBillTerm =
        DueDateSalesDay =
        DueDateSalesTerm =
        SalesAccount =
        PurchasesAccount =
        """;

    private static readonly Dictionary<string, string> Texts = new(Codes.Comparer)
    {
        [Default] = Concord,
        ["sage50"] = Sage50,
        ["xero"] = Xero,
    };

    public static IReadOnlyCollection<string> Names => Texts.Keys;

    /// <summary>The preset's map, or null when there is no preset of that name.</summary>
    public static ColumnMap? Find(string name) =>
        Texts.TryGetValue(name, out var text) ? ColumnMap.Parse($"preset {name.ToLowerInvariant()}", text) : null;
}
