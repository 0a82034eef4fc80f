//! Demo data of `deed_o`: two databases.
//!
//! - `deed_o_auth`: `users` (explicit integer ids `1..=N`, so the main database can name them),
//!   their `tokens` and `user_verifications`.
//! - `deed_o`: `products` (`IM_` ids, every cause and publishing status) of vendor users,
//!   `groups` (buyers' circles of published products, review threads of suggested/rejected
//!   ones, one community group per block of users) and their `messages`.
//!
//! There is no foreign key across the databases; `vendor_id`, `sender_id`, `members` and
//! `read_by` only ever hold ids of users written here, and a message's sender and readers are
//! members of its group. Users are generated in blocks of [`USERS_PER_UNIT`] (one per `scale`
//! unit), each block from its own fixed-seed generators, and written in chunks of blocks so
//! memory stays bounded. `groups.last_message_id` (a circular key) is set after the messages
//! exist, by one `UPDATE` that also moves `groups.updated_at` to the newest message.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use entity::deed_o::sea_orm_active_enums::{CausesEnum, PublishingStatusEnum};
use entity::deed_o::{groups, messages, products};
use entity::deed_o_auth::sea_orm_active_enums::{
    PlatformTypesEnum, UserVerificationActionsEnum, UsersRolesEnum, UsersStatusesEnum,
};
use entity::deed_o_auth::{tokens, user_verifications, users};
use migration::Database;
use sea_orm::ActiveValue::Set;
use sea_orm::prelude::DateTimeWithTimeZone;
use sea_orm::{ConnectionTrait, DbBackend, NotSet};
use serde_json::json;

use super::{Rng, epoch, has_rows, insert_all};
use crate::db::Connections;
use crate::error::ApiError;

/// The demo user: `users.id` 1 of the auth database, role `admin` (`admin@deed-o.demo`).
pub const DEMO_USER: &str = "1";

/// The demo moderator: `users.id` 2 of the auth database (`moderator@deed-o.demo`).
pub const DEMO_MODERATOR: &str = "2";

/// Users per `scale` unit.
pub const USERS_PER_UNIT: i32 = 40;

/// Products per `scale` unit.
const PRODUCTS_PER_UNIT: usize = 24;

/// Units written per round of inserts (1,000 users).
const UNITS_PER_CHUNK: u32 = 25;

const SEED_USERS: u64 = 0xDEED_0001;
const SEED_TOKENS: u64 = 0xDEED_0002;
const SEED_PRODUCTS: u64 = 0xDEED_0003;
const SEED_CHAT: u64 = 0xDEED_0004;

const FIRST: &[&str] = &[
    "Aarav",
    "Ananya",
    "Ishaan",
    "Meera",
    "Kabir",
    "Diya",
    "Rohan",
    "Priya",
    "Arjun",
    "Kavya",
    "Siddharth",
    "Nandini",
    "Farhan",
    "Zoya",
    "Tenzin",
    "Lhamo",
    "Joseph",
    "Mariam",
    "Arnav",
    "Sneha",
    "Vivek",
    "Pooja",
    "Rahul",
    "Shreya",
    "Imran",
    "Fatima",
    "Karthik",
    "Lakshmi",
    "Devika",
    "Manoj",
    "Emma",
    "Lucas",
    "Amara",
    "Kwame",
    "Sofia",
    "Hiroshi",
    "Nima",
    "Sunita",
];
const LAST: &[&str] = &[
    "Sharma",
    "Iyer",
    "Nair",
    "Reddy",
    "Banerjee",
    "Chatterjee",
    "Khan",
    "Patel",
    "Gupta",
    "Menon",
    "Das",
    "Singh",
    "Kulkarni",
    "Joshi",
    "Bhutia",
    "D'Souza",
    "Fernandes",
    "Ahmed",
    "Pillai",
    "Mukherjee",
    "Shah",
    "Rao",
    "Sen",
    "Okafor",
    "Mensah",
    "Rossi",
    "Tanaka",
    "Gurung",
];
const DOMAINS: &[&str] = &[
    "gmail.com",
    "outlook.com",
    "yahoo.in",
    "proton.me",
    "rediffmail.com",
];

/// City, state, country, dialling code, nationality, pincode range (`None`: not numeric).
type Place = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<(i64, i64)>,
);
const PLACES: &[Place] = &[
    (
        "Mumbai",
        "Maharashtra",
        "India",
        "+91",
        "Indian",
        Some((400_001, 400_104)),
    ),
    (
        "Pune",
        "Maharashtra",
        "India",
        "+91",
        "Indian",
        Some((411_001, 411_062)),
    ),
    (
        "Bengaluru",
        "Karnataka",
        "India",
        "+91",
        "Indian",
        Some((560_001, 560_110)),
    ),
    (
        "Jaipur",
        "Rajasthan",
        "India",
        "+91",
        "Indian",
        Some((302_001, 302_040)),
    ),
    (
        "Kochi",
        "Kerala",
        "India",
        "+91",
        "Indian",
        Some((682_001, 682_040)),
    ),
    (
        "Kolkata",
        "West Bengal",
        "India",
        "+91",
        "Indian",
        Some((700_001, 700_160)),
    ),
    (
        "Shillong",
        "Meghalaya",
        "India",
        "+91",
        "Indian",
        Some((793_001, 793_022)),
    ),
    (
        "Varanasi",
        "Uttar Pradesh",
        "India",
        "+91",
        "Indian",
        Some((221_001, 221_011)),
    ),
    (
        "Ahmedabad",
        "Gujarat",
        "India",
        "+91",
        "Indian",
        Some((380_001, 380_061)),
    ),
    (
        "Chennai",
        "Tamil Nadu",
        "India",
        "+91",
        "Indian",
        Some((600_001, 600_130)),
    ),
    (
        "Gangtok",
        "Sikkim",
        "India",
        "+91",
        "Indian",
        Some((737_101, 737_135)),
    ),
    (
        "Kathmandu",
        "Bagmati",
        "Nepal",
        "+977",
        "Nepali",
        Some((44_600, 44_621)),
    ),
    (
        "Colombo",
        "Western Province",
        "Sri Lanka",
        "+94",
        "Sri Lankan",
        Some((100, 1_500)),
    ),
    (
        "Nairobi",
        "Nairobi County",
        "Kenya",
        "+254",
        "Kenyan",
        Some((100, 600)),
    ),
    (
        "London",
        "England",
        "United Kingdom",
        "+44",
        "British",
        None,
    ),
    ("Lisbon", "Lisboa", "Portugal", "+351", "Portuguese", None),
];
const GENDERS: &[&str] = &["female", "male", "female", "male", "non-binary"];
const ETHNICITIES: &[&str] = &["South Asian", "East Asian", "African", "European", "Mixed"];
const QUALIFICATIONS: &[&str] = &[
    "Higher Secondary",
    "B.Com",
    "B.A. Sociology",
    "B.Des. Textile Design",
    "B.Tech",
    "M.Sc. Environmental Science",
    "MBA",
    "Diploma in Hotel Management",
    "Ph.D. Anthropology",
    "M.A. Psychology",
];
const PROFESSIONS: &[&str] = &[
    "Textile artisan",
    "Social worker",
    "Grief counsellor",
    "Organic farmer",
    "Tour operator",
    "Software engineer",
    "Teacher",
    "Student",
    "Chef",
    "Potter",
    "Photographer",
    "Homemaker",
    "Folk musician",
    "NGO coordinator",
];
const PURPOSES: &[&str] = &["SHOP", "SELL", "VOLUNTEER", "DONATE", "LEARN"];

/// Per cause: item name and price range (rupees).
const CATALOG: &[(&[(&str, i64, i64)], &str)] = &[
    (
        &[
            ("Memory journal with pressed-flower cover", 450, 1_200),
            ("Remembrance candle set (soy wax, 3 pcs)", 350, 900),
            ("Seed-paper memorial cards (pack of 20)", 250, 700),
            (
                "One-to-one grief support session (60 min, online)",
                800,
                2_500,
            ),
            ("Keepsake box in reclaimed teak", 1_200, 3_500),
            ("Hand-embroidered memory cushion cover", 700, 1_800),
        ],
        "Made with care for families going through loss; part of every sale funds free peer-support circles.",
    ),
    (
        &[
            ("Handloom Ikat cotton saree", 3_500, 12_000),
            ("Upcycled denim tote bag", 600, 1_600),
            ("Khadi kurta in natural indigo", 1_400, 3_200),
            ("Block-printed Ajrakh stole", 900, 2_400),
            ("Banana-fibre sling bag", 700, 1_900),
            ("Organic cotton kids' romper", 500, 1_300),
        ],
        "Woven and dyed by hand with natural colours; no synthetic fibres and plastic-free packaging.",
    ),
    (
        &[
            ("Weekend homestay in Spiti valley", 6_000, 18_000),
            ("Guided heritage walk through Old Delhi", 700, 2_000),
            ("Community-run eco-camp in Meghalaya", 4_500, 14_000),
            ("Backwater kayak trail, Kochi", 1_500, 4_000),
            ("Village craft tour of Kutch", 3_000, 9_000),
            ("Birding trek in the Western Ghats", 2_500, 7_500),
        ],
        "Run by the local community, which keeps most of the fee; small groups and no single-use plastic.",
    ),
    (
        &[
            ("Madhubani painting workshop (2 sessions)", 1_200, 3_500),
            ("Warli art on canvas, A3", 1_800, 5_000),
            ("Hand-carved Kathakali mask", 2_500, 8_000),
            ("Pattachitra scroll, natural pigments", 3_000, 11_000),
            ("Baul folk music evening (livestream pass)", 300, 900),
            ("Dhokra brass figurine", 1_100, 4_200),
        ],
        "Created by traditional artists keeping a living heritage alive; every piece is signed.",
    ),
    (
        &[
            ("Cold-pressed groundnut oil, 1 L", 320, 650),
            ("Millet breakfast combo (4 packs)", 450, 1_100),
            ("Heirloom rice sampler (5 varieties)", 600, 1_500),
            ("Wild forest honey from the Nilgiris, 500 g", 450, 1_200),
            ("Lakadong turmeric powder, 250 g", 250, 600),
            ("Farm-to-table vegetable box (monthly)", 1_800, 4_500),
        ],
        "Grown without chemicals by a farmer-producer collective and packed in compostable pouches.",
    ),
];
const CAUSES: [CausesEnum; 5] = [
    CausesEnum::GriefCare,
    CausesEnum::SustainableFashion,
    CausesEnum::SustainableTourism,
    CausesEnum::IntangibleCultureAndHeritage,
    CausesEnum::SustainableFoodAndAgriculture,
];

const BUYER_LINES: &[&str] = &[
    "Is this available in a smaller size?",
    "What's the delivery time to my pincode?",
    "Just placed my order, so excited!",
    "Can you share a few more photos of the finish?",
    "The colours are even better in person.",
    "Do you ship outside India?",
    "Payment done via UPI, please confirm when you can.",
    "Loved the packaging, not a bit of plastic.",
    "Will there be a restock before the festive season?",
    "Is a bulk order possible for our NGO's volunteers?",
    "Thank you for supporting the artisans 🙏",
    "Received it today. Beautiful work!",
    "Could you gift-wrap it with a note?",
    "How should I care for it / store it?",
    "Are there any dates free next month?",
];
const VENDOR_LINES: &[&str] = &[
    "Dispatched today, the tracking link is in your email.",
    "Yes, we can do that. I'll message you the details.",
    "Thank you so much! Please share a photo when it arrives.",
    "Restock is planned for the first week of next month.",
    "Bulk orders get 10% off, and 5% goes to the cause fund.",
    "Sharing a short video of how it's made.",
    "Noted, we'll add a handwritten note.",
];
const REVIEW_LINES: &[&str] = &[
    "Hi! I had a look at this listing before publishing.",
    "Could you upload photos of at least 1200 px on the long side?",
    "The description should say who makes it and where.",
    "Updated the photos and the description, please check again.",
    "Thanks, this looks much better now.",
    "Please confirm the MRP printed on the pack.",
];
const COMMUNITY_LINES: &[&str] = &[
    "Welcome to everyone who joined this week!",
    "Any recommendations for handloom sellers in Kolkata?",
    "Our grief circle meets online every Sunday at 6 pm.",
    "Sharing photos from the farmers' market yesterday.",
    "Does anyone know a good homestay near Shillong?",
    "Reminder: be kind, and keep promotions to the product groups.",
    "Just finished the Madhubani workshop, highly recommend it.",
];

/// A user's facts the main database needs.
struct UserInfo {
    id: i32,
    created: NaiveDateTime,
    active: bool,
    vendor: bool,
}

/// A time in `a..b` (`a` when the range is empty).
fn between(rng: &mut Rng, a: NaiveDateTime, b: NaiveDateTime) -> NaiveDateTime {
    a + Duration::seconds(rng.range(0, (b - a).num_seconds()))
}

/// `t` (UTC) as a zoned time.
fn tz(t: NaiveDateTime) -> DateTimeWithTimeZone {
    t.and_utc().fixed_offset()
}

/// A generator for `purpose` and block `unit`.
fn unit_rng(purpose: u64, unit: u32) -> Rng {
    Rng::new(purpose ^ (u64::from(unit) + 1).wrapping_mul(0xD1B5_4A32_D192_ED03))
}

fn platform(rng: &mut Rng) -> PlatformTypesEnum {
    match rng.below(20) {
        0..=10 => PlatformTypesEnum::DeedO,
        11..=15 => PlatformTypesEnum::CauseI,
        _ => PlatformTypesEnum::Dobe,
    }
}

/// The users of block `unit`, with the facts later tables need.
fn build_users(unit: u32) -> Result<(Vec<users::ActiveModel>, Vec<UserInfo>), ApiError> {
    let mut rng = unit_rng(SEED_USERS, unit);
    let base = i32::try_from(unit)
        .ok()
        .and_then(|u| u.checked_mul(USERS_PER_UNIT))
        .ok_or_else(|| ApiError::Internal("deed_o seed: scale too large".into()))?;
    let mut rows = Vec::with_capacity(USERS_PER_UNIT as usize);
    let mut infos = Vec::with_capacity(USERS_PER_UNIT as usize);
    for id in base + 1..=base + USERS_PER_UNIT {
        let (first, last) = match id {
            1 => ("Aditi", "Rao"),
            2 => ("Vikram", "Menon"),
            _ => (*rng.pick(FIRST), *rng.pick(LAST)),
        };
        let email = match id {
            1 => "admin@deed-o.demo".to_owned(),
            2 => "moderator@deed-o.demo".to_owned(),
            _ => format!(
                "{}.{}{id}@{}",
                first.to_lowercase(),
                last.to_lowercase().replace('\'', ""),
                rng.pick(DOMAINS)
            ),
        };
        let role = match id {
            1 => UsersRolesEnum::Admin,
            2 => UsersRolesEnum::Moderator,
            _ => UsersRolesEnum::User,
        };
        let status = match (id, rng.below(20)) {
            (1 | 2, _) | (_, 0..=12) => UsersStatusesEnum::Verified,
            (_, 13..=17) => UsersStatusesEnum::NotVerified,
            _ => UsersStatusesEnum::Inactive,
        };
        let verified = status == UsersStatusesEnum::Verified;
        let place = if id <= 2 {
            &PLACES[2]
        } else {
            rng.pick(PLACES)
        };
        let created = match id {
            1 => super::epoch() - Duration::days(1_000),
            2 => super::epoch() - Duration::days(980),
            _ => rng.time_before(900),
        };
        let deleted = (status == UsersStatusesEnum::Inactive && rng.chance(0.4))
            .then(|| between(&mut rng, created, epoch()));
        let updated = deleted.unwrap_or_else(|| between(&mut rng, created, epoch()));
        let has_phone = id <= 2 || rng.chance(0.8);
        let profile = verified || rng.chance(0.3);
        let dob = NaiveDate::from_ymd_opt(
            i32::try_from(rng.range(1962, 2007)).unwrap_or(1990),
            u32::try_from(rng.range(1, 13)).unwrap_or(1),
            u32::try_from(rng.range(1, 29)).unwrap_or(1),
        );
        rows.push(users::ActiveModel {
            id: Set(id),
            email: Set(email),
            name: Set(Some(format!("{first} {last}"))),
            contact_number: Set(has_phone.then(|| rng.range(6_000_000_000, 9_999_999_999))),
            contact_number_country_code: Set(has_phone.then(|| place.3.to_owned())),
            city: Set(profile.then(|| place.0.to_owned())),
            state: Set(profile.then(|| place.1.to_owned())),
            country: Set(Some(place.2.to_owned())),
            pincode: Set(place
                .5
                .filter(|_| profile)
                .and_then(|(lo, hi)| i32::try_from(rng.range(lo, hi + 1)).ok())),
            gender: Set(rng.chance(0.9).then(|| (*rng.pick(GENDERS)).to_owned())),
            dob: Set(dob.filter(|_| profile)),
            status: Set(status.clone()),
            registration_platform: Set(if id <= 2 {
                PlatformTypesEnum::DeedO
            } else {
                platform(&mut rng)
            }),
            purpose_code: Set(profile.then(|| (*rng.pick(PURPOSES)).to_owned())),
            nationality: Set(profile.then(|| place.4.to_owned())),
            ethnicity: Set(rng.chance(0.4).then(|| (*rng.pick(ETHNICITIES)).to_owned())),
            qualification: Set(profile.then(|| (*rng.pick(QUALIFICATIONS)).to_owned())),
            profession: Set(profile.then(|| (*rng.pick(PROFESSIONS)).to_owned())),
            role: Set(role),
            is_online: Set(Some(deleted.is_none() && rng.chance(0.2))),
            created_at: Set(created),
            updated_at: Set(updated),
            deleted_at: Set(deleted),
        });
        infos.push(UserInfo {
            id,
            created,
            active: deleted.is_none() && status != UsersStatusesEnum::Inactive,
            vendor: id > 2 && verified,
        });
    }
    Ok((rows, infos))
}

/// Sessions and OTP verifications of the users of block `unit`.
fn build_auth(
    unit: u32,
    users: &[users::ActiveModel],
    tokens_out: &mut Vec<tokens::ActiveModel>,
    verifs_out: &mut Vec<user_verifications::ActiveModel>,
) {
    let mut rng = unit_rng(SEED_TOKENS, unit);
    for u in users {
        let (Set(id), Set(created), Set(status), Set(reg), Set(phone)) = (
            &u.id,
            &u.created_at,
            &u.status,
            &u.registration_platform,
            &u.contact_number,
        ) else {
            continue;
        };
        let (id, created) = (*id, *created);
        let deleted = matches!(&u.deleted_at, Set(Some(_)));
        let source = |rng: &mut Rng| {
            if phone.is_some() && rng.chance(0.3) {
                "sms"
            } else {
                "email"
            }
        };
        let verified = *status == UsersStatusesEnum::Verified;
        // The registration OTP, then logins of verified users (the newest may be pending).
        let sent = created + Duration::seconds(rng.range(1, 30));
        let mut otps = vec![(
            sent,
            UserVerificationActionsEnum::Register,
            reg.clone(),
            verified,
        )];
        if *status == UsersStatusesEnum::NotVerified && rng.chance(0.5) {
            let again = sent + Duration::minutes(rng.range(11, 600));
            otps.push((
                again,
                UserVerificationActionsEnum::Register,
                reg.clone(),
                false,
            ));
        }
        if verified && !deleted {
            let logins = rng.range(0, 4);
            for i in 0..logins {
                let at = between(&mut rng, created, epoch());
                let ok = i + 1 < logins || rng.chance(0.8);
                let plat = if rng.chance(0.7) {
                    reg.clone()
                } else {
                    platform(&mut rng)
                };
                otps.push((at, UserVerificationActionsEnum::Login, plat, ok));
            }
        }
        for (at, action, plat, ok) in otps {
            let done = if ok {
                at + Duration::seconds(rng.range(15, 540))
            } else {
                at
            };
            verifs_out.push(user_verifications::ActiveModel {
                id: Set(rng.uuid()),
                user_id: Set(id),
                otp_code: Set(format!("{:06}", rng.range(0, 1_000_000))),
                verification_source: Set(source(&mut rng).to_owned()),
                action_platform: Set(plat),
                action: Set(action),
                verified: Set(ok),
                expire_at: Set(tz(at + Duration::minutes(10))),
                created_at: Set(tz(at)),
                updated_at: Set(tz(done)),
            });
        }
        // Sessions: verified users 1–3 (some expired), inactive ones at most an expired one.
        let sessions = match status {
            _ if id == 1 => 2,
            UsersStatusesEnum::Verified if !deleted => rng.range(1, 4),
            UsersStatusesEnum::Inactive => rng.range(0, 2),
            _ => 0,
        };
        for i in 0..sessions {
            let issued = if id == 1 && i == 0 {
                epoch() - Duration::days(1)
            } else {
                between(&mut rng, created, epoch())
            };
            let plat = if i == 0 {
                reg.clone()
            } else {
                platform(&mut rng)
            };
            tokens_out.push(tokens::ActiveModel {
                id: NotSet,
                user_id: Set(id),
                expire_at: Set(tz(issued + Duration::days(30))),
                platform_type: Set(plat),
            });
        }
    }
}

/// One message's content: text, attachments or both (never neither).
fn content(rng: &mut Rng, text: &str) -> (Option<String>, serde_json::Value) {
    let kind = rng.below(20);
    let attachments = if kind >= 15 {
        let n = if rng.chance(0.2) { 2 } else { 1 };
        (0..n)
            .map(|_| {
                let (ty, ext) = *rng.pick(&[
                    ("image", "jpg"),
                    ("image", "png"),
                    ("video", "mp4"),
                    ("audio", "m4a"),
                    ("file", "pdf"),
                ]);
                json!({
                    "url": format!("https://cdn.deed-o.demo/chat/{}.{ext}", rng.uuid()),
                    "type": ty,
                })
            })
            .collect()
    } else {
        Vec::new()
    };
    let text = (kind < 18).then(|| text.to_owned());
    (text, serde_json::Value::Array(attachments))
}

/// A group with its messages, appended to the outputs.
#[allow(clippy::too_many_arguments)]
fn build_group(
    rng: &mut Rng,
    name: String,
    product_id: Option<String>,
    mut members: Vec<i32>,
    lead: i32,
    after: NaiveDateTime,
    lines: &[&str],
    groups_out: &mut Vec<groups::ActiveModel>,
    messages_out: &mut Vec<messages::ActiveModel>,
) {
    members.sort_unstable();
    members.dedup();
    let id = rng.uuid();
    let created = between(rng, after, epoch() - Duration::days(1));
    let n = rng.range(3, 15);
    let step = ((epoch() - created).num_seconds() / (n + 1)).max(61);
    let mut at = created;
    for i in 0..n {
        at += Duration::seconds(rng.range(60, step));
        let sender = if i == 0 || rng.chance(0.3) {
            lead
        } else {
            *rng.pick(&members)
        };
        let line = if i == 0 && sender == lead {
            lines[0]
        } else {
            *rng.pick(lines)
        };
        let (text, attachments) = content(rng, line);
        let fresh = n - i <= 2;
        let read_by: Vec<i32> = members
            .iter()
            .copied()
            .filter(|&m| m != sender && rng.chance(if fresh { 0.4 } else { 0.9 }))
            .collect();
        messages_out.push(messages::ActiveModel {
            id: Set(rng.uuid()),
            sender_id: Set(sender),
            group_id: Set(id),
            text: Set(text),
            attachments: Set(Some(attachments)),
            read_by: Set(Some(json!(read_by))),
            timestamp: Set(Some(at)),
        });
    }
    groups_out.push(groups::ActiveModel {
        id: Set(id),
        name: Set(name),
        product_id: Set(product_id),
        members: Set(Some(json!(members))),
        // Set (with `updated_at` = the newest message) once the messages exist.
        last_message_id: Set(None),
        created_at: Set(Some(created)),
        updated_at: Set(Some(created)),
    });
}

/// Products, groups and messages of block `unit`.
fn build_main(
    unit: u32,
    infos: &[UserInfo],
    products_out: &mut Vec<products::ActiveModel>,
    groups_out: &mut Vec<groups::ActiveModel>,
    messages_out: &mut Vec<messages::ActiveModel>,
) {
    let mut rng = unit_rng(SEED_PRODUCTS, unit);
    let mut chat = unit_rng(SEED_CHAT, unit);
    let active: Vec<&UserInfo> = infos.iter().filter(|u| u.active && u.id > 2).collect();
    let mut vendors: Vec<&UserInfo> = infos.iter().filter(|u| u.vendor && u.active).collect();
    if vendors.is_empty() {
        vendors.clone_from(&active);
    }
    vendors.truncate(7);
    let Some(first) = infos.first() else { return };
    let pick_members = |rng: &mut Rng, count: usize| -> Vec<i32> {
        (0..count)
            .filter_map(|_| (!active.is_empty()).then(|| rng.pick(&active).id))
            .collect()
    };
    for i in 0..PRODUCTS_PER_UNIT {
        let vendor = vendors
            .get(rng.below(vendors.len()))
            .copied()
            .unwrap_or(first);
        let c = (i + unit as usize) % CAUSES.len();
        let (items, blurb) = CATALOG[c];
        let (item, lo, hi) = *rng.pick(items);
        let mrp = (rng.range(lo, hi) / 10) * 10 + 9;
        let selling = if rng.chance(0.25) {
            mrp
        } else {
            mrp * rng.range(60, 100) / 100
        };
        let status = match (i, rng.below(20)) {
            (0, _) | (4.., 0..=10) => PublishingStatusEnum::Published,
            (1, _) | (4.., 11..=14) => PublishingStatusEnum::Draft,
            (2, _) | (4.., 15..=17) => PublishingStatusEnum::Suggestion,
            _ => PublishingStatusEnum::Rejected,
        };
        let id = format!("IM_{}", rng.nanoid(16));
        let created = between(
            &mut rng,
            vendor.created + Duration::hours(2),
            epoch() - Duration::days(2),
        );
        let updated = between(&mut rng, created, epoch());
        let images: Vec<String> = (1..=rng.range(1, 5))
            .map(|n| format!("https://cdn.deed-o.demo/products/{id}/{n}.jpg"))
            .collect();
        let remark = match status {
            PublishingStatusEnum::Rejected => Some(
                (*rng.pick(&[
                    "Photos are too low-resolution; please upload at least 1200 px.",
                    "Listing duplicates an existing product of this vendor.",
                    "Cause does not match the product; please recategorise.",
                ]))
                .to_owned(),
            ),
            PublishingStatusEnum::Suggestion => Some(
                "Suggested for the next festive collection; awaiting vendor confirmation."
                    .to_owned(),
            ),
            PublishingStatusEnum::Published if rng.chance(0.15) => {
                Some("Featured on the home page.".to_owned())
            }
            _ => None,
        };
        let title = item.to_owned();
        let slug: String = title
            .to_lowercase()
            .chars()
            .map(|ch| if ch.is_ascii_alphanumeric() { ch } else { '-' })
            .collect();
        let slug = slug
            .split('-')
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("-");
        products_out.push(products::ActiveModel {
            id: Set(id.clone()),
            cause: Set(CAUSES[c].clone()),
            mrp: Set(mrp as f64),
            selling_price: Set(selling as f64),
            vendor_id: Set(vendor.id),
            images: Set(json!(images)),
            title: Set(title.clone()),
            description: Set(format!("{item}. {blurb}")),
            product_url: Set(format!(
                "https://shop.deed-o.demo/p/{slug}-{}",
                id.to_lowercase()
            )),
            publishing_status: Set(status.clone()),
            created_at: Set(created),
            updated_at: Set(updated),
            remark: Set(remark),
        });
        match status {
            PublishingStatusEnum::Published => {
                let mut buyer_lines = vec!["Hi everyone! Ask me anything about this piece."];
                buyer_lines.extend_from_slice(BUYER_LINES);
                buyer_lines.extend_from_slice(VENDOR_LINES);
                for g in 0..chat.range(1, 4) {
                    let count = chat.below(5) + 2;
                    let mut members = pick_members(&mut chat, count);
                    members.push(vendor.id);
                    if chat.chance(0.25) {
                        members.push(2);
                    }
                    let name = match g {
                        0 => format!("{title} · buyers"),
                        1 => format!("Ask the maker: {title}"),
                        _ => format!("{title} · group order"),
                    };
                    build_group(
                        &mut chat,
                        name,
                        Some(id.clone()),
                        members,
                        vendor.id,
                        created,
                        &buyer_lines,
                        groups_out,
                        messages_out,
                    );
                }
            }
            PublishingStatusEnum::Suggestion | PublishingStatusEnum::Rejected => {
                build_group(
                    &mut chat,
                    format!("Review: {title}"),
                    Some(id.clone()),
                    vec![2, vendor.id],
                    2,
                    created,
                    REVIEW_LINES,
                    groups_out,
                    messages_out,
                );
            }
            PublishingStatusEnum::Draft => {}
        }
    }
    // One community group per block, led by the moderator (no product).
    let count = chat.below(6) + 6;
    let mut members = pick_members(&mut chat, count);
    members.extend([1, 2]);
    let city = PLACES[unit as usize % PLACES.len()].0;
    build_group(
        &mut chat,
        format!("Deed-O community · {city} #{}", unit + 1),
        None,
        members,
        2,
        first.created,
        COMMUNITY_LINES,
        groups_out,
        messages_out,
    );
}

/// Writes demo data at `scale` into empty `deed_o` databases (auth and main).
pub async fn seed(conns: &Connections, scale: u32) -> Result<(), ApiError> {
    let auth = conns.get(Database::DeedOAuth)?;
    let main = conns.get(Database::DeedO)?;
    if has_rows(auth, "users").await? || has_rows(main, "products").await? {
        return Ok(());
    }
    let units = scale.max(1);
    let mut totals = [0usize; 6];
    let mut start = 0;
    while start < units {
        let end = (start + UNITS_PER_CHUNK).min(units);
        let (mut us, mut ts, mut vs) = (Vec::new(), Vec::new(), Vec::new());
        let (mut ps, mut gs, mut ms) = (Vec::new(), Vec::new(), Vec::new());
        for unit in start..end {
            let (rows, infos) = build_users(unit)?;
            build_auth(unit, &rows, &mut ts, &mut vs);
            build_main(unit, &infos, &mut ps, &mut gs, &mut ms);
            us.extend(rows);
        }
        for (t, n) in
            totals
                .iter_mut()
                .zip([us.len(), ts.len(), vs.len(), ps.len(), gs.len(), ms.len()])
        {
            *t += n;
        }
        insert_all(auth, us, 23).await?;
        insert_all(auth, ts, 3).await?;
        insert_all(auth, vs, 10).await?;
        insert_all(main, ps, 13).await?;
        insert_all(main, gs, 7).await?;
        insert_all(main, ms, 7).await?;
        start = end;
    }
    if auth.get_database_backend() == DbBackend::Postgres {
        // Explicit ids do not move the identity sequence: later sign-ups start after them.
        auth.execute_unprepared(
            "SELECT setval(pg_get_serial_sequence('users', 'id'), (SELECT MAX(\"id\") FROM \"users\"))",
        )
        .await?;
    }
    // The circular key: each group's newest message (ties broken by id), and its time as
    // `updated_at` (a changed `updated_at` also keeps the touch trigger out of the way).
    main.execute_unprepared(
        r#"UPDATE "groups" SET
  "last_message_id" = (SELECT m."id" FROM "messages" m WHERE m."group_id" = "groups"."id"
                       ORDER BY m."timestamp" DESC, m."id" DESC LIMIT 1),
  "updated_at" = (SELECT MAX(m."timestamp") FROM "messages" m WHERE m."group_id" = "groups"."id")
WHERE "last_message_id" IS NULL
  AND EXISTS (SELECT 1 FROM "messages" m WHERE m."group_id" = "groups"."id")"#,
    )
    .await?;
    tracing::info!(
        users = totals[0],
        tokens = totals[1],
        user_verifications = totals[2],
        products = totals[3],
        groups = totals[4],
        messages = totals[5],
        "deed_o demo data written"
    );
    Ok(())
}
