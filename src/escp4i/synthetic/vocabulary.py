"""Word lists the scale-data generator draws names from. Invented combinations only: any
resemblance of a generated name to a real organisation is a coincidence of common words."""

from __future__ import annotations

# Places per country (cities and regions), used for organisation names, regions and events.
PLACES: dict[str, tuple[str, ...]] = {
    "AT": ("Vienna", "Graz", "Linz", "Styria", "Tyrol", "Salzburg"),
    "BE": ("Flanders", "Wallonia", "Brussels", "Ghent", "Liège", "Antwerp"),
    "BG": ("Sofia", "Plovdiv", "Varna", "Ruse"),
    "HR": ("Zagreb", "Split", "Rijeka", "Osijek"),
    "CY": ("Nicosia", "Limassol", "Larnaca"),
    "CZ": ("Prague", "Brno", "Ostrava", "Moravia", "Bohemia"),
    "DK": ("Copenhagen", "Aarhus", "Odense", "Jutland"),
    "EE": ("Tallinn", "Tartu", "Narva"),
    "FI": ("Helsinki", "Tampere", "Oulu", "Turku"),
    "FR": ("Lyon", "Grenoble", "Toulouse", "Bordeaux", "Brittany", "Normandy", "Occitanie"),
    "DE": ("Bavaria", "Saxony", "Hamburg", "Berlin", "Stuttgart", "Munich", "Rhineland"),
    "GR": ("Athens", "Thessaloniki", "Patras", "Crete"),
    "HU": ("Budapest", "Debrecen", "Szeged", "Pécs"),
    "IE": ("Dublin", "Cork", "Galway", "Limerick"),
    "IT": ("Lombardy", "Piedmont", "Emilia", "Tuscany", "Veneto", "Apulia", "Turin"),
    "LV": ("Riga", "Daugavpils", "Liepāja"),
    "LT": ("Vilnius", "Kaunas", "Klaipėda"),
    "LU": ("Luxembourg", "Esch", "Differdange"),
    "MT": ("Valletta", "Gozo", "Birkirkara"),
    "NL": ("Eindhoven", "Rotterdam", "Twente", "Utrecht", "Groningen", "Delft"),
    "PL": ("Warsaw", "Kraków", "Wrocław", "Silesia", "Poznań", "Gdańsk", "Łódź"),
    "PT": ("Lisbon", "Porto", "Braga", "Aveiro", "Coimbra"),
    "RO": ("Bucharest", "Cluj", "Timișoara", "Iași", "Brașov"),
    "SK": ("Bratislava", "Košice", "Žilina"),
    "SI": ("Ljubljana", "Maribor", "Celje"),
    "ES": ("Catalonia", "Basque Country", "Valencia", "Andalusia", "Madrid", "Aragon", "Galicia"),
    "SE": ("Stockholm", "Gothenburg", "Malmö", "Skåne", "Uppsala"),
    "NO": ("Oslo", "Bergen", "Trondheim"),
    "IS": ("Reykjavík", "Akureyri"),
    "CH": ("Zurich", "Geneva", "Basel", "Lausanne"),
    "GB": ("Manchester", "Scotland", "Wales", "Midlands", "Cambridge"),
    "TR": ("Istanbul", "Izmir", "Bursa", "Ankara"),
    "UA": ("Kyiv", "Lviv", "Kharkiv", "Dnipro"),
    "RS": ("Belgrade", "Novi Sad", "Niš"),
    "US": ("Ohio", "Michigan", "Texas", "California", "Massachusetts", "Georgia", "Colorado"),
    "CA": ("Ontario", "Québec", "Alberta", "British Columbia"),
    "MX": ("Monterrey", "Jalisco", "Querétaro", "Puebla"),
    "BR": ("São Paulo", "Minas Gerais", "Paraná", "Santa Catarina"),
    "AR": ("Buenos Aires", "Córdoba", "Rosario"),
    "CL": ("Santiago", "Valparaíso", "Biobío"),
    "CO": ("Bogotá", "Medellín", "Cali"),
    "JP": ("Osaka", "Nagoya", "Fukuoka", "Kyushu", "Hokkaido"),
    "KR": ("Seoul", "Busan", "Daegu", "Gyeonggi"),
    "CN": ("Shenzhen", "Suzhou", "Chengdu", "Hangzhou", "Wuhan"),
    "TW": ("Hsinchu", "Taichung", "Tainan", "Kaohsiung"),
    "IN": ("Bengaluru", "Pune", "Chennai", "Hyderabad", "Gujarat"),
    "SG": ("Singapore", "Jurong", "Tuas"),
    "VN": ("Hanoi", "Ho Chi Minh City", "Da Nang"),
    "TH": ("Bangkok", "Chonburi", "Rayong"),
    "MY": ("Penang", "Selangor", "Johor"),
    "ID": ("Jakarta", "Surabaya", "Bandung"),
    "MA": ("Casablanca", "Tangier", "Rabat"),
    "TN": ("Tunis", "Sfax", "Sousse"),
    "EG": ("Cairo", "Alexandria", "Giza"),
    "ZA": ("Gauteng", "Western Cape", "Durban"),
    "AU": ("Victoria", "Queensland", "New South Wales"),
    "IL": ("Haifa", "Tel Aviv", "Be'er Sheva"),
    "AE": ("Dubai", "Abu Dhabi", "Sharjah"),
}

EU_COUNTRIES = (
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
    "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
)  # fmt: skip
# Larger member states host more organisations.
EU_WEIGHTS = (
    4, 4, 2, 2, 1, 3, 3, 1, 3, 9, 12, 3, 3, 2, 9, 1, 1, 1, 1, 5, 6, 3, 3, 2, 2, 8, 4,
)  # fmt: skip
# COSME-associated and third countries: organisations taking part in events, and targets.
OTHER_COUNTRIES = ("NO", "IS", "CH", "GB", "TR", "UA", "RS")
THIRD_COUNTRIES = (
    "US", "CA", "MX", "BR", "AR", "CL", "CO", "JP", "KR", "CN", "TW", "IN", "SG", "VN",
    "TH", "MY", "ID", "MA", "TN", "EG", "ZA", "AU", "IL", "AE",
)  # fmt: skip

# Sector words per focus-area slug (registry.taxonomy), as cluster names would use them.
SECTOR_TERMS: dict[str, tuple[str, ...]] = {
    "environmental-technologies": (
        "Cleantech", "Water Technologies", "Renewable Energy", "Circular Economy",
        "Bioeconomy", "Hydrogen", "Green Chemistry", "Smart Grids", "Waste Recovery",
    ),
    "agro-food-packaging": (
        "Agri-Food", "Smart Packaging", "Dairy", "Wine", "Aquaculture", "Food Processing",
        "Bio-based Plastics", "Nutrition", "Organic Farming",
    ),
    "mobility-transport": (
        "Automotive", "Logistics", "Rail", "Electromobility", "Maritime", "Aviation",
        "Aerospace", "Mobility", "Drones",
    ),
    "ict-microelectronics": (
        "Photonics", "Microelectronics", "Software", "Artificial Intelligence", "Cybersecurity",
        "Industry 4.0", "Laser", "Semiconductors", "Internet of Things", "Digital Media",
    ),
    "space": ("Space", "Earth Observation", "Satellite Navigation", "Space Applications"),
    "health-biotech": (
        "Life Sciences", "Medtech", "Biotech", "Pharma", "Digital Health", "Medical Devices",
        "Diagnostics",
    ),
    "construction": (
        "Construction", "Sustainable Building", "Timber Construction", "Smart Buildings",
    ),
    "sports": ("Sports", "Outdoor", "Sports Technology", "Wellbeing"),
}  # fmt: skip

# Extra description words for ``sectors_text`` (what the sources call "sectors as described").
SECTOR_DETAILS = (
    "advanced materials", "additive manufacturing", "sensors", "robotics", "textiles",
    "plastics", "batteries", "nanotechnology", "precision agriculture", "cold chain",
    "traceability", "design", "tourism", "creative industries", "machine tools",
    "energy efficiency", "big data", "composites", "optics", "water reuse",
)  # fmt: skip

CLUSTER_FORMS = (
    "{place} {term} Cluster", "{term} Cluster {place}", "{place} {term} Network",
    "{term} Valley {place}", "{place} {term} Alliance", "{place} {term} Platform",
    "{term} Hub {place}", "{place} {term} Association", "{term} Competence Centre {place}",
    "{place} {term} Innovation Cluster",
)  # fmt: skip
OTHER_FORMS = (
    "University of {place}", "{place} Chamber of Commerce", "{place} Innovation Agency",
    "{place} Technology Park", "{place} Institute of {term}", "{place} Development Agency",
    "{place} Regional Business Centre", "{place} Science Park", "{term} Research Centre {place}",
)  # fmt: skip

SURNAMES = (
    "Müller", "Schmidt", "Dubois", "Lefèvre", "Rossi", "Bianchi", "García", "Martínez",
    "Nowak", "Kowalski", "Jansen", "De Vries", "Novák", "Horváth", "Popescu", "Ionescu",
    "Silva", "Santos", "Nielsen", "Andersson", "Virtanen", "Papadopoulos", "Murphy",
    "Peeters", "Kovačič", "Petrov", "Berzins", "Kazlauskas", "Tamm", "Borg", "Weber",
    "Moreau", "Ferrari", "López", "Wiśniewski", "Bakker", "Svoboda", "Nagy", "Costa",
    "Hansen", "Lindqvist", "Korhonen", "Georgiou", "Walsh", "Janssens", "Novak", "Hoffmann",
    "Laurent", "Romano", "Fernández",
)  # fmt: skip
ACTIVITIES = (
    "Sensorik", "Packaging", "Engineering", "Foods", "Robotics", "Software", "Analytics",
    "Materials", "Optics", "Mobility", "Energy", "Biotech", "Design", "Logistics", "Textiles",
    "Composites", "Automation", "Medical", "Systems", "Solutions", "Technologies", "Labs",
    "Instruments", "Components", "Water", "Agritech", "Photonics", "Drones", "Coatings",
    "Electronics",
)  # fmt: skip
LEGAL_FORMS: dict[str, tuple[str, ...]] = {
    "DE": ("GmbH", "AG", "KG"), "AT": ("GmbH", "AG"), "CH": ("AG", "GmbH", "SA"),
    "FR": ("SAS", "SARL", "SA"), "BE": ("SRL", "NV", "BV"), "LU": ("SARL", "SA"),
    "IT": ("S.r.l.", "S.p.A."), "ES": ("S.L.", "S.A."), "PT": ("Lda.", "S.A."),
    "NL": ("B.V.", "N.V."), "PL": ("Sp. z o.o.", "S.A."), "CZ": ("s.r.o.", "a.s."),
    "SK": ("s.r.o.", "a.s."), "HU": ("Kft.", "Zrt."), "RO": ("S.R.L.", "S.A."),
    "BG": ("OOD", "EOOD"), "HR": ("d.o.o.",), "SI": ("d.o.o.",), "RS": ("d.o.o.",),
    "GR": ("S.A.", "IKE"), "CY": ("Ltd",), "MT": ("Ltd",), "IE": ("Ltd", "DAC"),
    "GB": ("Ltd", "plc"), "DK": ("ApS", "A/S"), "SE": ("AB",), "FI": ("Oy", "Oyj"),
    "NO": ("AS",), "IS": ("ehf.",), "EE": ("OÜ", "AS"), "LV": ("SIA",), "LT": ("UAB",),
    "TR": ("A.Ş.", "Ltd. Şti."), "UA": ("LLC",),
}  # fmt: skip
DEFAULT_LEGAL_FORMS = ("Ltd", "Inc.", "Co.")

PARTNERSHIP_NOUNS = (
    "Alliance", "Partnership", "Consortium", "Go International", "Goes Global", "Network",
    "Initiative", "Bridge", "Gateway",
)  # fmt: skip
PARTNERSHIP_STEMS: dict[str, tuple[str, ...]] = {
    "environmental-technologies": ("CLEAN", "WATER", "GREEN", "CIRC", "H2"),
    "agro-food-packaging": ("AGRI", "PACK", "FOOD", "DAIRY", "AQUA"),
    "mobility-transport": ("MOVE", "AUTO", "LOGI", "AERO", "RAIL"),
    "ict-microelectronics": ("PHOTON", "CHIP", "DIGI", "LASER", "IOT"),
    "space": ("SPACE", "ORBIT", "GNSS"),
    "health-biotech": ("BIO", "MED", "HEALTH", "PHARMA"),
    "construction": ("BUILD", "TIMBER", "CONSTRUCT"),
    "sports": ("SPORT", "ACTIVE", "OUTDOOR"),
}  # fmt: skip
PARTNERSHIP_SUFFIXES = ("GO", "4i", "INT", "GLOBAL", "WORLD", "ABROAD", "PLUS", "X", "EU")

EVENT_FAIRS = (
    "Hannover Messe", "Computex", "MWC", "Anuga", "Interpack", "Medica", "BAU",
    "Automatica", "SIAL", "Bio International", "CES", "Expo Real", "ISPO", "Space Tech Expo",
)  # fmt: skip

PROFILE_SENTENCES = (
    "Looking for distribution partners in {country}.",
    "Offers joint research in {term}.",
    "Seeks technology providers for {detail}.",
    "Interested in pilot projects on {detail}.",
    "Represents {n} SMEs active in {term}.",
    "Open to licensing and joint ventures.",
)  # fmt: skip
