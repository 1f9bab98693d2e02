using System.Globalization;
using System.Text;

namespace Concord.Bench;

/// <summary>Generates a CSV file of operational customers the way a real export looks: valid VAT numbers, credit limits, phones.</summary>
public static class CustomerFile
{
    public const string Header = "code,name,site,kind,type,credit-limit,vat,country,phone,email,postcode,web-site";

    public static void Write(string path, int rows)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        writer.WriteLine(Header);
        var random = new Random(42);
        string[] words = ["Hope", "Works", "Titan", "Green", "Tea", "Office", "Supplies", "Coastal", "Fisheries", "Bargains", "Dynamic", "Electric", "Bakery", "Salon"];
        for (var i = 0; i < rows; i++)
        {
            var name = $"{words[random.Next(words.Length)]} {words[random.Next(words.Length)]} {i} (Pty) Ltd";
            var vat = (4_000_000_000L + i).ToString(CultureInfo.InvariantCulture);
            var limit = (random.Next(0, 100_000) * 10).ToString(CultureInfo.InvariantCulture) + ".00";
            writer.Write($"C{i:D8},\"{name}\",BENCH,account,RE,{limit},{vat},ZA,031 {random.Next(100, 999)} {random.Next(1000, 9999)},");
            writer.WriteLine($"info{i}@example.co.za,{random.Next(1000, 9999)},www.c{i}.co.za");
        }
    }
}
