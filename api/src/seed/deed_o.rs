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

#[rustfmt::skip]
const FIRST: &[&str] = &[
    "Aarav", "Ananya", "Ishaan", "Meera", "Kabir", "Diya", "Rohan", "Priya", "Arjun", "Kavya",
    "Siddharth", "Nandini", "Farhan", "Zoya", "Tenzin", "Lhamo", "Joseph", "Mariam", "Arnav",
    "Sneha", "Vivek", "Pooja", "Rahul", "Shreya", "Imran", "Fatima", "Karthik", "Lakshmi",
    "Devika", "Manoj", "Emma", "Lucas", "Amara", "Kwame", "Sofia", "Hiroshi", "Nima", "Sunita",
];
#[rustfmt::skip]
const LAST: &[&str] = &[
    "Sharma", "Iyer", "Nair", "Reddy", "Banerjee", "Chatterjee", "Khan", "Patel", "Gupta",
    "Menon", "Das", "Singh", "Kulkarni", "Joshi", "Bhutia", "D'Souza", "Fernandes", "Ahmed",
    "Pillai", "Mukherjee", "Shah", "Rao", "Sen", "Okafor", "Mensah", "Rossi", "Tanaka", "Gurung",
];
#[rustfmt::skip]
const DOMAINS: &[&str] = &["gmail.com", "outlook.com", "yahoo.in", "proton.me", "rediffmail.com"];

/// City, state, country, dialling code, nationality, pincode range (`None`: not numeric).
type Place = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<(i64, i64)>,
);
#[rustfmt::skip]
const PLACES: &[Place] = &[
    ("Mumbai", "Maharashtra", "India", "+91", "Indian", Some((400_001, 400_104))),
    ("Pune", "Maharashtra", "India", "+91", "Indian", Some((411_001, 411_062))),
    ("Bengaluru", "Karnataka", "India", "+91", "Indian", Some((560_001, 560_110))),
    ("Jaipur", "Rajasthan", "India", "+91", "Indian", Some((302_001, 302_040))),
    ("Kochi", "Kerala", "India", "+91", "Indian", Some((682_001, 682_040))),
    ("Kolkata", "West Bengal", "India", "+91", "Indian", Some((700_001, 700_160))),
    ("Shillong", "Meghalaya", "India", "+91", "Indian", Some((793_001, 793_022))),
    ("Varanasi", "Uttar Pradesh", "India", "+91", "Indian", Some((221_001, 221_011))),
    ("Ahmedabad", "Gujarat", "India", "+91", "Indian", Some((380_001, 380_061))),
    ("Chennai", "Tamil Nadu", "India", "+91", "Indian", Some((600_001, 600_130))),
    ("Gangtok", "Sikkim", "India", "+91", "Indian", Some((737_101, 737_135))),
    ("Kathmandu", "Bagmati", "Nepal", "+977", "Nepali", Some((44_600, 44_621))),
    ("Colombo", "Western Province", "Sri Lanka", "+94", "Sri Lankan", Some((100, 1_500))),
    ("Nairobi", "Nairobi County", "Kenya", "+254", "Kenyan", Some((100, 600))),
    ("London", "England", "United Kingdom", "+44", "British", None),
    ("Lisbon", "Lisboa", "Portugal", "+351", "Portuguese", None),
];
#[rustfmt::skip]
const GENDERS: &[&str] = &["female", "male", "female", "male", "non-binary"];
#[rustfmt::skip]
const ETHNICITIES: &[&str] = &["South Asian", "East Asian", "African", "European", "Mixed"];
#[rustfmt::skip]
const QUALIFICATIONS: &[&str] = &[
    "Higher Secondary", "B.Com", "B.A. Sociology", "B.Des. Textile Design", "B.Tech",
    "M.Sc. Environmental Science", "MBA", "Diploma in Hotel Management", "Ph.D. Anthropology",
    "M.A. Psychology",
];
#[rustfmt::skip]
const PROFESSIONS: &[&str] = &[
    "Textile artisan", "Social worker", "Grief counsellor", "Organic farmer", "Tour operator",
    "Software engineer", "Teacher", "Student", "Chef", "Potter", "Photographer", "Homemaker",
    "Folk musician", "NGO coordinator",
];
#[rustfmt::skip]
const PURPOSES: &[&str] = &["SHOP", "SELL", "VOLUNTEER", "DONATE", "LEARN"];

/// An item of the catalogue and its price range (rupees).
type Item = (&'static str, i64, i64);

/// Per cause (in [`CAUSES`] order): items and a blurb.
#[rustfmt::skip]
const CATALOG: &[(&[Item], &str)] = &[
    (&[
        ("Memory journal with pressed-flower cover", 450, 1_200),
        ("Remembrance candle set (soy wax, 3 pcs)", 350, 900),
        ("Seed-paper memorial cards (pack of 20)", 250, 700),
        ("One-to-one grief support session (60 min, online)", 800, 2_500),
        ("Keepsake box in reclaimed teak", 1_200, 3_500),
        ("Hand-embroidered memory cushion cover", 700, 1_800),
    ], "Made with care for families going through loss; part of every sale funds free peer-support circles."),
    (&[
        ("Handloom Ikat cotton saree", 3_500, 12_000),
        ("Upcycled denim tote bag", 600, 1_600),
        ("Khadi kurta in natural indigo", 1_400, 3_200),
        ("Block-printed Ajrakh stole", 900, 2_400),
        ("Banana-fibre sling bag", 700, 1_900),
        ("Organic cotton kids' romper", 500, 1_300),
    ], "Woven and dyed by hand with natural colours; no synthetic fibres and plastic-free packaging."),
    (&[
        ("Weekend homestay in Spiti valley", 6_000, 18_000),
        ("Guided heritage walk through Old Delhi", 700, 2_000),
        ("Community-run eco-camp in Meghalaya", 4_500, 14_000),
        ("Backwater kayak trail, Kochi", 1_500, 4_000),
        ("Village craft tour of Kutch", 3_000, 9_000),
        ("Birding trek in the Western Ghats", 2_500, 7_500),
    ], "Run by the local community, which keeps most of the fee; small groups and no single-use plastic."),
    (&[
        ("Madhubani painting workshop (2 sessions)", 1_200, 3_500),
        ("Warli art on canvas, A3", 1_800, 5_000),
        ("Hand-carved Kathakali mask", 2_500, 8_000),
        ("Pattachitra scroll, natural pigments", 3_000, 11_000),
        ("Baul folk music evening (livestream pass)", 300, 900),
        ("Dhokra brass figurine", 1_100, 4_200),
    ], "Created by traditional artists keeping a living heritage alive; every piece is signed."),
    (&[
        ("Cold-pressed groundnut oil, 1 L", 320, 650),
        ("Millet breakfast combo (4 packs)", 450, 1_100),
        ("Heirloom rice sampler (5 varieties)", 600, 1_500),
        ("Wild forest honey from the Nilgiris, 500 g", 450, 1_200),
        ("Lakadong turmeric powder, 250 g", 250, 600),
        ("Farm-to-table vegetable box (monthly)", 1_800, 4_500),
    ], "Grown without chemicals by a farmer-producer collective and packed in compostable pouches."),
];
const CAUSES: [CausesEnum; 5] = [
    CausesEnum::GriefCare,
    CausesEnum::SustainableFashion,
    CausesEnum::SustainableTourism,
    CausesEnum::IntangibleCultureAndHeritage,
    CausesEnum::SustainableFoodAndAgriculture,
];

#[rustfmt::skip]
const BUYER_LINES: &[&str] = &[
    "Is this available in a smaller size?", "What's the delivery time to my pincode?",
    "Just placed my order, so excited!", "Can you share a few more photos of the finish?",
    "The colours are even better in person.", "Do you ship outside India?",
    "Payment done via UPI, please confirm when you can.", "Loved the packaging, not a bit of plastic.",
    "Will there be a restock before the festive season?", "Is a bulk order possible for our NGO's volunteers?",
    "Thank you for supporting the artisans 🙏", "Received it today. Beautiful work!",
    "Could you gift-wrap it with a note?", "How should I care for it?",
    "Are there any dates free next month?",
];
#[rustfmt::skip]
const VENDOR_LINES: &[&str] = &[
    "Dispatched today, the tracking link is in your email.", "Yes, we can do that. I'll message you the details.",
    "Thank you so much! Please share a photo when it arrives.", "Restock is planned for the first week of next month.",
    "Bulk orders get 10% off, and 5% goes to the cause fund.", "Sharing a short video of how it's made.",
    "Noted, we'll add a handwritten note.",
];
#[rustfmt::skip]
const REVIEW_LINES: &[&str] = &[
    "Could you upload photos of at least 1200 px on the long side?", "The description should say who makes it and where.",
    "Thanks, this looks much better now.", "Please confirm the MRP printed on the pack.",
    "The selling price looks right; the cause tag needs a second look.",
];
#[rustfmt::skip]
const REVIEW_REPLIES: &[&str] = &[
    "Updated the photos and the description, please check again.", "Sure, I'll fix it today.",
    "The MRP on the pack is correct, attaching a photo.", "Could you tell me which cause fits better?",
];
#[rustfmt::skip]
const MODERATOR_LINES: &[&str] = &[
    "Reminder: be kind, and keep promotions to the product groups.",
    "This month's featured cause is sustainable food. Share your finds!",
    "We've pinned the community guidelines, please have a read.",
];
#[rustfmt::skip]
const COMMUNITY_LINES: &[&str] = &[
    "Any recommendations for handloom sellers in Kolkata?", "Our grief circle meets online every Sunday at 6 pm.",
    "Sharing photos from the farmers' market yesterday.", "Does anyone know a good homestay near Shillong?",
    "Just finished the Madhubani workshop, highly recommend it.",
    "Thank you all for the support after my mother passed. This circle helps.",
];
#[rustfmt::skip]
const ATTACHMENTS: &[(&str, &str)] =
    &[("image", "jpg"), ("image", "png"), ("video", "mp4"), ("audio", "m4a"), ("file", "pdf")];

/// A user's facts the other tables need.
struct UserInfo {
    id: i32,
    created: NaiveDateTime,
    status: UsersStatusesEnum,
    platform: PlatformTypesEnum,
    has_phone: bool,
    deleted: bool,
    active: bool,
    vendor: bool,
}

/// A group's conversation: the lead's opening line, the lead's lines, the other members' lines.
type Script<'a> = (&'a str, &'a [&'a str], &'a [&'a str]);

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

/// A platform, weighted towards Deed-O itself.
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
            1 => epoch() - Duration::days(1_000),
            2 => epoch() - Duration::days(980),
            _ => rng.time_before(900),
        };
        let deleted = (status == UsersStatusesEnum::Inactive && rng.chance(0.4))
            .then(|| between(&mut rng, created, epoch()));
        let updated = deleted.unwrap_or_else(|| between(&mut rng, created, epoch()));
        let has_phone = id <= 2 || rng.chance(0.8);
        let profile = verified || rng.chance(0.3);
        let reg = if id <= 2 {
            PlatformTypesEnum::DeedO
        } else {
            platform(&mut rng)
        };
        let dob = NaiveDate::from_ymd_opt(
            i32::try_from(rng.range(1962, 2007)).unwrap_or(1990),
            u32::try_from(rng.range(1, 13)).unwrap_or(1),
            u32::try_from(rng.range(1, 29)).unwrap_or(1),
        );
        let text = |rng: &mut Rng, items: &[&str]| profile.then(|| (*rng.pick(items)).to_owned());
        rows.push(users::ActiveModel {
            id: Set(id),
            email: Set(email),
            name: Set(Some(format!("{first} {last}"))),
            contact_number: Set(has_phone.then(|| rng.range(6_000_000_000, 10_000_000_000))),
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
            registration_platform: Set(reg.clone()),
            purpose_code: Set(text(&mut rng, PURPOSES)),
            nationality: Set(profile.then(|| place.4.to_owned())),
            ethnicity: Set(rng.chance(0.4).then(|| (*rng.pick(ETHNICITIES)).to_owned())),
            qualification: Set(text(&mut rng, QUALIFICATIONS)),
            profession: Set(text(&mut rng, PROFESSIONS)),
            role: Set(role),
            is_online: Set(Some(verified && deleted.is_none() && rng.chance(0.2))),
            created_at: Set(created),
            updated_at: Set(updated),
            deleted_at: Set(deleted),
        });
        infos.push(UserInfo {
            id,
            created,
            platform: reg,
            has_phone,
            deleted: deleted.is_some(),
            // Only verified, not deleted users sign in, chat and sell.
            active: deleted.is_none() && verified,
            // Vendors joined at least a few days before they list anything.
            vendor: id > 2 && verified && created < epoch() - Duration::days(5),
            status,
        });
    }
    Ok((rows, infos))
}

/// Sessions and OTP verifications of the users of block `unit`.
fn build_auth(
    unit: u32,
    infos: &[UserInfo],
    tokens_out: &mut Vec<tokens::ActiveModel>,
    verifs_out: &mut Vec<user_verifications::ActiveModel>,
) {
    let mut rng = unit_rng(SEED_TOKENS, unit);
    for u in infos {
        let verified = u.status == UsersStatusesEnum::Verified;
        // The registration OTP, then logins of verified users (the newest may be pending).
        let sent = u.created + Duration::seconds(rng.range(1, 30));
        let register = UserVerificationActionsEnum::Register;
        let mut otps = vec![(sent, register.clone(), u.platform.clone(), verified)];
        if u.status == UsersStatusesEnum::NotVerified && rng.chance(0.5) {
            let again = sent + Duration::minutes(rng.range(11, 600));
            otps.push((again, register, u.platform.clone(), false));
        }
        if verified && !u.deleted {
            let logins = rng.range(0, 4);
            for i in 0..logins {
                let at = between(&mut rng, u.created + Duration::hours(1), epoch());
                let ok = i + 1 < logins || rng.chance(0.8);
                let plat = if rng.chance(0.7) {
                    u.platform.clone()
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
            let source = if u.has_phone && rng.chance(0.3) {
                "sms"
            } else {
                "email"
            };
            verifs_out.push(user_verifications::ActiveModel {
                id: Set(rng.uuid()),
                user_id: Set(u.id),
                otp_code: Set(format!("{:06}", rng.range(0, 1_000_000))),
                verification_source: Set(source.to_owned()),
                action_platform: Set(plat),
                action: Set(action),
                verified: Set(ok),
                expire_at: Set(tz(at + Duration::minutes(10))),
                created_at: Set(tz(at)),
                updated_at: Set(tz(done)),
            });
        }
        // Sessions: verified users 1–3 (some expired), inactive ones at most an expired one.
        let sessions = match u.status {
            _ if u.id == 1 => 2,
            UsersStatusesEnum::Verified if !u.deleted => rng.range(1, 4),
            UsersStatusesEnum::Inactive => rng.range(0, 2),
            _ => 0,
        };
        for i in 0..sessions {
            let issued = if u.id == 1 && i == 0 {
                epoch() - Duration::days(1)
            } else {
                between(&mut rng, u.created, epoch())
            };
            let plat = if i == 0 {
                u.platform.clone()
            } else {
                platform(&mut rng)
            };
            tokens_out.push(tokens::ActiveModel {
                id: NotSet,
                user_id: Set(u.id),
                expire_at: Set(tz(issued + Duration::days(30))),
                platform_type: Set(plat),
            });
        }
    }
}

/// One message's content: text, attachments or both (never neither).
fn content(rng: &mut Rng, text: &str) -> (Option<String>, serde_json::Value) {
    let kind = rng.below(20);
    let count = match kind {
        0..=14 => 0,
        _ if rng.chance(0.2) => 2,
        _ => 1,
    };
    let attachments: Vec<serde_json::Value> = (0..count)
        .map(|_| {
            let (ty, ext) = *rng.pick(ATTACHMENTS);
            let url = format!("https://cdn.deed-o.demo/chat/{}.{ext}", rng.uuid());
            json!({ "url": url, "type": ty })
        })
        .collect();
    ((kind < 18).then(|| text.to_owned()), json!(attachments))
}

/// Where [`build_group`] appends its rows.
struct Out<'a> {
    groups: &'a mut Vec<groups::ActiveModel>,
    messages: &'a mut Vec<messages::ActiveModel>,
}

/// A group led by `lead`, created after `after`, with its messages (senders and readers are
/// members).
fn build_group(
    rng: &mut Rng,
    (name, product_id): (String, Option<String>),
    mut members: Vec<i32>,
    lead: i32,
    after: NaiveDateTime,
    (opening, lead_lines, member_lines): Script<'_>,
    out: &mut Out<'_>,
) {
    members.push(lead);
    members.sort_unstable();
    members.dedup();
    let id = rng.uuid();
    let latest = epoch() - Duration::days(1);
    let created = between(rng, after.min(latest - Duration::days(1)), latest);
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
        let line = match (i, sender == lead) {
            (0, _) => opening,
            (_, true) => *rng.pick(lead_lines),
            (_, false) => *rng.pick(member_lines),
        };
        let (text, attachments) = content(rng, line);
        // Older messages have mostly been read; the newest two by fewer members.
        let p = if n - i <= 2 { 0.4 } else { 0.9 };
        let read_by: Vec<i32> = members
            .iter()
            .copied()
            .filter(|&m| m != sender && rng.chance(p))
            .collect();
        out.messages.push(messages::ActiveModel {
            id: Set(rng.uuid()),
            sender_id: Set(sender),
            group_id: Set(id),
            text: Set(text),
            attachments: Set(Some(attachments)),
            read_by: Set(Some(json!(read_by))),
            timestamp: Set(Some(at)),
        });
    }
    out.groups.push(groups::ActiveModel {
        id: Set(id),
        name: Set(name),
        product_id: Set(product_id),
        members: Set(Some(json!(members))),
        // Set (with `updated_at` = the newest message's time) once the messages exist.
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
    out: &mut Out<'_>,
) {
    let mut rng = unit_rng(SEED_PRODUCTS, unit);
    let mut chat = unit_rng(SEED_CHAT, unit);
    let Some(first) = infos.first() else { return };
    let active: Vec<&UserInfo> = infos.iter().filter(|u| u.active && u.id > 2).collect();
    let mut vendors: Vec<&UserInfo> = infos.iter().filter(|u| u.vendor && u.active).collect();
    vendors.truncate(7);
    let pick_members = |rng: &mut Rng, count: usize| -> Vec<i32> {
        if active.is_empty() {
            return Vec::new();
        }
        (0..count).map(|_| rng.pick(&active).id).collect()
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
        // Every block has each status at least once.
        let status = match (i, rng.below(20)) {
            (0, _) | (4.., 0..=10) => PublishingStatusEnum::Published,
            (1, _) | (4.., 11..=14) => PublishingStatusEnum::Draft,
            (2, _) | (4.., 15..=17) => PublishingStatusEnum::Suggestion,
            _ => PublishingStatusEnum::Rejected,
        };
        let id = format!("IM_{}", rng.nanoid(16));
        let latest = epoch() - Duration::days(2);
        let created = between(
            &mut rng,
            (vendor.created + Duration::hours(2)).min(latest),
            latest,
        );
        let updated = between(&mut rng, created, epoch());
        let images: Vec<String> = (1..=rng.range(1, 5))
            .map(|n| format!("https://cdn.deed-o.demo/products/{id}/{n}.jpg"))
            .collect();
        let remark = match status {
            PublishingStatusEnum::Rejected => Some(*rng.pick(&[
                "Photos are too low-resolution; please upload at least 1200 px.",
                "Listing duplicates an existing product of this vendor.",
                "Cause does not match the product; please recategorise.",
            ])),
            PublishingStatusEnum::Suggestion => {
                Some("Suggested for the festive collection; awaiting vendor confirmation.")
            }
            PublishingStatusEnum::Published if rng.chance(0.15) => {
                Some("Featured on the home page.")
            }
            _ => None,
        };
        let slug = item
            .to_lowercase()
            .split(|ch: char| !ch.is_ascii_alphanumeric())
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
            title: Set(item.to_owned()),
            description: Set(format!("{item}. {blurb}")),
            product_url: Set(format!(
                "https://shop.deed-o.demo/p/{slug}-{}",
                id.to_lowercase()
            )),
            publishing_status: Set(status.clone()),
            created_at: Set(created),
            updated_at: Set(updated),
            remark: Set(remark.map(str::to_owned)),
        });
        match status {
            PublishingStatusEnum::Published => {
                let opening = "Hi everyone! Ask me anything about this piece.";
                for g in 0..chat.range(1, 4) {
                    let count = chat.below(5) + 2;
                    let mut members = pick_members(&mut chat, count);
                    if chat.chance(0.25) {
                        members.push(2);
                    }
                    let name = match g {
                        0 => format!("{item} · buyers"),
                        1 => format!("Ask the maker: {item}"),
                        _ => format!("{item} · group order"),
                    };
                    let script = (opening, VENDOR_LINES, BUYER_LINES);
                    let group = (name, Some(id.clone()));
                    build_group(&mut chat, group, members, vendor.id, created, script, out);
                }
            }
            PublishingStatusEnum::Suggestion | PublishingStatusEnum::Rejected => {
                let opening = "Hi! I had a look at this listing before publishing.";
                let script = (opening, REVIEW_LINES, REVIEW_REPLIES);
                let group = (format!("Review: {item}"), Some(id.clone()));
                build_group(&mut chat, group, vec![vendor.id], 2, created, script, out);
            }
            PublishingStatusEnum::Draft => {}
        }
    }
    // One community group per block, led by the moderator (no product).
    let count = chat.below(6) + 6;
    let mut members = pick_members(&mut chat, count);
    members.push(1);
    let city = PLACES[unit as usize % PLACES.len()].0;
    let group = (format!("Deed-O community · {city} #{}", unit + 1), None);
    let opening = "Welcome to everyone who joined this week!";
    let script = (opening, MODERATOR_LINES, COMMUNITY_LINES);
    build_group(&mut chat, group, members, 2, first.created, script, out);
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
            build_auth(unit, &infos, &mut ts, &mut vs);
            let mut out = Out {
                groups: &mut gs,
                messages: &mut ms,
            };
            build_main(unit, &infos, &mut ps, &mut out);
            us.extend(rows);
        }
        let counts = [us.len(), ts.len(), vs.len(), ps.len(), gs.len(), ms.len()];
        for (t, n) in totals.iter_mut().zip(counts) {
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
        // Explicit ids leave the identity sequence behind: later sign-ups start after them.
        auth.execute_unprepared(
            r#"SELECT setval(pg_get_serial_sequence('users', 'id'), (SELECT MAX("id") FROM "users"))"#,
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
