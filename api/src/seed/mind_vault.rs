//! Demo data of `mind_vault`.
//!
//! A fixed vocabulary of tags and categories, then BetterAuth users in chunks of 1000 with their
//! accounts (credential, Google, GitHub), sessions and pending verifications, and their video
//! summaries. Titles come from a catalogue of topics and video formats; a few popular videos are
//! summarised by several users (the same `youtube_id`, never twice for one user). Summaries are
//! in every processing status: completed ones carry `ai_generated_content`
//! (`{summary, keyPoints, topics, chapters}`), keyframes ordered by timestamp within the
//! duration and their tag and category links; failed ones a `processing_error`. The demo user
//! ([`DEMO_USER`]) has summaries in every status.

use std::collections::HashMap;

use chrono::{Duration, NaiveDateTime};
use entity::mind_vault::{
    account, category, keyframe, session, tag, user, verification, video_summary,
    video_summary_category, video_summary_tag,
};
use migration::Database;
use sea_orm::ActiveValue::Set;
use serde_json::json;

use super::{Rng, epoch, has_rows, insert_all};
use crate::db::Connections;
use crate::error::ApiError;

/// `"user".id` of the demo user (Alex Demo), the first user written.
pub const DEMO_USER: &str = "mvDemoUser0000000000000000000001";
/// Users per scale unit.
const USERS_PER_SCALE: usize = 20;
/// Users built and inserted together (with all their rows).
const CHUNK: usize = 1000;

/// Categories: name and description.
#[rustfmt::skip]
const CATEGORIES: &[(&str, &str)] = &[
    ("Programming", "Software development, languages, tools and practices."),
    ("Artificial Intelligence", "Machine learning, LLMs and generative models."),
    ("Science", "Biology, physics, chemistry and how the world works."),
    ("Mathematics", "Pure and applied mathematics, statistics and probability."),
    ("History", "Events, people and civilisations of the past."),
    ("Personal Finance", "Budgeting, saving and investing."),
    ("Productivity", "Focus, habits, note-taking and getting things done."),
    ("Health & Fitness", "Exercise, sleep, nutrition and longevity."),
    ("Cooking", "Recipes, techniques and food science."),
    ("Design", "Visual, interface and product design."),
    ("Business", "Startups, strategy, marketing and management."),
    ("Music", "Music theory, instruments and production."),
    ("Philosophy", "Ideas about how to think and how to live."),
    ("Space & Astronomy", "Telescopes, planets, stars and the cosmos."),
];

/// Topics: title phrase, category index, tags.
#[rustfmt::skip]
const TOPICS: &[(&str, usize, &[&str])] = &[
    ("Rust Ownership and Borrowing", 0, &["rust", "memory-safety", "systems-programming"]),
    ("Async Rust with Tokio", 0, &["rust", "async", "concurrency"]),
    ("PostgreSQL Indexing", 0, &["postgresql", "databases", "performance"]),
    ("React Server Components", 0, &["react", "javascript", "web-development"]),
    ("TypeScript Generics", 0, &["typescript", "javascript", "type-systems"]),
    ("Docker and Kubernetes", 0, &["docker", "kubernetes", "devops"]),
    ("Transformers and Attention", 1, &["machine-learning", "transformers", "deep-learning"]),
    ("Retrieval-Augmented Generation", 1, &["llm", "rag", "vector-databases"]),
    ("Fine-Tuning LLMs with LoRA", 1, &["llm", "fine-tuning", "deep-learning"]),
    ("Diffusion Models", 1, &["generative-ai", "diffusion", "deep-learning"]),
    ("CRISPR Gene Editing", 2, &["biology", "genetics", "crispr"]),
    ("Quantum Entanglement", 2, &["physics", "quantum-mechanics"]),
    ("The Fourier Transform", 3, &["math", "signal-processing", "fourier"]),
    ("Bayesian Statistics", 3, &["statistics", "probability", "math"]),
    ("The Fall of the Roman Republic", 4, &["history", "ancient-rome", "politics"]),
    ("The Space Race", 4, &["history", "cold-war", "space"]),
    ("Index Fund Investing", 5, &["investing", "index-funds", "retirement"]),
    ("Zero-Based Budgeting", 5, &["budgeting", "money"]),
    ("Deep Work", 6, &["focus", "habits", "deep-work"]),
    ("Building a Second Brain", 6, &["note-taking", "pkm", "obsidian"]),
    ("Zone 2 Cardio", 7, &["fitness", "cardio", "longevity"]),
    ("The Science of Sleep", 7, &["sleep", "neuroscience", "longevity"]),
    ("Sourdough Bread", 8, &["baking", "sourdough", "fermentation"]),
    ("Knife Skills", 8, &["cooking", "knife-skills"]),
    ("Typography Fundamentals", 9, &["typography", "graphic-design"]),
    ("Figma Auto Layout", 9, &["figma", "ui-design"]),
    ("SaaS Pricing Strategy", 10, &["startups", "pricing", "saas"]),
    ("Modes in Music Theory", 11, &["music-theory", "guitar"]),
    ("Stoicism", 12, &["stoicism", "philosophy", "mindset"]),
    ("The James Webb Space Telescope", 13, &["astronomy", "jwst", "space"]),
    ("Black Holes", 13, &["astrophysics", "black-holes", "space"]),
];

/// Video formats: title pattern, duration range in seconds, extra tag.
#[rustfmt::skip]
const FORMATS: &[(&str, i64, i64, Option<&str>)] = &[
    ("{T} Explained in 10 Minutes", 540, 720, Some("explainer")),
    ("{T} in 100 Seconds", 95, 180, None),
    ("The Complete Guide to {T}", 1800, 5400, Some("tutorial")),
    ("{T} for Beginners", 600, 1500, Some("beginner-friendly")),
    ("{T}: A Deep Dive", 1500, 3600, Some("deep-dive")),
    ("Full Course: {T} (2025)", 7200, 14400, Some("full-course")),
    ("Why {T} Matters More Than You Think", 600, 1200, None),
    ("Lecture 7 — {T}", 3000, 4800, Some("lecture")),
    ("I Spent 30 Days Learning {T}", 900, 1500, None),
    ("{T} — Expert Interview", 2400, 7200, Some("interview")),
];

/// Channels per category (same order as [`CATEGORIES`]).
#[rustfmt::skip]
const CHANNELS: &[&[&str]] = &[
    &["Code Cartography", "The Byte Lab", "Ferris Talks", "Frontend Focus"],
    &["Neural Notes", "Tensor Talk", "Applied AI Weekly"],
    &["Curious Cells", "Fundamental Forces", "Lab Coat Stories"],
    &["Visual Proofs", "Stat Corner", "Pi Minus One"],
    &["Chronicle", "Old Maps & Empires", "History Unboxed"],
    &["Money Explained", "The Frugal Quant"],
    &["Focus Lab", "Ali's Study Desk", "Notes on Notes"],
    &["Move Better", "Sleep & Recovery", "Longevity Lab"],
    &["Crumb Theory", "Home Kitchen Pro"],
    &["Kerning Club", "Pixel Pusher"],
    &["Founder Notes", "Bootstrapped"],
    &["Theory in Practice", "Fretboard Atlas"],
    &["Daily Stoic Reflections", "Big Ideas"],
    &["Deep Sky Videos", "Orbital Mechanics"],
];

const GENERAL_TAGS: &[&str] = &["must-rewatch", "podcast", "documentary", "conference-talk"];

#[rustfmt::skip]
const KEY_POINTS: &[&str] = &[
    "{t} is easiest to understand through a concrete example before the formal definition.",
    "Most beginner mistakes with {t} come from skipping the fundamentals.",
    "The presenter compares three common approaches to {t} and explains their trade-offs.",
    "A simple mental model makes {t} far less intimidating.",
    "Real-world case studies show where {t} pays off and where it does not.",
    "Measuring results early is the fastest way to improve at {t}.",
    "The history of {t} explains many of its current conventions.",
    "Practising {t} a little every day beats occasional marathon sessions.",
];
#[rustfmt::skip]
const CHAPTERS: &[&str] = &[
    "Background and motivation", "The core idea", "A worked example", "Common mistakes",
    "Real-world applications", "Advanced techniques", "Comparing approaches", "Q&A highlights",
];
#[rustfmt::skip]
const VISUALS: &[&str] = &[
    "Title card", "Whiteboard diagram", "Presenter speaking to camera", "Slide with bullet points",
    "Screen recording of a live demo", "Comparison chart", "Close-up illustration", "Summary slide",
];
#[rustfmt::skip]
const ERRORS: &[&str] = &[
    "Transcript unavailable: captions are disabled for this video",
    "Video unavailable: this video is private or has been removed",
    "AI summarization timed out after 120 seconds",
    "Video exceeds the maximum supported length of 4 hours",
    "YouTube Data API quota exceeded (403); retry after midnight Pacific time",
    "Keyframe extraction failed: could not decode video stream",
];
#[rustfmt::skip]
const FIRST: &[&str] = &["Alex", "Sam", "Jordan", "Taylor", "Morgan", "Riley", "Casey", "Jamie", "Avery", "Quinn", "Elena", "Marco", "Yuki", "Aisha", "Lars", "Nina", "Omar", "Chen", "Hannah", "Pedro"];
#[rustfmt::skip]
const LAST: &[&str] = &["Anderson", "Bauer", "Chen", "Dimitrov", "Evans", "Ferreira", "Gupta", "Hughes", "Ito", "Jensen", "Kowalczyk", "Lopez", "Mensah", "Novak", "Olsen", "Park", "Quinn", "Rahman", "Schmidt", "Torres"];
#[rustfmt::skip]
const AGENTS: &[&str] = &[
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
    "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
];

/// A time between `a` and `b` (`a` when `b <= a`).
fn between(rng: &mut Rng, a: NaiveDateTime, b: NaiveDateTime) -> NaiveDateTime {
    a + Duration::seconds(rng.range(0, (b - a).num_seconds() + 1))
}

/// `n` random characters of `alphabet`.
fn chars(rng: &mut Rng, alphabet: &[u8], n: usize) -> String {
    (0..n)
        .map(|_| alphabet[rng.below(alphabet.len())] as char)
        .collect()
}

/// `n` alphanumeric characters (BetterAuth ids and tokens).
fn alnum(rng: &mut Rng, n: usize) -> String {
    chars(
        rng,
        b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
        n,
    )
}

/// `n` lower-case hex digits.
fn hex(rng: &mut Rng, n: usize) -> String {
    chars(rng, b"0123456789abcdef", n)
}

/// `m:ss` or `h:mm:ss`.
fn clock(secs: i64) -> String {
    if secs >= 3600 {
        format!("{}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
    } else {
        format!("{}:{:02}", secs / 60, secs % 60)
    }
}

/// One YouTube video: topic, format, channel, id, duration.
#[derive(Clone)]
struct Video {
    topic: usize,
    format: usize,
    channel: &'static str,
    youtube_id: String,
    duration: i64,
}

impl Video {
    fn new(rng: &mut Rng) -> Self {
        let topic = rng.below(TOPICS.len());
        let channels: &'static [&'static str] = CHANNELS[TOPICS[topic].1];
        let format = rng.below(FORMATS.len());
        let (_, lo, hi, _) = FORMATS[format];
        // An id is 64 bits in 11 base64 characters, so the last one takes only 16 values.
        let youtube_id = format!("{}{}", rng.nanoid(10), chars(rng, b"AEIMQUYcgkosw048", 1));
        let channel = *rng.pick(channels);
        Video {
            topic,
            format,
            channel,
            youtube_id,
            duration: rng.range(lo, hi + 1),
        }
    }

    fn title(&self) -> String {
        FORMATS[self.format].0.replace("{T}", TOPICS[self.topic].0)
    }
}

/// The tags of a summary of `v`: its topic's, its format's, sometimes a general one.
fn summary_tags(rng: &mut Rng, v: &Video) -> Vec<&'static str> {
    let mut out: Vec<&str> = TOPICS[v.topic].2.to_vec();
    out.extend(FORMATS[v.format].3);
    if rng.chance(0.15) {
        out.push(*rng.pick(GENERAL_TAGS));
    }
    let mut unique: Vec<&str> = Vec::with_capacity(out.len());
    for t in out {
        if !unique.contains(&t) {
            unique.push(t);
        }
    }
    unique
}

/// The AI content of a completed summary of `v` and its chapter starts and titles.
fn ai_content(rng: &mut Rng, v: &Video, tags: &[&str]) -> (serde_json::Value, Vec<(i64, String)>) {
    let t = TOPICS[v.topic].0;
    let n = rng.range(3, 7) as usize;
    let mut middle: Vec<&str> = Vec::new();
    while middle.len() < n - 2 {
        let c = *rng.pick(CHAPTERS);
        if !middle.contains(&c) {
            middle.push(c);
        }
    }
    let titles: Vec<String> = std::iter::once("Introduction".to_owned())
        .chain(middle.iter().map(|c| (*c).to_owned()))
        .chain(std::iter::once("Summary and key takeaways".to_owned()))
        .collect();
    // Chapter i starts inside slot i of n equal slots: strictly increasing, below duration.
    let d = v.duration;
    let chapters: Vec<(i64, String)> = titles
        .into_iter()
        .enumerate()
        .map(|(i, title)| {
            let (lo, hi) = (d * i as i64 / n as i64, d * (i as i64 + 1) / n as i64);
            let at = if i == 0 {
                0
            } else {
                rng.range(lo, (lo + (hi - lo) / 3).max(lo + 1))
            };
            (at, title)
        })
        .collect();
    let want = rng.range(3, 6) as usize;
    let mut points: Vec<String> = Vec::new();
    while points.len() < want {
        let p = rng.pick(KEY_POINTS).replace("{t}", t);
        if !points.contains(&p) {
            points.push(p);
        }
    }
    let summary = format!(
        "\"{}\" by {} walks through {t} in {}. After a short introduction it covers \"{}\" and \
         \"{}\", then closes with practical takeaways you can apply right away.",
        v.title(),
        v.channel,
        clock(d),
        chapters.get(1).map_or("The basics", |c| c.1.as_str()),
        chapters.get(2).map_or("Examples", |c| c.1.as_str()),
    );
    let mut topics = vec![t.to_owned()];
    topics.extend(tags.iter().take(3).map(|s| s.replace('-', " ")));
    let value = json!({
        "summary": summary,
        "keyPoints": points,
        "topics": topics,
        // The shape the gateway validates and answers typed (`startSeconds`, `endSeconds`).
        "chapters": chapters.iter().enumerate().map(|(i, (at, title))| {
            let mut c = json!({ "title": title, "startSeconds": at });
            if let Some((next, _)) = chapters.get(i + 1) {
                c["endSeconds"] = json!(next);
            }
            c
        }).collect::<Vec<_>>(),
    });
    (value, chapters)
}

/// Writes demo data at `scale` into an empty `mind_vault` database.
pub async fn seed(conns: &Connections, scale: u32) -> Result<(), ApiError> {
    let db = conns.get(Database::MindVault)?;
    if has_rows(db, "user").await? {
        return Ok(());
    }
    let now = epoch();

    // Vocabularies: every tag a topic, format or general list names, once.
    let mut vrng = Rng::new(0x3_0001);
    let vocab_created = now - Duration::days(500);
    let mut tag_names: Vec<&str> = Vec::new();
    for name in TOPICS
        .iter()
        .flat_map(|t| t.2.iter().copied())
        .chain(FORMATS.iter().filter_map(|f| f.3))
        .chain(GENERAL_TAGS.iter().copied())
    {
        if !tag_names.contains(&name) {
            tag_names.push(name);
        }
    }
    let tag_list: Vec<(&str, String)> = tag_names.iter().map(|n| (*n, vrng.nanoid(21))).collect();
    let tag_ids: HashMap<&str, String> = tag_list.iter().cloned().collect();
    let cat_ids: Vec<String> = CATEGORIES.iter().map(|_| vrng.nanoid(21)).collect();
    let mut tag_rows = Vec::with_capacity(tag_names.len());
    for (i, (name, id)) in tag_list.into_iter().enumerate() {
        tag_rows.push(tag::ActiveModel {
            id: Set(id),
            name: Set(name.to_owned()),
            description: Set(None),
            created_at: Set(vocab_created + Duration::minutes(i as i64 * 37)),
        });
    }
    insert_all(db, tag_rows, 4).await?;
    let cat_rows: Vec<category::ActiveModel> = CATEGORIES
        .iter()
        .zip(&cat_ids)
        .enumerate()
        .map(|(i, ((name, desc), id))| category::ActiveModel {
            id: Set(id.clone()),
            name: Set((*name).to_owned()),
            description: Set(Some((*desc).to_owned())),
            created_at: Set(vocab_created + Duration::minutes(i as i64 * 11)),
        })
        .collect();
    insert_all(db, cat_rows, 4).await?;

    // Popular videos, summarised by several users.
    let popular: Vec<Video> = (0..12).map(|_| Video::new(&mut vrng)).collect();

    let total = USERS_PER_SCALE * scale as usize;
    let mut urng = Rng::new(0x3_0002);
    let mut arng = Rng::new(0x3_0003);
    let mut srng = Rng::new(0x3_0004);
    let mut start = 0;
    while start < total {
        let end = (start + CHUNK).min(total);
        let (mut users, mut sessions, mut accounts, mut verifs) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let (mut summaries, mut frames, mut vtags, mut vcats) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for i in start..end {
            let demo = i == 0;
            let (id, name) = if demo {
                (DEMO_USER.to_owned(), "Alex Demo".to_owned())
            } else {
                let name = format!("{} {}", urng.pick(FIRST), urng.pick(LAST));
                (alnum(&mut urng, 32), name)
            };
            let email = if demo {
                "demo@mindvault.app".to_owned()
            } else {
                let local = name.to_lowercase().replace(' ', ".");
                let domain = *urng.pick(&["gmail.com", "outlook.com", "proton.me", "hey.com"]);
                format!("{local}{i}@{domain}")
            };
            let created = urng.time_before(540) - Duration::days(1);
            let updated = between(&mut urng, created, now - Duration::hours(12));
            // 0 credential, 1 Google, 2 GitHub, 3 credential + Google.
            let providers: &[u8] = match if demo { 19 } else { urng.below(20) } {
                0..=8 => &[0],
                9..=14 => &[1],
                15..=16 => &[2],
                _ => &[0, 1],
            };
            let social = providers.iter().any(|p| *p != 0);
            let verified = social || urng.chance(0.8);
            let mut image = None;
            for &p in providers {
                let (account_id, access, refresh, id_token, access_exp, scope, password) = match p {
                    0 => {
                        let pw = format!("{}:{}", hex(&mut arng, 32), hex(&mut arng, 128));
                        (id.clone(), None, None, None, None, None, Some(pw))
                    }
                    1 => {
                        let sub = format!(
                            "1{:010}{:010}",
                            arng.next_u64() % 10_000_000_000,
                            arng.next_u64() % 10_000_000_000
                        );
                        image = Some(format!(
                            "https://lh3.googleusercontent.com/a/ACg8oc{}=s96-c",
                            alnum(&mut arng, 40)
                        ));
                        let jwt = format!(
                            "eyJhbGciOiJSUzI1NiIsImtpZCI6IjFmNDBmMGE4ZWYzZDg4MDk3OGRjODJmMjVjM2VjMzE3YzZhNWI3ODEiLCJ0eXAiOiJKV1QifQ.{}.{}",
                            alnum(&mut arng, 300),
                            alnum(&mut arng, 342)
                        );
                        (sub, Some(format!("ya29.a0{}", alnum(&mut arng, 150))),
                         Some(format!("1//0{}", alnum(&mut arng, 98))), Some(jwt),
                         Some(updated + Duration::hours(1)),
                         Some("openid,https://www.googleapis.com/auth/userinfo.email,https://www.googleapis.com/auth/userinfo.profile".to_owned()), None)
                    }
                    _ => {
                        let gh = arng.range(1_000_000, 190_000_000);
                        image = Some(format!("https://avatars.githubusercontent.com/u/{gh}?v=4"));
                        (
                            gh.to_string(),
                            Some(format!("gho_{}", alnum(&mut arng, 36))),
                            None,
                            None,
                            None,
                            Some("read:user,user:email".to_owned()),
                            None,
                        )
                    }
                };
                accounts.push(account::ActiveModel {
                    id: Set(alnum(&mut arng, 32)),
                    account_id: Set(account_id),
                    provider_id: Set(["credential", "google", "github"][p as usize].to_owned()),
                    user_id: Set(id.clone()),
                    access_token: Set(access),
                    refresh_token: Set(refresh),
                    id_token: Set(id_token),
                    access_token_expires_at: Set(access_exp),
                    refresh_token_expires_at: Set(None),
                    scope: Set(scope),
                    password: Set(password),
                    created_at: Set(created),
                    updated_at: Set(if p == 0 { created } else { updated }),
                });
            }
            users.push(user::ActiveModel {
                id: Set(id.clone()),
                name: Set(name),
                email: Set(email.clone()),
                email_verified: Set(verified),
                image: Set(image),
                created_at: Set(created),
                updated_at: Set(updated),
                // The second user administers the demo source (BetterAuth admin plugin role).
                role: Set((i == 1).then(|| "admin".to_owned())),
            });
            if !verified {
                let at = created + Duration::seconds(arng.range(1, 5));
                verifs.push(verification::ActiveModel {
                    id: Set(alnum(&mut arng, 32)),
                    identifier: Set(format!("email-verification-otp-{email}")),
                    value: Set(format!("{:06}:0", arng.below(1_000_000))),
                    expires_at: Set(at + Duration::minutes(5)),
                    created_at: Set(Some(at)),
                    updated_at: Set(Some(at)),
                });
            } else if providers.contains(&0) && arng.chance(0.12) {
                let at = between(&mut arng, created, now);
                verifs.push(verification::ActiveModel {
                    id: Set(alnum(&mut arng, 32)),
                    identifier: Set(format!("reset-password:{}", alnum(&mut arng, 24))),
                    value: Set(id.clone()),
                    expires_at: Set(at + Duration::hours(1)),
                    created_at: Set(Some(at)),
                    updated_at: Set(Some(at)),
                });
            }
            let n_sessions = if demo { 2 } else { arng.range(0, 4) };
            for s in 0..n_sessions {
                let at = if demo && s == 0 {
                    now - Duration::hours(3)
                } else {
                    between(&mut arng, created, now)
                };
                let refreshed = between(&mut arng, at, (at + Duration::days(6)).min(now));
                sessions.push(session::ActiveModel {
                    id: Set(alnum(&mut arng, 32)),
                    expires_at: Set(refreshed + Duration::days(7)),
                    token: Set(alnum(&mut arng, 32)),
                    created_at: Set(at),
                    updated_at: Set(refreshed),
                    ip_address: Set(Some(format!(
                        "{}.{}.{}.{}",
                        arng.pick(&[24, 73, 81, 92, 104, 151, 178, 203]),
                        arng.range(0, 256),
                        arng.range(0, 256),
                        arng.range(1, 255)
                    ))),
                    user_agent: Set(Some((*arng.pick(AGENTS)).to_owned())),
                    user_id: Set(id.clone()),
                });
            }

            // Video summaries.
            let n_videos = if demo { 8 } else { srng.range(0, 11) as usize };
            let mut seen: Vec<String> = Vec::new();
            for k in 0..n_videos {
                let mut v = if srng.chance(0.15) {
                    srng.pick(&popular).clone()
                } else {
                    Video::new(&mut srng)
                };
                if seen.contains(&v.youtube_id) {
                    v = Video::new(&mut srng);
                }
                seen.push(v.youtube_id.clone());
                let status = match (demo, k, srng.below(100)) {
                    (true, 0, _) | (false, _, 0..=5) => "pending",
                    (true, 1, _) | (false, _, 6..=11) => "processing",
                    (true, 2, _) | (false, _, 12..=19) => "failed",
                    _ => "completed",
                };
                let sid = srng.nanoid(21);
                let url = match srng.below(20) {
                    0..=13 => format!("https://www.youtube.com/watch?v={}", v.youtube_id),
                    14..=17 => format!("https://youtu.be/{}", v.youtube_id),
                    18 => format!(
                        "https://www.youtube.com/watch?v={}&t={}s",
                        v.youtube_id,
                        srng.range(10, v.duration)
                    ),
                    _ => format!("https://m.youtube.com/watch?v={}", v.youtube_id),
                };
                let (submitted, done) = match status {
                    "pending" => (now - Duration::seconds(srng.range(5, 600)), None),
                    "processing" => {
                        let at = now - Duration::seconds(srng.range(20, 900));
                        (at, Some(at + Duration::seconds(srng.range(1, 10))))
                    }
                    _ => {
                        let at = between(&mut srng, created, now - Duration::hours(1));
                        (at, Some(at + Duration::seconds(srng.range(25, 400))))
                    }
                };
                let edited = match (status, done) {
                    ("completed", Some(d)) if srng.chance(0.2) => between(&mut srng, d, now),
                    (_, Some(d)) => d,
                    _ => submitted,
                };
                let t = TOPICS[v.topic].0;
                let description = format!(
                    "Everything you need to know about {t}: the key ideas, a worked example and \
                     the mistakes to avoid. Chapters below. Subscribe to {} for more.",
                    v.channel
                );
                let (content, error) = match status {
                    "completed" => {
                        let tags = summary_tags(&mut srng, &v);
                        let (content, chapters) = ai_content(&mut srng, &v, &tags);
                        let at = done.unwrap_or(submitted);
                        // One keyframe per chapter, a little after its start, plus an extra
                        // one inside some chapters: ascending, below the duration.
                        for (c, (start_at, title)) in chapters.iter().enumerate() {
                            let next = chapters.get(c + 1).map_or(v.duration, |n| n.0);
                            let mut stamps =
                                vec![start_at + srng.range(0, ((next - start_at) / 4).max(1))];
                            if srng.chance(0.3) && next - stamps[0] > 2 {
                                stamps.push(srng.range(stamps[0] + 1, next));
                            }
                            for ts in stamps {
                                frames.push(keyframe::ActiveModel {
                                    id: Set(srng.nanoid(21)),
                                    video_summary_id: Set(sid.clone()),
                                    timestamp: Set(i32::try_from(ts).unwrap_or(0)),
                                    image_url: Set(format!(
                                        "https://storage.mindvault.app/keyframes/{sid}/{ts:05}.jpg"
                                    )),
                                    description: Set(Some(format!(
                                        "{} at {} — {title}",
                                        srng.pick(VISUALS),
                                        clock(ts)
                                    ))),
                                    created_at: Set(at),
                                });
                            }
                        }
                        for name in &tags {
                            if let Some(tid) = tag_ids.get(name) {
                                vtags.push(video_summary_tag::ActiveModel {
                                    video_summary_id: Set(sid.clone()),
                                    tag_id: Set(tid.clone()),
                                });
                            }
                        }
                        let main = TOPICS[v.topic].1;
                        let other = srng.below(CATEGORIES.len());
                        for c in std::iter::once(main)
                            .chain((other != main && srng.chance(0.25)).then_some(other))
                        {
                            vcats.push(video_summary_category::ActiveModel {
                                video_summary_id: Set(sid.clone()),
                                category_id: Set(cat_ids[c].clone()),
                            });
                        }
                        (Some(content), None)
                    }
                    "failed" => (None, Some((*srng.pick(ERRORS)).to_owned())),
                    _ => (None, None),
                };
                let known = status != "pending" || srng.chance(0.5);
                summaries.push(video_summary::ActiveModel {
                    id: Set(sid),
                    user_id: Set(id.clone()),
                    youtube_url: Set(url),
                    title: Set(v.title()),
                    description: Set(known.then_some(description)),
                    channel_name: Set(Some(v.channel.to_owned())),
                    duration: Set(known.then(|| i32::try_from(v.duration).unwrap_or(0))),
                    thumbnail_url: Set(Some(format!(
                        "https://i.ytimg.com/vi/{}/hqdefault.jpg",
                        v.youtube_id
                    ))),
                    youtube_id: Set(v.youtube_id),
                    processing_status: Set(status.to_owned()),
                    processing_error: Set(error),
                    ai_generated_content: Set(content),
                    created_at: Set(submitted),
                    updated_at: Set(edited),
                });
            }
        }
        insert_all(db, users, 7).await?;
        insert_all(db, accounts, 13).await?;
        insert_all(db, sessions, 8).await?;
        insert_all(db, verifs, 6).await?;
        insert_all(db, summaries, 14).await?;
        insert_all(db, frames, 6).await?;
        insert_all(db, vtags, 2).await?;
        insert_all(db, vcats, 2).await?;
        start = end;
    }
    Ok(())
}
