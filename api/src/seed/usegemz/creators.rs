//! Made-up creators and the four `creators` JSON shapes of the seed (TikTok keyword, TikTok
//! similar, Instagram similar, YouTube keyword), key casing as the seed writes it.

use chrono::{Duration, NaiveDateTime};
use serde_json::{Value, json};
use uuid::Uuid;

use super::words::{FIRST, LAST, NICHES, Niche};
use crate::seed::{Rng, epoch};

#[derive(Clone, Copy, PartialEq)]
pub(super) enum Platform {
    TikTok,
    Instagram,
    YouTube,
}

impl Platform {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            Platform::TikTok => "TikTok",
            Platform::Instagram => "Instagram",
            Platform::YouTube => "YouTube",
        }
    }
}

/// What a job's result rows are generated from once the job is written.
pub(super) struct JobPlan {
    pub(super) id: Uuid,
    pub(super) platform: Platform,
    pub(super) niche: usize,
    pub(super) keywords: Vec<String>,
    pub(super) target: Option<String>,
    pub(super) batches: Vec<(NaiveDateTime, usize)>,
}

/// A made-up creator of a niche.
pub(super) struct Persona {
    pub(super) name: String,
    pub(super) handle: String,
    pub(super) followers: i64,
    pub(super) verified: bool,
    pub(super) bio: String,
    pub(super) emails: Vec<String>,
}

pub(super) fn persona(rng: &mut Rng, niche: usize) -> Persona {
    let n = &NICHES[niche];
    let (first, last) = (
        rng.pick(FIRST).to_lowercase(),
        rng.pick(LAST).to_lowercase(),
    );
    let word = *rng.pick(n.words);
    let handle = match rng.below(4) {
        0 => format!("{first}{word}"),
        1 => format!("{first}.{word}"),
        2 => format!("{word}with{first}{}", rng.range(1, 100)),
        _ => format!("{first}_{last}{}", rng.range(10, 1_000)),
    };
    let name = if rng.chance(0.3) {
        format!("{} | {}", title(&first), title(word))
    } else {
        format!("{} {}", title(&first), title(&last))
    };
    // Log-uniform between 1k and ~3M followers.
    let followers = 10f64.powf(rng.range(300, 650) as f64 / 100.0) as i64;
    let verified = (followers > 500_000 && rng.chance(0.6)) || rng.chance(0.02);
    let plain: String = handle.chars().filter(char::is_ascii_alphanumeric).collect();
    let emails = if rng.chance(0.6) {
        vec![match rng.below(3) {
            0 => format!("{plain}@gmail.com"),
            1 => format!("collabs@{plain}.co"),
            _ => format!("{first}@{plain}mgmt.com"),
        }]
    } else {
        Vec::new()
    };
    let bio = match emails.first() {
        Some(e) => format!("{} 📩 {e}", rng.pick(n.bios)),
        None => (*rng.pick(n.bios)).to_owned(),
    };
    Persona {
        name,
        handle,
        followers,
        verified,
        bio,
        emails,
    }
}

/// One entry of a `creators` array in the shape of the job's platform and search type.
pub(super) fn creator(rng: &mut Rng, plan: &JobPlan) -> Value {
    let p = persona(rng, plan.niche);
    let n = &NICHES[plan.niche];
    match (plan.platform, &plan.target) {
        (Platform::Instagram, _) => json!({
            "id": rng.range(1_000_000_000, 60_000_000_000).to_string(),
            "username": p.handle,
            "full_name": p.name,
            "is_private": rng.chance(0.1),
            "is_verified": p.verified,
            "profile_pic_url": instagram_pic(rng),
            "platform": "Instagram",
        }),
        (Platform::TikTok, Some(target)) => json!({
            "creator": {
                "name": p.name, "followers": p.followers, "avatarUrl": proxied(&tiktok_avatar(rng)),
                "bio": p.bio, "emails": p.emails, "uniqueId": format!("@{}", p.handle),
            },
            "platform": "TikTok",
            "searchType": "similar",
            "targetUsername": target,
        }),
        (Platform::TikTok, None) => {
            let tags = hashtags(rng, n, &plan.keywords);
            let views = 10f64.powf(rng.range(300, 680) as f64 / 100.0) as i64;
            let likes = views * rng.range(2, 15) / 100;
            let avatar = proxied(&tiktok_avatar(rng));
            json!({
                "creator": {
                    "name": p.name, "followers": p.followers, "avatarUrl": avatar, "profilePicUrl": avatar,
                    "bio": p.bio, "emails": p.emails, "uniqueId": format!("@{}", p.handle), "verified": p.verified,
                },
                "video": {
                    "description": format!("{} {}", rng.pick(n.titles), tags.join(" ")),
                    "url": tiktok_video(rng, &p.handle),
                    "statistics": { "likes": likes, "comments": likes * rng.range(5, 50) / 1_000, "shares": likes * rng.range(5, 80) / 1_000, "views": views },
                },
                "hashtags": tags,
                "platform": "TikTok",
            })
        }
        (Platform::YouTube, _) => {
            let published = epoch() - Duration::days(rng.range(3, 730));
            json!({
                "creator": { "name": p.name, "followers": 0, "avatarUrl": youtube_avatar(rng) },
                "video": {
                    "description": rng.pick(n.titles),
                    "url": format!("https://www.youtube.com/watch?v={}", rng.nanoid(11)),
                    "statistics": { "views": 10f64.powf(rng.range(250, 660) as f64 / 100.0) as i64, "likes": 0, "comments": 0 },
                },
                "hashtags": hashtags(rng, n, &plan.keywords),
                "publishedTime": published.format("%Y-%m-%d").to_string(),
                "lengthSeconds": rng.range(45, 1_800),
                "platform": "YouTube",
            })
        }
    }
}

/// Two to four `#tags`: the niche's and, sometimes, a searched keyword's.
fn hashtags(rng: &mut Rng, n: &Niche, keywords: &[String]) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    if let Some(k) = keywords
        .get(rng.below(keywords.len()))
        .filter(|_| rng.chance(0.6))
    {
        tags.push(format!("#{}", k.replace(' ', "")));
    }
    for _ in 0..rng.range(2, 4) {
        let t = format!("#{}", rng.pick(n.tags));
        if !tags.contains(&t) {
            tags.push(t);
        }
    }
    tags
}

pub(super) fn tiktok_video(rng: &mut Rng, handle: &str) -> String {
    format!(
        "https://www.tiktok.com/@{handle}/video/{}",
        rng.range(7_200_000_000_000_000_000, 7_450_000_000_000_000_000)
    )
}

pub(super) fn tiktok_avatar(rng: &mut Rng) -> String {
    format!(
        "https://p16-sign-va.tiktokcdn.com/tos-maliva-avt-0068/{}~c5_720x720.jpeg",
        hex(rng, 32)
    )
}

pub(super) fn instagram_pic(rng: &mut Rng) -> String {
    format!(
        "https://scontent-iad3-1.cdninstagram.com/v/t51.2885-19/{}_n.jpg",
        rng.range(100_000_000, 999_999_999)
    )
}

pub(super) fn youtube_avatar(rng: &mut Rng) -> String {
    format!(
        "https://yt3.ggpht.com/{}=s88-c-k-c0x00ffffff-no-rj",
        rng.nanoid(40)
    )
}

/// The app's image proxy URL for `url` (percent-encoded).
fn proxied(url: &str) -> String {
    let mut s = String::from("/api/proxy/image?url=");
    for b in url.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            s.push(char::from(b));
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s
}

pub(super) fn base62(rng: &mut Rng, len: usize) -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    (0..len)
        .map(|_| char::from(ALPHABET[rng.below(ALPHABET.len())]))
        .collect()
}

fn hex(rng: &mut Rng, len: usize) -> String {
    (0..len)
        .map(|_| char::from(b"0123456789abcdef"[rng.below(16)]))
        .collect()
}

fn title(word: &str) -> String {
    let mut c = word.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
