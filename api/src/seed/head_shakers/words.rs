//! Word lists the `head_shakers` demo data draws from.

/// Given names.
pub(super) const FIRST: &[&str] = &[
    "Alex", "Jordan", "Taylor", "Morgan", "Casey", "Riley", "Jamie", "Avery", "Quinn", "Harper",
    "Mason", "Olivia", "Liam", "Emma", "Noah", "Ava", "Ethan", "Sophia", "Lucas", "Mia", "Diego",
    "Priya", "Kenji", "Aisha", "Mateo", "Chloe", "Marcus", "Hannah", "Tyler", "Grace", "Dmitri",
    "Lena", "Omar", "Sofia", "Ben", "Nora",
];

/// Family names.
pub(super) const LAST: &[&str] = &[
    "Garcia",
    "Smith",
    "Johnson",
    "Nguyen",
    "Patel",
    "Kim",
    "Rodriguez",
    "Martinez",
    "Brown",
    "Davis",
    "Miller",
    "Wilson",
    "Anderson",
    "Thomas",
    "Moore",
    "Jackson",
    "Lee",
    "Walker",
    "Hall",
    "Young",
    "King",
    "Wright",
    "Lopez",
    "Hill",
    "Scott",
    "Green",
    "Baker",
    "Nelson",
    "Carter",
    "Turner",
    "Kowalski",
    "Okafor",
    "Schmidt",
    "Tanaka",
];

/// Home towns.
pub(super) const LOCATIONS: &[&str] = &[
    "Milwaukee, WI",
    "Chicago, IL",
    "Philadelphia, PA",
    "Boston, MA",
    "Austin, TX",
    "Seattle, WA",
    "St. Louis, MO",
    "Denver, CO",
    "Toronto, ON",
    "San Diego, CA",
    "Cleveland, OH",
    "Atlanta, GA",
    "Portland, OR",
    "Brooklyn, NY",
    "Minneapolis, MN",
    "Pittsburgh, PA",
    "Baltimore, MD",
];

/// Profile bios.
pub(super) const BIOS: &[&str] = &[
    "Collecting bobbleheads since my first stadium giveaway in 2004. Always up for a trade.",
    "Vintage nodder hunter. If it's papier-mâché and from the 60s, I want to hear about it.",
    "Season ticket holder with a shelf that keeps getting longer.",
    "Movie nerd with a desk full of wobbling heroes and villains.",
    "Mostly mascots. The weirder the better.",
    "Dad, baseball fan, and proud owner of too many bobbleheads.",
    "Convention exclusives and numbered editions. Display pics on Sundays.",
    "Slowly completing every presidential bobble ever made.",
    "I buy them for the boxes. Mint in box or it doesn't count.",
    "Casual collector, serious about shelf lighting.",
];

/// A collecting theme: what its collections and bobbleheads are called and made of.
pub(super) struct Theme {
    /// Collection names of the theme.
    pub collections: &'static [&'static str],
    /// `bobbleheads.category`.
    pub category: &'static str,
    /// Characters depicted.
    pub characters: &'static [&'static str],
    /// Name suffixes (`{character} {suffix}`).
    pub suffixes: &'static [&'static str],
    /// Makers.
    pub manufacturers: &'static [&'static str],
    /// Product lines.
    pub series: &'static [&'static str],
    /// Materials.
    pub materials: &'static [&'static str],
    /// Production years (`lo..hi`).
    pub years: (i64, i64),
    /// Typical price range in cents (`lo..hi`).
    pub cents: (i64, i64),
}

/// The themes collections are drawn from.
pub(super) const THEMES: &[Theme] = &[
    Theme {
        collections: &[
            "Baseball Legends",
            "Stadium Giveaways",
            "Diamond Heroes",
            "Bobblehead Night Hauls",
        ],
        category: "Sports",
        characters: &[
            "Ken Griffey Jr.",
            "Derek Jeter",
            "Shohei Ohtani",
            "Aaron Judge",
            "Jackie Robinson",
            "Cal Ripken Jr.",
            "Mookie Betts",
            "Ichiro Suzuki",
            "Mike Trout",
            "Robin Yount",
        ],
        suffixes: &[
            "Bobblehead",
            "Home Jersey Bobblehead",
            "Bobblehead Night Giveaway",
            "MVP Bobble",
        ],
        manufacturers: &[
            "FOCO",
            "Forever Collectibles",
            "Alexander Global Promotions",
            "SAMS",
        ],
        series: &[
            "Stadium Giveaway",
            "Hall of Fame Series",
            "Legends of the Diamond",
            "Big Head Series",
        ],
        materials: &["Polyresin", "Resin"],
        years: (1999, 2026),
        cents: (1_500, 12_000),
    },
    Theme {
        collections: &["Hardwood & Ice", "Gridiron Greats", "Hometown Heroes"],
        category: "Sports",
        characters: &[
            "Wayne Gretzky",
            "LeBron James",
            "Stephen Curry",
            "Giannis Antetokounmpo",
            "Patrick Mahomes",
            "Aaron Rodgers",
            "Sidney Crosby",
            "Travis Kelce",
        ],
        suffixes: &[
            "Bobblehead",
            "Away Jersey Bobblehead",
            "Bighead Bobble",
            "Gate Giveaway",
        ],
        manufacturers: &["FOCO", "Forever Collectibles", "Kollectico"],
        series: &[
            "Stadium Giveaway",
            "Gate Series",
            "Hero Series",
            "Championship Series",
        ],
        materials: &["Polyresin"],
        years: (2003, 2026),
        cents: (2_000, 9_000),
    },
    Theme {
        collections: &[
            "Movie Night Wobblers",
            "Galaxy Far Far Away",
            "Sitcom Shelf",
        ],
        category: "Movies & TV",
        characters: &[
            "Darth Vader",
            "Yoda",
            "Indiana Jones",
            "Marty McFly",
            "Michael Scott",
            "Dwight Schrute",
            "Homer Simpson",
            "Eleven",
            "The Mandalorian",
            "Ron Swanson",
        ],
        suffixes: &[
            "Wacky Wobbler",
            "Bobble-Head",
            "Premium Bobble",
            "Head Knocker",
        ],
        manufacturers: &["Funko", "NECA", "Royal Bobbles", "Factory Entertainment"],
        series: &[
            "Wacky Wobblers",
            "Pop! Bobble-Head",
            "Premium Bobbles",
            "Head Knockers",
        ],
        materials: &["Vinyl", "Polyresin"],
        years: (2001, 2026),
        cents: (1_200, 6_500),
    },
    Theme {
        collections: &[
            "Vintage Nodders",
            "Sixties Papier-Mâché",
            "Gold Base Treasures",
        ],
        category: "Vintage",
        characters: &[
            "Yankees Nodder",
            "Mickey Mantle",
            "Roberto Clemente",
            "Beatles John",
            "Beatles Paul",
            "Hula Girl",
            "Colonel Sanders",
            "Kissing Couple",
            "Dodgers Boy Head",
        ],
        suffixes: &[
            "Nodder",
            "Papier-Mâché Nodder",
            "Gold Base Nodder",
            "Bobbin' Head",
        ],
        manufacturers: &[
            "Lego Japan",
            "Sports Specialties",
            "Kowa",
            "Unknown (Japan)",
        ],
        series: &["Gold Base", "Green Base", "Square Base", "Round White Base"],
        materials: &["Papier-mâché", "Ceramic", "Composition"],
        years: (1960, 1976),
        cents: (8_000, 60_000),
    },
    Theme {
        collections: &["Presidents & Patriots", "History Bobbles"],
        category: "Political",
        characters: &[
            "Abraham Lincoln",
            "George Washington",
            "Theodore Roosevelt",
            "John F. Kennedy",
            "Ruth Bader Ginsburg",
            "Benjamin Franklin",
            "Winston Churchill",
        ],
        suffixes: &["Bobblehead", "Commemorative Bobble", "Limited Bobble"],
        manufacturers: &[
            "Royal Bobbles",
            "National Bobblehead Hall of Fame",
            "Kid Bobbles",
        ],
        series: &[
            "Presidents Series",
            "Supreme Court Series",
            "Historical Figures",
        ],
        materials: &["Polyresin"],
        years: (2008, 2026),
        cents: (2_500, 7_500),
    },
    Theme {
        collections: &["Mascot Mania", "Fuzzy Friends"],
        category: "Mascots",
        characters: &[
            "Phillie Phanatic",
            "Mr. Met",
            "Gritty",
            "Benny the Bull",
            "Wally the Green Monster",
            "Youppi!",
            "Bernie Brewer",
            "Rocky the Mountain Lion",
        ],
        suffixes: &["Bobblehead", "Mascot Bobble", "Light-Up Bobblehead"],
        manufacturers: &[
            "FOCO",
            "Forever Collectibles",
            "National Bobblehead Hall of Fame",
        ],
        series: &["Mascot Series", "Bobblehead Night", "Holiday Series"],
        materials: &["Polyresin"],
        years: (2005, 2026),
        cents: (1_800, 5_500),
    },
    Theme {
        collections: &["Pixel Heroes", "Game Night Bobbles"],
        category: "Video Games",
        characters: &[
            "Mario",
            "Link",
            "Pikachu",
            "Sonic",
            "Master Chief",
            "Kratos",
            "Pac-Man",
            "Samus",
        ],
        suffixes: &["Bobble-Head", "Wacky Wobbler", "Desk Bobble"],
        manufacturers: &["Funko", "First 4 Figures", "Banpresto"],
        series: &["Pop! Games", "Wacky Wobblers", "Retro Series"],
        materials: &["Vinyl"],
        years: (2010, 2026),
        cents: (1_000, 4_500),
    },
];

/// Sub-collection names.
pub(super) const SUB_NAMES: &[&str] = &[
    "Top Shelf",
    "Still In Box",
    "Signed Pieces",
    "Duplicates for Trade",
    "Wishlist Wins",
    "Office Desk",
    "Limited Editions",
    "Giveaway Nights",
    "Needs Repair",
    "Display Case",
];

/// `bobbleheads.current_condition` values.
pub(super) const CONDITIONS: &[&str] = &[
    "mint",
    "near_mint",
    "excellent",
    "excellent",
    "good",
    "fair",
    "poor",
];
/// `bobbleheads.status` values.
pub(super) const STATUSES: &[&str] = &[
    "owned",
    "owned",
    "owned",
    "owned",
    "for_trade",
    "wishlist",
    "sold",
];
/// `bobbleheads.acquisition_method` values.
pub(super) const METHODS: &[&str] = &[
    "purchase", "purchase", "giveaway", "gift", "trade", "auction",
];
/// Where they were bought.
pub(super) const PLACES: &[&str] = &[
    "eBay",
    "Stadium giveaway",
    "Comic-Con",
    "Local antique mall",
    "Amazon",
    "Flea market",
    "Official team store",
    "Mercari",
    "Facebook Marketplace",
    "Hot Topic",
    "Estate sale",
];

/// Tag names (unique per user).
pub(super) const TAGS: &[&str] = &[
    "Signed",
    "Limited Edition",
    "Stadium Giveaway",
    "Vintage",
    "In Box",
    "Rare",
    "Gold Base",
    "Convention Exclusive",
    "Damaged",
    "Favorites",
    "For Trade",
    "Chase Variant",
    "Glow in the Dark",
    "Numbered",
    "Bobble Night",
    "Gift",
];
/// Tag colours (`#RRGGBB`).
pub(super) const COLORS: &[&str] = &[
    "#3B82F6", "#EF4444", "#10B981", "#F59E0B", "#8B5CF6", "#EC4899", "#14B8A6", "#6B7280",
];

/// Top-level comments.
pub(super) const COMMENTS: &[&str] = &[
    "This is such a great piece! Where did you find it?",
    "I was at that giveaway game too, the line was insane.",
    "The paint on this one is incredible for its age.",
    "Jealous. I've been hunting this one for two years.",
    "Love the display setup, what shelves are those?",
    "Is the box included? Would you consider a trade?",
    "That head wobble is perfect. Mine is a bit stiff.",
    "Great collection, the theme really comes together.",
    "The gold base version is so much rarer than people think.",
    "Came here from the featured page, awesome stuff!",
    "How did you get the signature authenticated?",
    "Price seems fair, I paid almost double for mine.",
];
/// Replies.
pub(super) const REPLIES: &[&str] = &[
    "Thanks! Found it at a flea market for a few bucks.",
    "Agreed, the detail is unreal.",
    "DM me, I might have a duplicate.",
    "Same here, took me forever to track down.",
    "Box is included, but it has some shelf wear.",
    "Ha, mine wobbles way too much.",
];

/// Browser user agents.
pub(super) const AGENTS: &[&str] = &[
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0",
];
/// `(browser, os, device)` matching [`AGENTS`].
pub(super) const DEVICES: &[(&str, &str, &str)] = &[
    ("Safari", "macOS", "desktop"),
    ("Chrome", "Windows", "desktop"),
    ("Safari", "iOS", "mobile"),
    ("Chrome", "Android", "mobile"),
    ("Firefox", "Linux", "desktop"),
];
/// Referrers of content views (`None`: direct).
pub(super) const REFERRERS: &[Option<&str>] = &[
    None,
    None,
    Some("https://www.google.com/"),
    Some("https://www.reddit.com/r/bobbleheads/"),
    Some("https://headshakers.app/explore"),
    Some("https://headshakers.app/featured"),
    Some("https://www.instagram.com/"),
];
/// Search terms.
pub(super) const QUERIES: &[&str] = &[
    "ken griffey bobblehead",
    "star wars wacky wobbler",
    "vintage nodder 1960s",
    "phillie phanatic",
    "signed bobblehead",
    "gold base nodder",
    "presidents bobblehead",
    "funko bobble head",
    "mascot bobblehead night",
    "beatles nodder",
    "shohei ohtani bobblehead",
    "mint in box",
    "gritty",
    "papier mache",
    "michael scott bobblehead",
];
