//! Demo data of `character_creation`.
//!
//! Twelve named templates (one per style at least, one retired), then users in chunks of 1000
//! with their characters and generations. Every character is the product of one COMPLETED
//! generation that links it (same prompt, style, template, `result_url = image_url`); besides,
//! some users have FAILED generations (with `error_message`), and a few have requests still
//! PENDING or PROCESSING (with `started_at`) in the minutes before [`epoch`]. The demo user
//! ([`DEMO_USER`], tier PRO) has rows in every status.

use chrono::{Duration, NaiveDateTime};
use entity::character_creation::sea_orm_active_enums::{
    GenerationStatus, StyleType, SubscriptionTier, UserRole,
};
use entity::character_creation::{character_templates, characters, generations, users};
use migration::Database;
use sea_orm::ActiveValue::Set;
use serde_json::json;
use uuid::Uuid;

use super::{Rng, epoch, has_rows, insert_all};
use crate::db::Connections;
use crate::error::ApiError;

/// `users.id` of the demo user (Mia Demo, PRO tier), the first user written.
pub const DEMO_USER: &str = "cc000000-0000-4000-8000-000000000001";
/// [`DEMO_USER`] as a number.
const DEMO_USER_ID: u128 = 0xcc00_0000_0000_4000_8000_0000_0000_0001;
/// Users per scale unit.
const USERS_PER_SCALE: usize = 30;
/// Users built and inserted together (with their characters and generations).
const CHUNK: usize = 1000;

/// The five styles, in the order the word lists below follow.
const STYLES: [StyleType; 5] = [
    StyleType::Fantasy,
    StyleType::Realistic,
    StyleType::Anime,
    StyleType::Cartoon,
    StyleType::SciFi,
];

/// Per style: name first parts, name second parts, subjects, details, settings, prompt
/// suffix, tags.
struct StyleWords {
    first: &'static [&'static str],
    second: &'static [&'static str],
    subjects: &'static [&'static str],
    details: &'static [&'static str],
    settings: &'static [&'static str],
    suffix: &'static str,
    tags: &'static [&'static str],
}

#[rustfmt::skip]
const WORDS: [StyleWords; 5] = [
    StyleWords {
        first: &["Elara", "Thorne", "Lyra", "Kael", "Seraphine", "Borin", "Isolde", "Faelan", "Morwen", "Eldric"],
        second: &["Moonwhisper", "Ironforge", "Stormborn", "Ashenveil", "Brightblade", "Duskbane", "Thornwood", "Emberfall"],
        subjects: &["an elven ranger", "a dwarven blacksmith", "a battle-scarred paladin", "a forest druid", "a fire sorceress", "a rogue with twin daggers", "a half-orc bard", "a frost giant shaman"],
        details: &["wearing moss-green leather armor", "with glowing runic tattoos", "holding an ancient oak staff", "with long braided silver hair", "cloaked in a tattered crimson mantle", "with a raven perched on one shoulder"],
        settings: &["in an enchanted forest at dusk", "atop a crumbling castle wall", "inside a candlelit tavern", "before a mountain pass in the snow", "beside a glowing rune circle"],
        suffix: "high fantasy digital painting, dramatic rim lighting, highly detailed",
        tags: &["fantasy", "elf", "dwarf", "magic", "warrior", "medieval", "dnd", "rpg", "mage", "ranger"],
    },
    StyleWords {
        first: &["Daniel", "Sofia", "Marcus", "Amara", "Lucas", "Ingrid", "Rafael", "Chloe", "Tomasz", "Nadia"],
        second: &["Hartley", "Moreau", "Okafor", "Lindqvist", "Castillo", "Brennan", "Nakamura", "Whitfield"],
        subjects: &["a weathered fisherman", "a jazz saxophonist", "a young architect", "a retired boxer", "a street food vendor", "a mountain guide", "a violin maker", "a war correspondent"],
        details: &["with deep laugh lines", "wearing a wool peacoat", "with freckles and auburn hair", "in a crisp white shirt", "with a silver beard", "holding a steaming cup of coffee"],
        settings: &["on a foggy harbor pier", "in a sunlit workshop", "on a rainy city street at night", "in a dim jazz club", "against a plain studio backdrop"],
        suffix: "photorealistic portrait, 85mm lens, shallow depth of field, natural light",
        tags: &["realistic", "portrait", "photography", "cinematic", "headshot", "urban", "character-study"],
    },
    StyleWords {
        first: &["Haruto", "Sakura", "Ren", "Yuki", "Aiko", "Kaito", "Hana", "Sora", "Rin", "Daichi"],
        second: &["Takahashi", "Kurogane", "Amamiya", "Shinoda", "Hoshino", "Kirishima", "Tsukishiro", "Aozora"],
        subjects: &["a high school swordsman", "a magical girl", "a cyberpunk hacker", "a shrine maiden", "a spirited mecha pilot", "a quiet librarian with hidden powers", "a ninja apprentice"],
        details: &["with spiky blue hair", "wearing a sailor uniform", "with heterochromatic eyes", "carrying a katana on her back", "with a glowing visor", "surrounded by cherry blossom petals"],
        settings: &["on a Tokyo rooftop at sunset", "in a neon-lit alley", "at a summer festival", "inside a floating sky castle", "in a classroom after school"],
        suffix: "anime key visual, cel shading, vibrant colors, studio quality",
        tags: &["anime", "manga", "shonen", "shoujo", "kawaii", "mecha", "isekai", "cyberpunk"],
    },
    StyleWords {
        first: &["Captain", "Professor", "Sir", "Little", "Mister", "Granny", "Doctor", "Lady"],
        second: &["Whiskers", "Bubbles", "Pickles", "Noodle", "Sprocket", "Waffles", "Biscuit", "Marmalade"],
        subjects: &["a grumpy cat chef", "a clumsy robot", "a cheerful dragon", "a detective penguin", "a tiny wizard mouse", "a skateboarding raccoon", "a pirate parrot"],
        details: &["with oversized round glasses", "wearing a tiny top hat", "with a big toothy grin", "holding a bright red balloon", "with mismatched socks", "covered in flour"],
        settings: &["in a colorful candy town", "on a cozy kitchen counter", "at a busy seaside boardwalk", "in a cluttered inventor's garage", "on a floating island of clouds"],
        suffix: "3D cartoon style, soft lighting, bold outlines, family-friendly",
        tags: &["cartoon", "cute", "funny", "mascot", "animal", "kids", "chibi", "whimsical"],
    },
    StyleWords {
        first: &["Commander", "Nova", "Captain", "Unit", "Dr.", "Zephyr", "Kira", "Jax"],
        second: &["Vex", "Calloway", "Orion", "K-7", "Reyes", "Okonkwo", "Volkov", "Sterling"],
        subjects: &["a space marine in power armor", "an android companion", "a starship engineer", "a bounty hunter", "a xenobiologist", "a rogue AI in a humanoid shell", "a Martian colonist"],
        details: &["with a cybernetic arm", "wearing a cracked helmet visor", "with holographic tattoos", "carrying a plasma rifle", "with bioluminescent skin patterns", "in a battered flight suit"],
        settings: &["on the bridge of a starship", "on a red desert planet", "in a zero-gravity corridor", "beneath a ringed gas giant", "in a rain-soaked megacity"],
        suffix: "sci-fi concept art, volumetric lighting, ultra detailed, 4k",
        tags: &["scifi", "space", "cyberpunk", "robot", "android", "futuristic", "starship", "alien"],
    },
];

/// A template row: name, style, description, prompt template, tags, active.
type Template = (
    &'static str,
    usize,
    &'static str,
    &'static str,
    &'static [&'static str],
    bool,
);

/// The templates: name, style (index into [`STYLES`]), description, prompt template, tags,
/// active.
#[rustfmt::skip]
const TEMPLATES: [Template; 12] = [
    ("Elven Ranger", 0, "A graceful woodland archer, at home among ancient trees.", "{name}, an elven ranger {details}, {setting}, bow drawn, high fantasy digital painting", &["fantasy", "elf", "ranger"], true),
    ("Dwarven Warrior", 0, "A stout, bearded fighter forged in mountain halls.", "{name}, a dwarven warrior {details}, {setting}, heavy plate armor, fantasy art", &["fantasy", "dwarf", "warrior"], true),
    ("Arcane Sorcerer", 0, "A spellcaster crackling with raw magical power.", "{name}, an arcane sorcerer {details}, {setting}, swirling magic, dramatic lighting", &["fantasy", "magic", "mage"], true),
    ("Cinematic Portrait", 1, "A moody, film-like portrait of a believable person.", "Cinematic portrait of {name} {details}, {setting}, 85mm, film grain", &["realistic", "portrait", "cinematic"], true),
    ("Professional Headshot", 1, "A clean studio headshot for profiles and avatars.", "Professional headshot of {name} {details}, {setting}, studio lighting", &["realistic", "headshot", "portrait"], true),
    ("Shonen Hero", 2, "A determined young hero straight out of a battle manga.", "{name}, a shonen protagonist {details}, {setting}, dynamic pose, anime key visual", &["anime", "shonen", "hero"], true),
    ("Magical Girl", 2, "A sparkling transformation-sequence heroine.", "{name}, a magical girl {details}, {setting}, sparkles and ribbons, anime style", &["anime", "magical-girl", "kawaii"], true),
    ("Pixar-style Character", 3, "A warm, expressive 3D animated character.", "{name}, an expressive 3D animated character {details}, {setting}, soft lighting", &["cartoon", "3d", "cute"], true),
    ("Cartoon Mascot", 3, "A bold, simple mascot for brands and teams.", "{name}, a cartoon mascot {details}, {setting}, bold outlines, flat colors", &["cartoon", "mascot", "logo"], false),
    ("Space Marine", 4, "A heavily armored soldier of the far future.", "{name}, a space marine {details}, {setting}, power armor, sci-fi concept art", &["scifi", "soldier", "armor"], true),
    ("Android Companion", 4, "A humanlike synthetic with a hint of the uncanny.", "{name}, an android companion {details}, {setting}, sleek synthetic skin, sci-fi", &["scifi", "android", "robot"], true),
    ("Cyberpunk Mercenary", 4, "A street-hardened gun for hire in a neon future.", "{name}, a cyberpunk mercenary {details}, {setting}, neon reflections, blade runner mood", &["scifi", "cyberpunk", "mercenary"], true),
];

#[rustfmt::skip]
const FIRST_NAMES: &[&str] = &[
    "Olivia", "Liam", "Emma", "Noah", "Ava", "Ethan", "Sophia", "Mason", "Isabella", "Lucas",
    "Mia", "Aiden", "Harper", "Elijah", "Amelia", "James", "Zoe", "Benjamin", "Chloe", "Mateo",
    "Priya", "Kenji", "Fatima", "Diego", "Ingrid", "Tariq", "Leila", "Jonas", "Mei", "Andrei",
];
#[rustfmt::skip]
const LAST_NAMES: &[&str] = &[
    "Smith", "Johnson", "Garcia", "Brown", "Martinez", "Lee", "Walker", "Hall", "Young", "King",
    "Patel", "Kim", "Nguyen", "Silva", "Müller", "Rossi", "Kowalski", "Haddad", "Larsen", "Okoye",
    "Ivanova", "Tanaka", "Dubois", "O'Brien", "Fischer", "Costa", "Novak", "Sato", "Ahmed", "Reyes",
];
#[rustfmt::skip]
const EMAIL_DOMAINS: &[&str] = &["gmail.com", "outlook.com", "yahoo.com", "proton.me", "icloud.com", "fastmail.com"];
const MODELS: &[&str] = &[
    "sdxl-1.0",
    "sdxl-turbo",
    "flux-1-dev",
    "dall-e-3",
    "playground-v2.5",
];
const SIZES: &[(u32, u32)] = &[(1024, 1024), (832, 1216), (1216, 832), (768, 1344)];
#[rustfmt::skip]
const ERRORS: &[&str] = &[
    "Content policy violation: the prompt was flagged by the safety filter",
    "Image generation timed out after 120 seconds",
    "Upstream model error: CUDA out of memory (503)",
    "Prompt too long: 612 tokens exceed the 400-token limit",
    "Upstream provider rate limit reached (429); please retry later",
    "Image upload to storage failed: connection reset by peer",
];

/// A time between `a` and `b` (`a` when `b <= a`).
fn between(rng: &mut Rng, a: NaiveDateTime, b: NaiveDateTime) -> NaiveDateTime {
    a + Duration::seconds(rng.range(0, (b - a).num_seconds() + 1))
}

/// A prompt (and character name) in `style`, from template `tpl` when given.
fn prompt(rng: &mut Rng, style: usize, tpl: Option<usize>) -> (String, String) {
    let w = &WORDS[style];
    let name = format!("{} {}", rng.pick(w.first), rng.pick(w.second));
    let details = *rng.pick(w.details);
    let setting = *rng.pick(w.settings);
    let text = match tpl.and_then(|t| TEMPLATES.get(t)) {
        Some(t) => {
            t.3.replace("{name}", &name)
                .replace("{details}", details)
                .replace("{setting}", setting)
        }
        None => format!(
            "{name}, {} {details}, {setting}, {}",
            rng.pick(w.subjects),
            w.suffix
        ),
    };
    (name, text)
}

/// 2–4 distinct tags of `style`.
fn tags(rng: &mut Rng, style: usize) -> serde_json::Value {
    let pool = WORDS[style].tags;
    let n = rng.range(2, 5) as usize;
    let mut out: Vec<&str> = Vec::with_capacity(n);
    while out.len() < n.min(pool.len()) {
        let t = *rng.pick(pool);
        if !out.contains(&t) {
            out.push(t);
        }
    }
    json!(out)
}

/// Writes demo data at `scale` into an empty `character_creation` database.
pub async fn seed(conns: &Connections, scale: u32) -> Result<(), ApiError> {
    let db = conns.get(Database::CharacterCreation)?;
    if has_rows(db, "users").await? {
        return Ok(());
    }
    let now = epoch();

    // Templates: written first, referenced by characters and generations.
    let mut rng = Rng::new(0xCC_0001);
    let tpl_created = now - Duration::days(800);
    let mut tpl_ids = Vec::with_capacity(TEMPLATES.len());
    let mut tpl_rows = Vec::with_capacity(TEMPLATES.len());
    for (i, (name, style, desc, text, tag_list, active)) in TEMPLATES.iter().enumerate() {
        let id = rng.uuid();
        tpl_ids.push(id);
        let created = tpl_created + Duration::hours(i as i64 * 7);
        let updated = if *active {
            between(&mut rng, created, now - Duration::days(200))
        } else {
            now - Duration::days(rng.range(30, 90))
        };
        tpl_rows.push(character_templates::ActiveModel {
            id: Set(id),
            name: Set((*name).to_owned()),
            description: Set(Some((*desc).to_owned())),
            style_type: Set(STYLES[*style].clone()),
            prompt_template: Set((*text).to_owned()),
            tags: Set(json!(tag_list)),
            is_active: Set(*active),
            created_at: Set(created),
            updated_at: Set(updated),
        });
    }
    insert_all(db, tpl_rows, 9).await?;
    // Active templates per style.
    let active: Vec<Vec<usize>> = (0..STYLES.len())
        .map(|s| {
            (0..TEMPLATES.len())
                .filter(|&t| TEMPLATES[t].1 == s && TEMPLATES[t].5)
                .collect()
        })
        .collect();

    let total = USERS_PER_SCALE * scale as usize;
    let mut urng = Rng::new(0xCC_0002);
    let mut crng = Rng::new(0xCC_0003);
    let mut grng = Rng::new(0xCC_0004);
    let mut start = 0;
    while start < total {
        let end = (start + CHUNK).min(total);
        let mut user_rows = Vec::with_capacity(end - start);
        let mut char_rows = Vec::new();
        let mut gen_rows = Vec::new();
        for i in start..end {
            let demo = i == 0;
            let (id, name, email, auth0, tier) = if demo {
                (
                    Uuid::from_u128(DEMO_USER_ID),
                    "Mia Demo".to_owned(),
                    "demo@character-creation.dev".to_owned(),
                    Some("auth0|64f0c0ffee0000000000d3m0".to_owned()),
                    SubscriptionTier::Pro,
                )
            } else {
                let first = *urng.pick(FIRST_NAMES);
                let last = *urng.pick(LAST_NAMES);
                let local: String = format!("{first}.{last}")
                    .to_lowercase()
                    .chars()
                    .filter(|c| c.is_ascii_alphanumeric() || *c == '.')
                    .collect();
                let email = format!("{local}{i}@{}", urng.pick(EMAIL_DOMAINS));
                let auth0 = match urng.below(10) {
                    0 => None,
                    1..=3 => Some(format!(
                        "google-oauth2|1{:08}{i:012}",
                        urng.next_u64() % 100_000_000
                    )),
                    _ => Some(format!("auth0|{:016x}{:08x}", urng.next_u64(), i)),
                };
                // Every tier appears even at the smallest scale.
                let tier = match (i, urng.below(100)) {
                    (1, _) | (_, 0..=59) => SubscriptionTier::Free,
                    (2, _) | (_, 60..=87) => SubscriptionTier::Premium,
                    _ => SubscriptionTier::Pro,
                };
                let name = (!urng.chance(0.08)).then(|| format!("{first} {last}"));
                (urng.uuid(), name.unwrap_or_default(), email, auth0, tier)
            };
            let created = urng.time_before(730) - Duration::days(2);
            let updated = between(&mut urng, created, now - Duration::days(1));
            user_rows.push(users::ActiveModel {
                id: Set(id),
                email: Set(email),
                name: Set((!name.is_empty()).then_some(name)),
                auth0_id: Set(auth0),
                subscription_tier: Set(tier),
                created_at: Set(created),
                updated_at: Set(updated),
                // The second user administers the demo source.
                role: Set(if i == 1 {
                    UserRole::Admin
                } else {
                    UserRole::User
                }),
            });

            // Characters, each with the completed generation that produced it.
            let n_chars = if demo { 6 } else { crng.range(0, 10) as usize };
            for c in 0..n_chars {
                let style = if demo {
                    c % STYLES.len()
                } else {
                    crng.below(STYLES.len())
                };
                let tpl = if crng.chance(0.45) && !active[style].is_empty() {
                    Some(*crng.pick(&active[style]))
                } else {
                    None
                };
                let (cname, text) = prompt(&mut crng, style, tpl);
                let requested = between(&mut crng, created, now - Duration::hours(2));
                let started = requested + Duration::seconds(crng.range(1, 20));
                let done = started + Duration::seconds(crng.range(6, 90));
                let cid = crng.uuid();
                let image = format!("https://cdn.character-creation.app/characters/{cid}.png");
                let (w, h) = *crng.pick(SIZES);
                let model = *crng.pick(MODELS);
                let metadata = json!({
                    "model": model,
                    "seed": crng.next_u64() % 4_294_967_296,
                    "width": w,
                    "height": h,
                    "steps": crng.range(20, 51),
                    "guidanceScale": crng.range(50, 121) as f64 / 10.0,
                    "generationTimeMs": (done - started).num_milliseconds(),
                });
                let public = (demo && c < 3) || (!demo && crng.chance(0.4));
                let edited = if crng.chance(0.3) {
                    between(&mut crng, done, now)
                } else {
                    done
                };
                let tpl_id = tpl.and_then(|t| tpl_ids.get(t).copied());
                char_rows.push(characters::ActiveModel {
                    id: Set(cid),
                    user_id: Set(id),
                    name: Set(cname),
                    prompt: Set(text.clone()),
                    style_type: Set(STYLES[style].clone()),
                    tags: Set(tags(&mut crng, style)),
                    is_public: Set(public),
                    image_url: Set(Some(image.clone())),
                    metadata: Set(Some(metadata)),
                    template_id: Set(tpl_id),
                    created_at: Set(done),
                    updated_at: Set(edited),
                });
                gen_rows.push(generations::ActiveModel {
                    id: Set(grng.uuid()),
                    user_id: Set(id),
                    character_id: Set(Some(cid)),
                    template_id: Set(tpl_id),
                    prompt: Set(text),
                    style_type: Set(STYLES[style].clone()),
                    status: Set(GenerationStatus::Completed),
                    error_message: Set(None),
                    result_url: Set(Some(image)),
                    started_at: Set(Some(started)),
                    completed_at: Set(Some(done)),
                    created_at: Set(requested),
                    updated_at: Set(done),
                });
            }

            // Requests that failed, and a few still queued or running at `now`.
            let failed = if demo {
                1
            } else if grng.chance(0.35) {
                grng.range(1, 3)
            } else {
                0
            };
            let pending = demo || grng.chance(0.12);
            let processing = demo || grng.chance(0.10);
            let extra = (0..failed)
                .map(|_| GenerationStatus::Failed)
                .chain(pending.then_some(GenerationStatus::Pending))
                .chain(processing.then_some(GenerationStatus::Processing));
            for status in extra.collect::<Vec<_>>() {
                let style = grng.below(STYLES.len());
                let tpl = if grng.chance(0.4) && !active[style].is_empty() {
                    Some(*grng.pick(&active[style]))
                } else {
                    None
                };
                let (_, text) = prompt(&mut grng, style, tpl);
                let (requested, started, error) = match status {
                    GenerationStatus::Failed => {
                        let r = between(&mut grng, created, now - Duration::hours(1));
                        (
                            r,
                            Some(r + Duration::seconds(grng.range(1, 20))),
                            Some(*grng.pick(ERRORS)),
                        )
                    }
                    GenerationStatus::Processing => {
                        let r = now - Duration::seconds(grng.range(30, 600));
                        (r, Some(r + Duration::seconds(grng.range(1, 20))), None)
                    }
                    _ => (now - Duration::seconds(grng.range(5, 1800)), None, None),
                };
                let updated = match (&status, started) {
                    (GenerationStatus::Failed, Some(s)) => {
                        s + Duration::seconds(grng.range(2, 120))
                    }
                    (_, Some(s)) => s,
                    _ => requested,
                };
                gen_rows.push(generations::ActiveModel {
                    id: Set(grng.uuid()),
                    user_id: Set(id),
                    character_id: Set(None),
                    template_id: Set(tpl.and_then(|t| tpl_ids.get(t).copied())),
                    prompt: Set(text),
                    style_type: Set(STYLES[style].clone()),
                    status: Set(status),
                    error_message: Set(error.map(str::to_owned)),
                    result_url: Set(None),
                    started_at: Set(started),
                    completed_at: Set(None),
                    created_at: Set(requested),
                    updated_at: Set(updated),
                });
            }
        }
        insert_all(db, user_rows, 7).await?;
        insert_all(db, char_rows, 12).await?;
        insert_all(db, gen_rows, 13).await?;
        start = end;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_user_matches_its_number() {
        assert_eq!(Uuid::from_u128(DEMO_USER_ID).to_string(), DEMO_USER);
    }
}
