"""The demo data's reference lists: offices, partners, people, themes, objectives.

Plain data, no logic: `planner.py` draws the data set from these, `writer.py` stores it."""

SEED = 2013
DEMO_PASSWORD = "demo"

# --- reference data ------------------------------------------------------------------

OFFICES = [
    # name, agency, region, street, postal code, municipality
    ("Atlas Antwerpen", "atlas", "antwerpen", "Carnotstraat 110", "2060", "Antwerpen"),
    ("IN-Gent", "in_gent", "oost_vlaanderen", "Kongostraat 42", "9000", "Gent"),
    ("Agentschap Antwerpen", "agentschap", "antwerpen", "Frederik de Merodestraat 12", "2800",
     "Mechelen"),
    ("Agentschap Brussel", "agentschap", "brussel", "Koningsstraat 136", "1000", "Brussel"),
    ("Agentschap Limburg", "agentschap", "limburg", "Kunstlaan 10", "3500", "Hasselt"),
    ("Agentschap Oost-Vlaanderen", "agentschap", "oost_vlaanderen", "Kortrijksesteenweg 206",
     "9830", "Sint-Martens-Latem"),
    ("Agentschap Vlaams-Brabant", "agentschap", "vlaams_brabant", "Diestsesteenweg 26", "3010",
     "Leuven"),
    ("Agentschap West-Vlaanderen", "agentschap", "west_vlaanderen", "Sint-Jorisstraat 38",
     "8000", "Brugge"),
]  # fmt: skip

PARTNERS = [
    # name, kind, street, postal code, municipality, website
    ("OCMW Antwerpen", "ocmw", "Lange Gasthuisstraat 39", "2000", "Antwerpen"),
    ("OCMW Gent", "ocmw", "Onderbergen 86", "9000", "Gent"),
    ("OCMW Leuven", "ocmw", "Andreas Vesaliusstraat 47", "3000", "Leuven"),
    ("OCMW Brugge", "ocmw", "Kartuizerinnenstraat 4", "8000", "Brugge"),
    ("OCMW Hasselt", "ocmw", "Thonissenlaan 35", "3500", "Hasselt"),
    ("VDAB", "vdab", "Keizerslaan 11", "1000", "Brussel"),
    ("Stad Antwerpen", "city", "Grote Markt 1", "2000", "Antwerpen"),
    ("Stad Gent", "city", "Botermarkt 1", "9000", "Gent"),
    ("Stad Genk", "city", "Stadsplein 1", "3600", "Genk"),
    ("Woonhaven Antwerpen", "social_housing", "Boomsesteenweg 50", "2020", "Antwerpen"),
    ("WoninGent", "social_housing", "Hubert Frère-Orbanlaan 64", "9000", "Gent"),
    ("CAW Antwerpen", "caw", "Van Arteveldestraat 77", "2060", "Antwerpen"),
    ("CAW Oost-Vlaanderen", "caw", "Visserij 153", "9000", "Gent"),
    ("CBE Antwerpen", "basic_education", "Bisschoppenhoflaan 327", "2100", "Antwerpen"),
    ("CBE Open School Gent", "basic_education", "Nieuwevaart 118", "9000", "Gent"),
    ("Atelier Zuid vzw", "work_experience", "Brederodestraat 90", "2018", "Antwerpen"),
    ("Groene Vallei vzw", "work_experience", "Dok Noord 4", "9000", "Gent"),
    ("Vluchtelingenwerk Vlaanderen", "other", "Gaucheretstraat 164", "1030", "Schaarbeek"),
]

CONTACT_NAMES = [
    "Sofie Peeters", "Jan Janssens", "Leen Maes", "Koen Jacobs", "Sarah Mertens",
    "Tom Willems", "Els Claes", "Pieter Goossens", "Annelies Wouters", "Bart De Smet",
    "Nadia El Amrani", "Hanne Vermeulen", "Wouter Pauwels", "Fatma Yilmaz", "Lotte Dubois",
    "Karim Benali", "Inge Hermans", "Stijn Aerts", "Griet Van den Broeck", "Yasmina Azzouzi",
]  # fmt: skip

CONTACT_FUNCTIONS = {
    "ocmw": ["Maatschappelijk werker", "Teamleider sociale dienst"],
    "vdab": ["Trajectbegeleider", "Consulent anderstaligen"],
    "city": ["Beleidsmedewerker samenleven", "Wijkregisseur"],
    "social_housing": ["Sociaal medewerker", "Huurdersbegeleider"],
    "caw": ["Begeleider", "Coördinator onthaal"],
    "basic_education": ["Trajectbegeleider NT2", "Directeur"],
    "work_experience": ["Jobcoach", "Coördinator"],
    "other": ["Stafmedewerker", "Vrijwilligerscoördinator"],
}

THEMES = [
    ("rights-and-duties", "Rechten en plichten"),
    ("housing", "Wonen"),
    ("work", "Werk"),
    ("health", "Gezondheid"),
    ("education", "Onderwijs"),
    ("mobility", "Mobiliteit"),
    ("waste-and-environment", "Afval en milieu"),
    ("living-together", "Samenleven"),
    ("money", "Geld"),
]

OBJECTIVES = [
    ("MO-01", "rights-and-duties", "Kent de grondrechten en plichten in België"),
    ("MO-02", "rights-and-duties", "Weet waar juridische hulp te vinden is"),
    ("MO-03", "housing", "Kent de rechten en plichten van een huurder"),
    ("MO-04", "housing", "Begrijpt een huurcontract en de huurwaarborg"),
    ("MO-05", "work", "Kent de weg naar werk en de rol van VDAB"),
    ("MO-06", "health", "Kent huisarts, ziekenfonds en dringende hulp"),
    ("MO-07", "education", "Begrijpt het Vlaamse onderwijssysteem"),
    ("MO-08", "waste-and-environment", "Sorteert afval volgens de lokale regels"),
    ("MO-09", "living-together", "Kent de omgangsvormen met buren"),
    ("MO-10", "money", "Maakt een budget op en leest facturen"),
    ("MO-11", "mobility", "Gebruikt het openbaar vervoer"),
]

TEACHERS = [
    "Amal Haddad", "Dirk Verstraeten", "Mariam Sultani", "Olena Kovalenko", "Youssef Bakkali",
    "Ruta Tesfay", "Hilde Van Damme", "Ahmet Demir", "Sandrine Lambert", "Farid Rahimi",
]  # fmt: skip

# Module language -> (nationality, languages spoken, female first names, male first names,
# last names). Participants of a module speak its language.
PEOPLE = {
    "ar": [
        ("Syrisch", "Arabisch", ["Rania", "Noor", "Huda"], ["Omar", "Ahmad", "Khaled"],
         ["Al-Hassan", "Haddad", "Khalil", "Nasser"]),
        ("Marokkaans", "Arabisch, Berbers", ["Fatima", "Samira", "Imane"],
         ["Mohamed", "Youssef", "Rachid"], ["El Idrissi", "Benali", "Amrani", "Ouali"]),
    ],
    "fr": [
        ("Congolees", "Frans, Lingala", ["Grace", "Mireille", "Esther"],
         ["Patrick", "Jean-Paul", "Didier"], ["Mukendi", "Kabila", "Tshibanda", "Ilunga"]),
        ("Guinees", "Frans, Fula", ["Aissatou", "Mariama"], ["Mamadou", "Alpha"],
         ["Diallo", "Barry", "Bah", "Sow"]),
    ],
    "en": [("Nigeriaans", "Engels, Yoruba", ["Blessing", "Chioma"], ["Emeka", "Tunde"],
            ["Okafor", "Adeyemi", "Okeke"])],
    "ti": [("Eritrees", "Tigrinya", ["Senait", "Helen", "Saba"], ["Yonas", "Tesfay", "Dawit"],
            ["Tesfamariam", "Ghebre", "Haile", "Berhane"])],
    "prs": [("Afghaans", "Dari, Pasjtoe", ["Mariam", "Zahra", "Farzana"],
             ["Ahmad", "Mohammad", "Jawad"], ["Rahimi", "Sultani", "Hakimi", "Karimi"])],
    "uk": [("Oekraïens", "Oekraïens, Russisch", ["Olena", "Iryna", "Natalia"],
            ["Andriy", "Oleksandr", "Serhiy"], ["Kovalenko", "Shevchenko", "Bondarenko"])],
    "ru": [("Russisch", "Russisch", ["Svetlana", "Anna"], ["Dmitri", "Igor"],
            ["Ivanov", "Petrova", "Smirnov"])],
    "tr": [("Turks", "Turks", ["Ayse", "Elif", "Fatma"], ["Mehmet", "Mustafa", "Emre"],
            ["Yilmaz", "Demir", "Kaya", "Celik"])],
    "so": [("Somalisch", "Somalisch", ["Hodan", "Amina"], ["Abdi", "Hassan"],
            ["Mohamed", "Warsame", "Farah"])],
    "es": [("Spaans", "Spaans", ["Lucia", "Carmen"], ["Javier", "Carlos"],
            ["Garcia", "Martinez", "Lopez"])],
    "pl": [("Pools", "Pools", ["Katarzyna", "Agnieszka"], ["Piotr", "Tomasz"],
            ["Kowalski", "Nowak", "Wisniewska"])],
    "ro": [("Roemeens", "Roemeens", ["Ioana", "Elena"], ["Andrei", "Mihai"],
            ["Popescu", "Ionescu", "Dumitru"])],
}  # fmt: skip
LANGUAGES_OF_2013 = ["ar", "fr", "en", "ru", "tr", "so", "ti", "es", "prs", "pl", "ro"]


def contact_email(partner: str, n: int) -> str:
    slug = partner.lower().replace(" ", "-").replace("ë", "e")
    return f"contact{n}@{slug}.example.be"


DEMO_ACCOUNTS = [
    ("staff", "agency staff, Atlas Antwerpen"),
    ("caseworker", "caseworker, OCMW Antwerpen"),
    ("manager", "manager, all offices"),
    ("admin", "administrator (superuser, Django admin at /admin/)"),
]
