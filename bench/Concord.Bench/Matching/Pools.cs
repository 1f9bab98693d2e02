namespace Concord.Bench.Matching;

/// <summary>
/// The look-up tables the matching generator draws from: South African given and family names
/// (Zulu, Xhosa, Sotho, Afrikaans, English, Indian and Muslim Durban families), company words and
/// legal forms, streets, towns with their suburbs and postcodes, and the nickname table. Lists are
/// ordered roughly from common to rare: <see cref="Dice.Skewed"/> favours the front.
/// </summary>
internal static class Pools
{
    public static readonly string[] GivenNames =
    [
        "Thandi", "Sipho", "Johan", "Priya", "Bongani", "Nomvula", "Robert", "Elizabeth", "William", "Katherine",
        "Thabo", "Lindiwe", "Pieter", "Anele", "Sibusiso", "Nokuthula", "Michael", "Sarah", "David", "Fatima",
        "Mandla", "Zanele", "Jacobus", "Rajesh", "Kavitha", "Themba", "Ayanda", "Andile", "Lerato", "Kagiso",
        "Nicholas", "Jennifer", "Thomas", "Margaret", "Johannes", "Petrus", "Hendrik", "Cornelius", "Gerhardus", "Christopher",
        "Siyabonga", "Nonhlanhla", "Thandiwe", "Mandlenkosi", "Lungile", "Sizwe", "Busisiwe", "Nompumelelo", "Sifiso", "Khanyisile",
        "Pravesh", "Sunitha", "Ashwin", "Nalini", "Vikash", "Devan", "Yusuf", "Ayesha", "Mohammed", "Imran",
        "Alexander", "Samuel", "Benjamin", "Daniel", "Joseph", "Richard", "Andrew", "Susan", "Deborah", "Patricia",
        "Anna", "Maria", "Susanna", "Elsabe", "Marietjie", "Annelie", "Francois", "Willem", "Stefan", "Riaan",
        "Nthabiseng", "Palesa", "Tshepo", "Refilwe", "Mpho", "Karabo", "Neo", "Dineo", "Tumelo", "Lebogang",
        "Xolani", "Vusi", "Jabulani", "Nandi", "Zodwa", "Phindile", "Sbonelo", "Mthunzi", "Nokwanda", "Sanele",
        "Logan", "Kreshen", "Thireshan", "Yashika", "Shanice", "Kevin", "Prenesh", "Selvan", "Vanessa", "Natasha",
        "Zainab", "Aaliyah", "Ismail", "Ebrahim", "Goolam", "Rashida", "Faheem", "Naeem", "Shireen", "Zaheer",
        "Peter", "John", "James", "Mark", "Paul", "Simon", "Graham", "Craig", "Brett", "Wayne",
        "Lisa", "Karen", "Michelle", "Nicole", "Claire", "Helen", "Gillian", "Tracey", "Candice", "Bronwyn",
        "Lwazi", "Mlungisi", "Nhlakanipho", "Sandile", "Thulani", "Bhekani", "Mxolisi", "Zweli", "Sphamandla", "Lethabo",
        "Ntombi", "Hlengiwe", "Noxolo", "Zinhle", "Thuthukile", "Ayabonga", "Amahle", "Minenhle", "Snegugu", "Slindile",
        "Jan", "Koos", "Frik", "Danie", "Gert", "Kobus", "Louis", "Marius", "Ruan", "Wian",
        "Charlotte", "Emma", "Olivia", "Mia", "Grace", "Jessica", "Megan", "Chloe", "Hannah", "Amy",
        "Nkosinathi", "Lindokuhle", "Mondli", "Sakhile", "Thobani", "Wandile", "Mbali", "Nosipho", "Gugu", "Lungelo",
        "Rivaan", "Keshav", "Anand", "Dhiren", "Suren", "Leela", "Devika", "Meera", "Rohan", "Arjun",
    ];

    public static readonly string[] FamilyNames =
    [
        "Nkosi", "Dlamini", "Naidoo", "Ndlovu", "van der Merwe", "Zulu", "Pillay", "Mkhize", "Botha", "Govender",
        "Khumalo", "Mthembu", "Ngcobo", "Smith", "Reddy", "Buthelezi", "Moodley", "Mahlangu", "Pretorius", "Chetty",
        "Mokoena", "Nxumalo", "Singh", "Mabaso", "du Plessis", "Shabalala", "Maharaj", "Zungu", "Nel", "Padayachee",
        "Cele", "Gumede", "Naicker", "Majola", "van Wyk", "Ntuli", "Sithole", "Jones", "Hlongwane", "Ramsamy",
        "Mhlongo", "Msomi", "Joubert", "Zwane", "Moosa", "Ismail", "Khan", "Patel", "Essop", "Cassim",
        "Mchunu", "Shezi", "Ngubane", "Mnguni", "Hadebe", "Kubheka", "Luthuli", "Madlala", "Mabuza", "Sibiya",
        "Fourie", "Venter", "Coetzee", "Steyn", "Kruger", "Swanepoel", "Jacobs", "Snyman", "Bezuidenhout", "Erasmus",
        "Williams", "Brown", "Taylor", "Wilson", "Johnson", "Walker", "White", "Thompson", "Robinson", "Wright",
        "Molefe", "Mokoape", "Nkuna", "Mathebula", "Baloyi", "Maluleke", "Chauke", "Mahlaba", "Radebe", "Tshabalala",
        "Govindsamy", "Munsamy", "Subramoney", "Moonsamy", "Perumal", "Rajah", "Sewpersad", "Ramlall", "Maharajh", "Bisetty",
        "Mkhwanazi", "Ngema", "Mthethwa", "Ndaba", "Khanyile", "Mbatha", "Hlophe", "Dube", "Magwaza", "Nene",
        "van Zyl", "de Villiers", "le Roux", "du Toit", "van Niekerk", "de Klerk", "van Rensburg", "Oosthuizen", "Potgieter", "Marais",
        "Xaba", "Mtshali", "Mbhele", "Ndwandwe", "Gwala", "Mzimela", "Zondi", "Khoza", "Msimang", "Mlambo",
        "Harris", "Martin", "Clarke", "Lewis", "Hall", "Green", "Baker", "Adams", "Campbell", "Stewart",
        "Hassim", "Dawood", "Vawda", "Bux", "Jeewa", "Kajee", "Omar", "Seedat", "Amod", "Paruk",
        "Mofokeng", "Motaung", "Nhlapo", "Sithebe", "Mavuso", "Masango", "Mazibuko", "Mkhabela", "Ngwenya", "Phiri",
        "Grobler", "Lombard", "Claassen", "Visser", "Vermeulen", "Meyer", "Muller", "Schoeman", "Wessels", "Liebenberg",
        "Naidu", "Moodliar", "Pather", "Chinsamy", "Gounden", "Nair", "Sookdeo", "Rambaran", "Bhagwandeen", "Ramdass",
        "Cloete", "Hendricks", "Isaacs", "Adonis", "Arendse", "Abrahams", "Daniels", "Petersen", "Jansen", "Fortuin",
        "Mahlalela", "Shange", "Nyawo", "Dladla", "Mkhize-Ngcobo", "Mncube", "Mathenjwa", "Myeni", "Ntshangase", "Bhengu",
    ];

    /// <summary>Given names and the short forms people use for them (the generator's nickname corruption).</summary>
    public static readonly Dictionary<string, string[]> Nicknames = new(StringComparer.Ordinal)
    {
        ["Robert"] = ["Bob", "Rob", "Bobby"],
        ["Elizabeth"] = ["Liz", "Beth", "Lizzie"],
        ["William"] = ["Bill", "Will", "Willie"],
        ["Katherine"] = ["Kate", "Kathy", "Katie"],
        ["Michael"] = ["Mike", "Mick"],
        ["Nicholas"] = ["Nick", "Nicky"],
        ["Jennifer"] = ["Jenny", "Jen"],
        ["Thomas"] = ["Tom", "Tommy"],
        ["Margaret"] = ["Maggie", "Peggy", "Meg"],
        ["Johannes"] = ["Johan", "Hannes", "Jan"],
        ["Jacobus"] = ["Koos", "Kobus"],
        ["Petrus"] = ["Piet", "Pieter"],
        ["Hendrik"] = ["Henk", "Hennie"],
        ["Cornelius"] = ["Neels", "Kobus"],
        ["Gerhardus"] = ["Gerrie", "Gert"],
        ["Christopher"] = ["Chris"],
        ["Alexander"] = ["Alex", "Sandy"],
        ["Samuel"] = ["Sam", "Sammy"],
        ["Benjamin"] = ["Ben", "Benny"],
        ["Daniel"] = ["Dan", "Danie"],
        ["Joseph"] = ["Joe", "Joey"],
        ["Richard"] = ["Rick", "Dick", "Richie"],
        ["Andrew"] = ["Andy", "Drew"],
        ["Susan"] = ["Sue", "Susie"],
        ["Deborah"] = ["Debbie", "Deb"],
        ["Patricia"] = ["Pat", "Trish"],
        ["Susanna"] = ["Sannie", "Suzie"],
        ["Marietjie"] = ["Mariet"],
        ["Francois"] = ["Frans"],
        ["Thandiwe"] = ["Thandi"],
        ["Sibusiso"] = ["Sbu", "Busi"],
        ["Nokuthula"] = ["Thuli"],
        ["Lindiwe"] = ["Lindi"],
        ["Mandlenkosi"] = ["Mandla"],
        ["Siyabonga"] = ["Siya"],
        ["Bongani"] = ["Bongi"],
        ["Nonhlanhla"] = ["Nhlanhla", "Lanhla"],
        ["Nompumelelo"] = ["Mpume"],
        ["Khanyisile"] = ["Khanyi"],
        ["Busisiwe"] = ["Busi"],
        ["Nkosinathi"] = ["Nathi"],
        ["Lindokuhle"] = ["Lindo"],
        ["Sphamandla"] = ["Spha"],
        ["Nthabiseng"] = ["Thabi"],
        ["Mohammed"] = ["Moe", "Mo"],
        ["Ebrahim"] = ["Ebi"],
        ["Thireshan"] = ["Theo"],
        ["Kreshen"] = ["Kresh"],
    };

    public static readonly string[] Trades =
    [
        "Motors", "Traders", "Hardware", "Plumbing", "Electrical", "Engineering", "Transport", "Logistics", "Catering", "Bakery",
        "Pharmacy", "Butchery", "Supermarket", "Auto Spares", "Panel Beaters", "Builders", "Construction", "Roofing", "Paints", "Glass",
        "Furniture", "Textiles", "Clothing", "Fashions", "Jewellers", "Opticians", "Dental Studio", "Medical Centre", "Vet Clinic", "Pet Shop",
        "Printers", "Signs", "Stationers", "Computers", "Electronics", "Security", "Cleaning Services", "Laundry", "Car Wash", "Tyres",
        "Fisheries", "Seafoods", "Fresh Produce", "Nursery", "Garden Services", "Pools", "Irrigation", "Farm Supplies", "Feeds", "Sugar",
        "Tours", "Travel", "Guest House", "Lodge", "Restaurant", "Takeaways", "Coffee Shop", "Spice Emporium", "Cash and Carry", "Wholesalers",
        "Steel", "Timber", "Tiles", "Bricks", "Aluminium", "Shopfitters", "Kitchens", "Blinds", "Upholsterers", "Curtains",
        "Accountants", "Attorneys", "Consulting", "Architects", "Surveyors", "Estate Agents", "Insurance Brokers", "Recruitment", "Training", "Media",
        "Salon", "Barbers", "Beauty Spa", "Fitness", "Driving School", "Day Care", "Tutors", "Music", "Photography", "Events",
        "Marine", "Boat Repairs", "Diesel", "Refrigeration", "Air Conditioning", "Generators", "Pumps", "Welding", "Hydraulics", "Bearings",
        "Packaging", "Plastics", "Chemicals", "Labels", "Containers", "Pallets", "Cold Storage", "Freight", "Couriers", "Clearing and Forwarding",
        "Liquors", "Bottle Store", "Tavern", "Spaza", "General Dealer", "Trading Store", "Fruit and Veg", "Meat Market", "Poultry", "Dairy",
    ];

    public static readonly string[] Adjectives =
    [
        "Bayside", "Coastal", "Golden", "Royal", "Union", "Pioneer", "Summit", "Crest", "Harbour", "Ocean",
        "Pearl", "Ivory", "Amber", "Copper", "Silver", "Premier", "Sunrise", "Sunset", "Tropical", "Palm",
        "Protea", "Baobab", "Fynbos", "Acacia", "Marula", "Impala", "Kudu", "Rhino", "Lion", "Eagle",
        "Falcon", "Phoenix", "Orion", "Atlas", "Zenith", "Apex", "Prime", "Alpha", "Delta", "Omega",
        "Ubuntu", "Masakhane", "Sizakala", "Siyakhula", "Zamokuhle", "Khanya", "Thembalethu", "Isibani", "Ilanga", "Inkanyezi",
        "Green Valley", "Blue Lagoon", "Red Hill", "Three Rivers", "Two Oceans", "Seaview", "Hilltop", "Riverside", "Lakeside", "Parkside",
        "Express", "Reliable", "Quality", "Superior", "Classic", "Modern", "Creative", "Dynamic", "Smart", "Rapid",
        "Zulu Kingdom", "Natal", "Midlands", "North Coast", "South Coast", "Berea", "Victoria", "Albert", "Grey Street", "West Street",
        "Silverstone", "Oakwood", "Ashford", "Kingsway", "Queensway", "Mayfair", "Belmont", "Fairview", "Glenmore", "Highway",
        "Shiva", "Lotus", "Saffron", "Jasmine", "Crescent Moon", "Star", "Al-Noor", "Madina", "Ganesh", "Lakshmi",
    ];

    /// <summary>Legal forms with their share of companies (the rest have none).</summary>
    public static readonly (string Form, double Share)[] LegalForms =
        [("(Pty) Ltd", 0.45), ("CC", 0.25), ("Ltd", 0.05), ("Inc", 0.03), ("t/a", 0.02)];

    public static readonly string[] Streets =
    [
        "Long", "Church", "Main", "Station", "Victoria", "Albert", "Alfred", "Smith", "West", "Florida",
        "Musgrave", "Problem Mkhize", "Anton Lembede", "Dr Pixley KaSeme", "Monty Naicker", "Bram Fischer", "Masabalala Yengwa", "Umgeni", "Point", "Marine",
        "Jan Smuts", "Voortrekker", "Oxford", "Cambridge", "Essenwood", "Ridge", "Stamford Hill", "Sydenham", "Brickfield", "Moore",
        "Berea", "Cowey", "Innes", "Lilian Ngoyi", "Helen Joseph", "Joe Slovo", "Chris Hani", "Walter Sisulu", "Steve Biko", "Govan Mbeki",
        "King Dinuzulu", "King Cetshwayo", "Inkosi Albert Luthuli", "Josiah Gumede", "Mahatma Gandhi", "Bluff", "Old Main", "Old Fort", "Sarnia", "Stella",
        "Jacaranda", "Protea", "Acacia", "Oak", "Willow", "Palm", "Pine", "Mimosa", "Frangipani", "Hibiscus",
        "Kloof", "Hillcrest", "Inanda", "Tongaat", "Ballito", "Umhlanga Rocks", "Lagoon", "Chartwell", "Meridian", "Gateway",
        "Park", "Market", "School", "Hospital", "Mill", "Dock", "Quay", "Beach", "Harbour", "Bay",
        "Fenton", "Maydon", "Edwin Swales", "Solomon Mahlangu", "Felix Dlamini", "Sandile Thusi", "Mathews Meyiwa", "Peter Mokaba", "Ntuli", "Sivananda",
        "Kings", "Queens", "Princes", "Regent", "Windsor", "York", "Durham", "Kent", "Surrey", "Sussex",
        "Jubilee", "Coronation", "Empire", "Union", "Republic", "Freedom", "Unity", "Liberty", "Heritage", "Independence",
        "Aloe", "Strelitzia", "Cycad", "Yellowwood", "Stinkwood", "Ironwood", "Milkwood", "Mahogany", "Tamboti", "Umdoni",
        "Sea View", "Hill", "Valley", "River", "Lake", "Forest", "Mountain", "Crest", "Ridgeway", "Highland",
        "Nelson Mandela", "Oliver Tambo", "Albertina Sisulu", "Beyers Naude", "Robert Sobukwe", "Dr Lategan", "Paul Kruger", "Du Toit", "Rissik", "Pritchard",
        "Commissioner", "Eloff", "Jeppe", "Bree", "Loop", "Strand", "Adderley", "Buitengracht", "Kloof Nek", "Belvedere",
        "First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth", "Tenth",
    ];

    /// <summary>Street types and their abbreviations (the abbreviation corruption; ordered by how common).</summary>
    public static readonly (string Word, string Short)[] StreetTypes =
    [
        ("Street", "St"), ("Road", "Rd"), ("Avenue", "Ave"), ("Drive", "Dr"), ("Lane", "Ln"), ("Crescent", "Cres"),
        ("Place", "Pl"), ("Close", "Cl"), ("Way", "Wy"), ("Terrace", "Tce"), ("Boulevard", "Blvd"), ("Circle", "Cir"),
    ];

    /// <summary>Other address words with their abbreviations.</summary>
    public static readonly (string Word, string Short)[] AddressWords =
    [
        ("North", "N"), ("South", "S"), ("East", "E"), ("West", "W"), ("Mount", "Mt"), ("Saint", "St"), ("Park", "Pk"),
        ("Heights", "Hts"), ("Industrial", "Ind"), ("Extension", "Ext"), ("Estate", "Est"), ("Doctor", "Dr"), ("Old", "Old"),
    ];

    /// <summary>
    /// Towns: their telephone area code, the first postcode of their range, how many postcodes they
    /// have, their weight among customers (a Durban business: most customers in and around Durban),
    /// and the run of <see cref="Suburbs"/> their suburbs are named from.
    /// </summary>
    public static readonly (string Town, string Area, int Postcode, int Suburbs, double Weight, int NamesFrom, int Names)[] Towns =
    [
        ("Durban", "031", 4001, 90, 22, 0, 40), ("Pinetown", "031", 3600, 50, 8, 40, 10), ("Umhlanga", "031", 4319, 30, 5, 53, 4), ("Westville", "031", 3629, 25, 4, 40, 10),
        ("Amanzimtoti", "031", 4125, 25, 3, 50, 3), ("Chatsworth", "031", 4092, 30, 3, 57, 3), ("Phoenix", "031", 4068, 30, 3, 53, 4), ("Umlazi", "031", 4031, 30, 3, 57, 3),
        ("Tongaat", "032", 4400, 20, 2, 180, 10), ("Verulam", "032", 4340, 20, 2, 180, 10), ("Ballito", "032", 4420, 20, 2, 180, 10), ("Stanger", "032", 4450, 20, 1.5, 180, 10),
        ("Pietermaritzburg", "033", 3201, 60, 6, 110, 10), ("Howick", "033", 3290, 20, 1, 110, 10), ("Richards Bay", "035", 3900, 30, 2, 120, 10), ("Empangeni", "035", 3880, 20, 1, 120, 10),
        ("Newcastle", "034", 2940, 30, 1.5, 190, 10), ("Ladysmith", "036", 3370, 20, 1, 190, 10), ("Port Shepstone", "039", 4240, 25, 1.5, 170, 10), ("Margate", "039", 4275, 20, 1, 170, 10),
        ("Kokstad", "039", 4700, 15, 0.5, 130, 10), ("Vryheid", "034", 3100, 15, 0.5, 190, 10), ("Eshowe", "035", 3815, 15, 0.5, 120, 10), ("Scottburgh", "039", 4180, 15, 0.8, 170, 10),
        ("Johannesburg", "011", 2001, 120, 6, 77, 13), ("Sandton", "011", 2146, 60, 3, 80, 4), ("Randburg", "011", 2194, 50, 2, 60, 4), ("Soweto", "011", 1804, 60, 2, 130, 10),
        ("Germiston", "011", 1401, 40, 1.5, 130, 10), ("Benoni", "011", 1501, 40, 1.2, 130, 10), ("Pretoria", "012", 1, 120, 4, 90, 10), ("Centurion", "012", 157, 50, 1.5, 90, 10),
        ("Cape Town", "021", 8001, 120, 5, 100, 10), ("Bellville", "021", 7530, 50, 1.5, 72, 2), ("Stellenbosch", "021", 7600, 30, 1, 130, 10), ("Paarl", "021", 7646, 30, 0.8, 130, 10),
        ("Gqeberha", "041", 6001, 70, 2, 74, 3), ("East London", "043", 5201, 50, 1.5, 140, 10), ("Mthatha", "047", 5099, 25, 0.8, 130, 10), ("Bloemfontein", "051", 9301, 60, 1.5, 150, 10),
        ("Polokwane", "015", 699, 40, 1, 130, 10), ("Mbombela", "013", 1200, 40, 1, 160, 10), ("Rustenburg", "014", 299, 30, 0.8, 130, 10), ("Kimberley", "053", 8301, 30, 0.6, 130, 10),
        ("George", "044", 6529, 30, 0.8, 130, 10), ("Welkom", "057", 9459, 25, 0.5, 130, 10), ("Witbank", "013", 1034, 30, 0.6, 130, 10), ("Vereeniging", "016", 1930, 40, 0.8, 130, 10),
    ];

    /// <summary>Suburb names, in runs by region (Durban, Gauteng, Cape Town, Pietermaritzburg, ...); each town names its suburbs from one run.</summary>
    public static readonly string[] Suburbs =
    [
        "Umbilo", "Berea", "Morningside", "Glenwood", "Musgrave", "Greyville", "Windermere", "Essenwood", "Overport", "Sydenham",
        "Springfield", "Sherwood", "Reservoir Hills", "Bluff", "Montclair", "Yellowwood Park", "Woodlands", "La Lucia", "Durban North", "Glenashley",
        "Red Hill", "Avoca", "Newlands", "Asherville", "Clairwood", "Jacobs", "Mobeni", "Queensburgh", "Malvern", "Escombe",
        "Bellair", "Hillary", "Cato Manor", "Mayville", "Puntans Hill", "Point", "Stamford Hill", "Umgeni Park", "Parlock", "Briardene",
        "Riverside", "Kloof", "Hillcrest", "Gillitts", "Waterfall", "Forest Hills", "Cowies Hill", "New Germany", "Westmead", "Mariannhill",
        "Kingsburgh", "Warner Beach", "Umkomaas", "Salt Rock", "Mount Edgecombe", "Cornubia", "Sibaya", "Prospecton", "Isipingo", "Merebank",
        "Parkview", "Northcliff", "Rosebank", "Greenside", "Sunnyside", "Hatfield", "Brooklyn", "Rondebosch", "Claremont", "Sea Point",
        "Observatory", "Woodstock", "Milnerton", "Durbanville", "Summerstrand", "Walmer", "Lorraine", "Westdene", "Melville", "Parkhurst",
        "Craighall", "Bryanston", "Fourways", "Lonehill", "Houghton", "Killarney", "Yeoville", "Bezuidenhout Valley", "Kensington", "Malvern East",
        "Arcadia", "Lynnwood", "Menlo Park", "Waterkloof", "Garsfontein", "Moreleta Park", "Silverton", "Mayville East", "Wonderboom", "Montana",
        "Gardens", "Tamboerskloof", "Oranjezicht", "Vredehoek", "Newlands East", "Kenilworth", "Wynberg", "Plumstead", "Constantia", "Bergvliet",
        "Scottsville", "Pelham", "Wembley", "Montrose", "Chase Valley", "Athlone", "Boughton", "Hayfields", "Lincoln Meade", "Bisley",
        "Meerensee", "Arboretum", "Birdswood", "Brackenham", "Aquadene", "Veldenvlei", "Wild en Weide", "Alton", "Empangeni Rail", "Nseleni",
        "Central", "Industrial Area", "Hilton", "Westridge", "Southridge", "Northdene", "Eastwood", "Westcliff", "Southernwood", "Northwood",
        "Vincent", "Berea West", "Quigney", "Nahoon", "Beacon Bay", "Gonubie", "Cambridge West", "Selborne", "Baysville", "Bunkers Hill",
        "Universitas", "Westdene West", "Willows", "Brandwag", "Fichardt Park", "Langenhovenpark", "Bayswater", "Dan Pienaar", "Hospitaalpark", "Heuwelsig",
        "Bendor", "Flora Park", "Fauna Park", "Ivypark", "Nirvana", "Westenburg", "Sonheuwel", "Nelspruit Ext", "West Acres", "Steiltes",
        "Uvongo", "Shelly Beach", "Ramsgate", "Southbroom", "Munster", "Port Edward", "Oslo Beach", "Sea Park", "Anerley", "Hibberdene",
        "Mtunzini", "Gingindlovu", "Mandini", "Darnall", "Zinkwazi", "Blythedale", "Shakaskraal", "Groutville", "Sheffield Beach", "Tinley Manor",
        "Dundee", "Glencoe", "Utrecht", "Dannhauser", "Madadeni", "Osizweni", "Amajuba", "Ncandu Park", "Aviary Hill", "Hutten Heights",
    ];

    public static readonly string[] MailHosts = ["gmail.com", "yahoo.com", "outlook.com", "webmail.co.za", "mweb.co.za", "telkomsa.net", "iafrica.com", "vodamail.co.za"];

    public static readonly string[] CompanyMailboxes = ["info", "accounts", "admin", "sales", "office", "orders"];

    public static readonly string[] CreditLimits = ["0.00", "500.00", "1000.00", "2500.00", "5000.00", "10000.00", "25000.00", "50000.00", "100000.00"];
}
