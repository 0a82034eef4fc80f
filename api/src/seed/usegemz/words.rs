//! Word lists of the usegemz demo data: audience niches, names, regions and job errors.

/// One audience niche: the words its campaigns, creators and videos are made of.
pub(super) struct Niche {
    pub(super) label: &'static str,
    pub(super) industry: &'static str,
    pub(super) keywords: &'static [&'static str],
    pub(super) tags: &'static [&'static str],
    pub(super) words: &'static [&'static str],
    pub(super) bios: &'static [&'static str],
    pub(super) titles: &'static [&'static str],
    pub(super) campaigns: &'static [&'static str],
    pub(super) brands: &'static [&'static str],
}

pub(super) const NICHES: &[Niche] = &[
    Niche {
        label: "fitness",
        industry: "Health & Fitness",
        keywords: &[
            "home workout",
            "fitness",
            "gym routine",
            "pilates",
            "protein recipes",
        ],
        tags: &[
            "fitness",
            "workout",
            "gymtok",
            "fitnessmotivation",
            "homeworkout",
        ],
        words: &["fit", "lifts", "moves"],
        bios: &[
            "Certified PT helping you get strong at home 💪",
            "Pilates + strength | new workouts every Monday",
            "Gym girl sharing what actually works",
        ],
        titles: &[
            "5-minute ab burner you can do anywhere",
            "My full push day routine",
            "Stop doing squats like this",
            "What I eat in a day for muscle gain",
        ],
        campaigns: &[
            "Spring Fitness Launch",
            "Protein Bar Creators",
            "New Year Gym Push",
        ],
        brands: &[
            "Peak Form Nutrition",
            "Strideline Activewear",
            "CoreLab Fitness",
        ],
    },
    Niche {
        label: "skincare",
        industry: "Beauty & Personal Care",
        keywords: &[
            "skincare routine",
            "clean beauty",
            "acne tips",
            "spf",
            "glass skin",
        ],
        tags: &["skincare", "skintok", "skincareroutine", "beauty", "glowup"],
        words: &["glow", "skin", "beauty"],
        bios: &[
            "Licensed esthetician | honest skincare reviews",
            "Sensitive skin club 🧴",
            "Dermatology nurse talking SPF daily",
        ],
        titles: &[
            "My 3-step morning skincare routine",
            "Is this viral serum worth it?",
            "How I cleared my hormonal acne",
            "Rating drugstore sunscreens",
        ],
        campaigns: &[
            "Skincare Creator Lookalikes",
            "Serum Launch Seeding",
            "Summer SPF Push",
        ],
        brands: &["Dewdrop Skin Co.", "Lumen Botanicals", "Clearday Labs"],
    },
    Niche {
        label: "food",
        industry: "Food & Beverage",
        keywords: &[
            "easy recipes",
            "meal prep",
            "vegan food",
            "air fryer",
            "coffee",
        ],
        tags: &["foodtok", "recipe", "easyrecipe", "mealprep", "foodie"],
        words: &["cooks", "eats", "kitchen"],
        bios: &[
            "Easy weeknight dinners for busy people 🍝",
            "Plant-based recipes under 30 minutes",
            "Home cook, coffee snob",
        ],
        titles: &[
            "15-minute garlic butter pasta",
            "Meal prep for the week under $40",
            "Air fryer crispy tofu",
            "Iced brown sugar latte at home",
        ],
        campaigns: &[
            "Holiday Gift Guide",
            "Cold Brew Summer",
            "Meal Kit Ambassadors",
        ],
        brands: &["Hearth & Pan", "Brightbean Coffee", "Sprout Kitchen"],
    },
    Niche {
        label: "gaming",
        industry: "Gaming",
        keywords: &[
            "gaming setup",
            "fortnite",
            "indie games",
            "speedrun",
            "minecraft",
        ],
        tags: &["gaming", "gamer", "gamingsetup", "twitch", "fyp"],
        words: &["plays", "gg", "gaming"],
        bios: &[
            "Variety streamer | live Tue/Thu/Sat 🎮",
            "Indie game hunter",
            "Competitive FPS, chill vibes",
        ],
        titles: &[
            "My $500 budget gaming setup",
            "This indie game deserves more love",
            "World record attempt #12",
            "Ranking every controller I own",
        ],
        campaigns: &[
            "Headset Launch Q1",
            "Indie Game Streamers",
            "Controller Review Push",
        ],
        brands: &["Pixelforge Gear", "Nightowl Audio", "Respawn Energy"],
    },
    Niche {
        label: "travel",
        industry: "Travel & Hospitality",
        keywords: &[
            "travel tips",
            "solo travel",
            "budget travel",
            "hidden gems",
            "van life",
        ],
        tags: &[
            "travel",
            "traveltok",
            "wanderlust",
            "solotravel",
            "travelhacks",
        ],
        words: &["travels", "abroad", "roams"],
        bios: &[
            "47 countries and counting ✈️",
            "Budget travel hacks for students",
            "Van life + national parks",
        ],
        titles: &[
            "How I flew to Japan for $380",
            "3 hidden gems in Lisbon",
            "Packing a carry-on for 2 weeks",
            "Van tour after 1 year on the road",
        ],
        campaigns: &[
            "Summer Getaway Creators",
            "Luggage Launch",
            "Boutique Hotel Stays",
        ],
        brands: &["Wayfarer Luggage", "Nomad Stays", "Atlas Travel Co."],
    },
    Niche {
        label: "pets",
        industry: "Pet Care",
        keywords: &[
            "dog training",
            "cat tok",
            "puppy tips",
            "raw feeding",
            "dog treats",
        ],
        tags: &["dogsoftiktok", "pets", "cattok", "puppy", "dogtraining"],
        words: &["pup", "paws", "thedog"],
        bios: &[
            "Golden retriever with a job 🐶",
            "Force-free dog trainer",
            "Two cats, zero chill",
        ],
        titles: &[
            "Teaching my puppy to settle in 3 days",
            "Cat reacts to new tower",
            "Homemade dog treats with 3 ingredients",
            "Leash pulling fix that works",
        ],
        campaigns: &["Pet Brand Ideas", "Puppy Starter Kit", "Treat Taste Test"],
        brands: &["Happy Tails Pet Co.", "Pawsome Treats", "Furlong Supply"],
    },
    Niche {
        label: "tech",
        industry: "Consumer Electronics",
        keywords: &[
            "tech review",
            "desk setup",
            "iphone tips",
            "productivity apps",
            "smart home",
        ],
        tags: &["tech", "techtok", "desksetup", "gadgets", "productivity"],
        words: &["tech", "bytes", "setup"],
        bios: &[
            "Honest tech reviews, no sponsorship fluff",
            "Desk setups + productivity",
            "Smart home nerd 🏠",
        ],
        titles: &[
            "iPhone settings you should change today",
            "My minimal desk setup tour",
            "Best budget earbuds of the year",
            "Automating my whole apartment",
        ],
        campaigns: &[
            "Q1 Outreach",
            "Earbuds Launch Creators",
            "Desk Setup Collab",
        ],
        brands: &["Loop Audio", "Lumina Home", "Stackdesk"],
    },
    Niche {
        label: "fashion",
        industry: "Apparel & Fashion",
        keywords: &[
            "outfit ideas",
            "thrift haul",
            "capsule wardrobe",
            "streetwear",
            "sustainable fashion",
        ],
        tags: &["fashion", "ootd", "outfitideas", "thrifted", "styletips"],
        words: &["style", "fits", "wears"],
        bios: &[
            "Petite styling tips 👗",
            "Thrift flips + sustainable fashion",
            "Streetwear drops and daily fits",
        ],
        titles: &[
            "5 ways to style one blazer",
            "$50 thrift haul try-on",
            "Building a capsule wardrobe",
            "Sneakers I'm wearing this fall",
        ],
        campaigns: &[
            "Fall Lookbook Creators",
            "Denim Drop Seeding",
            "Sustainable Style Push",
        ],
        brands: &["Thread & Co.", "Northbound Denim", "Mira Studio"],
    },
];

pub(super) const FIRST: &[&str] = &[
    "Maya", "Jordan", "Ava", "Liam", "Sofia", "Noah", "Chloe", "Ethan", "Zoe", "Lucas", "Priya",
    "Mateo", "Hannah", "Kai", "Isabella", "Omar", "Lily", "Diego", "Nora", "Tyler", "Amara", "Ben",
];
pub(super) const LAST: &[&str] = &[
    "Lopez", "Kim", "Patel", "Nguyen", "Johnson", "Garcia", "Chen", "Williams", "Okafor", "Rossi",
    "Silva", "Brown", "Martin", "Davis", "Singh", "Moreau", "Hughes", "Ali",
];
pub(super) const REGIONS: &[&str] = &["US", "US", "US", "US", "GB", "CA", "AU", "DE", "FR", "BR"];
pub(super) const JOB_ERRORS: &[&str] = &[
    "ScrapeCreators API error: 429 Too Many Requests",
    "ScrapeCreators API error: 502 Bad Gateway",
    "Invalid API response: missing 'users' field",
    "QStash delivery failed after 3 retries",
    "Target profile not found or private",
    "YouTube API quota exceeded for today",
];
