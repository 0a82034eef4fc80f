//! Users with their settings, sessions, login history and blocks.

use chrono::Duration;
use entity::head_shakers as hs;
use entity::head_shakers::sea_orm_active_enums::{
    CommentPermission, DigestFrequency, DmPermission, PrivacyLevel, Theme, UserRole,
};
use sea_orm::ActiveValue::Set;
use serde_json::json;

use super::words::{AGENTS, BIOS, DEVICES, FIRST, LAST, LOCATIONS};
use super::{Batch, Rng, User, after, between, epoch, ip};

/// An alphanumeric id of `len` characters.
fn alnum(rng: &mut Rng, len: usize) -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    (0..len)
        .map(|_| ALPHABET[rng.below(ALPHABET.len())] as char)
        .collect()
}

/// Adds `n` users (the demo user first in chunk 0) with their 1:1 settings, sessions, login
/// history and a few blocks among them.
pub(super) fn build(b: &mut Batch, n: usize) {
    let mut rng = b.rng(1);
    let now = epoch();
    for i in 0..n {
        let g = b.first + i;
        let demo = g == 0;
        let (first, last) = (*rng.pick(FIRST), *rng.pick(LAST));
        let (id, username, display, clerk) = if demo {
            (
                b.demo,
                "demo_collector".to_owned(),
                "Demo Collector".to_owned(),
                "user_2demoHeadShakersCollector".to_owned(),
            )
        } else {
            (
                rng.uuid(),
                format!("{}_{}{g}", first.to_lowercase(), last.to_lowercase()),
                format!("{first} {last}"),
                format!("user_2{}{g:06}", alnum(&mut rng, 21)),
            )
        };
        let created = if demo {
            now - Duration::days(820)
        } else {
            rng.time_before(900).min(now - Duration::days(3))
        };
        let active = demo || !rng.chance(0.03);
        let deleted_at = (!active).then(|| after(&mut rng, created));
        let (mut attempts, mut failed_at, mut locked) = (0, None, None);
        if active && !demo && rng.chance(0.12) {
            attempts = rng.range(1, 4) as i32;
            failed_at = Some(after(&mut rng, created));
            if rng.chance(0.15) {
                attempts = 5;
                failed_at = Some(now - Duration::minutes(rng.range(1, 10)));
                locked = Some(now + Duration::minutes(rng.range(5, 30)));
            }
        }
        let last_active = match deleted_at {
            Some(d) => d,
            None => between(&mut rng, created.max(now - Duration::days(45)), now),
        };
        let updated = deleted_at.unwrap_or_else(|| between(&mut rng, created, last_active));
        let bio = (demo || rng.chance(0.7)).then(|| rng.pick(BIOS).to_string());
        let location = (demo || rng.chance(0.6)).then(|| rng.pick(LOCATIONS).to_string());
        let avatar = (demo || rng.chance(0.8)).then(|| {
            format!(
                "https://res.cloudinary.com/head-shakers/avatars/{}.jpg",
                rng.nanoid(16)
            )
        });
        b.rows.users.push(hs::users::ActiveModel {
            id: Set(id),
            clerk_id: Set(clerk),
            username: Set(username.clone()),
            email: Set(format!("{username}@example.com")),
            display_name: Set(display.clone()),
            bio: Set(bio),
            avatar_url: Set(avatar),
            location: Set(location),
            is_verified: Set(demo || rng.chance(0.15)),
            is_deleted: Set(!active),
            failed_login_attempts: Set(attempts),
            last_active_at: Set(Some(last_active)),
            last_failed_login_at: Set(failed_at),
            locked_until: Set(locked),
            member_since: Set(Some(created)),
            deleted_at: Set(deleted_at),
            created_at: Set(Some(created)),
            updated_at: Set(Some(updated)),
            // The second user administers the demo platform, the third moderates it.
            role: Set(match g {
                1 => UserRole::Admin,
                2 => UserRole::Moderator,
                _ => UserRole::User,
            }),
        });

        let visibility = [
            PrivacyLevel::Public,
            PrivacyLevel::Public,
            PrivacyLevel::Public,
            PrivacyLevel::Public,
            PrivacyLevel::Followers,
            PrivacyLevel::Private,
        ];
        let comments = [
            CommentPermission::Anyone,
            CommentPermission::Anyone,
            CommentPermission::Anyone,
            CommentPermission::Anyone,
            CommentPermission::Anyone,
            CommentPermission::Followers,
            CommentPermission::None,
        ];
        let dms = [
            DmPermission::Anyone,
            DmPermission::Followers,
            DmPermission::Followers,
            DmPermission::None,
        ];
        let allow_comments = if demo {
            CommentPermission::Anyone
        } else {
            rng.pick(&comments).clone()
        };
        let no_comments = allow_comments == CommentPermission::None;
        b.rows.user_settings.push(hs::user_settings::ActiveModel {
            id: Set(rng.uuid()),
            user_id: Set(id),
            profile_visibility: Set(Some(if demo {
                PrivacyLevel::Public
            } else {
                rng.pick(&visibility).clone()
            })),
            allow_comments: Set(Some(allow_comments)),
            allow_direct_messages: Set(Some(rng.pick(&dms).clone())),
            show_collection_stats: Set(rng.chance(0.85)),
            show_collection_value: Set(rng.chance(0.3)),
            show_join_date: Set(rng.chance(0.9)),
            show_last_active: Set(rng.chance(0.25)),
            show_location: Set(rng.chance(0.4)),
            show_real_name: Set(rng.chance(0.2)),
            moderate_comments: Set(rng.chance(0.1)),
            theme: Set(Some(
                rng.pick(&[Theme::Light, Theme::Light, Theme::Dark, Theme::System])
                    .clone(),
            )),
            language: Set(Some(
                rng.pick(&["en", "en", "en", "en", "en", "es", "fr", "de", "ja"])
                    .to_string(),
            )),
            timezone: Set(Some(
                rng.pick(&[
                    "America/Chicago",
                    "America/New_York",
                    "America/Los_Angeles",
                    "America/Denver",
                    "America/Toronto",
                    "UTC",
                ])
                .to_string(),
            )),
            currency: Set(Some(
                rng.pick(&["USD", "USD", "USD", "USD", "CAD", "EUR"])
                    .to_string(),
            )),
            default_item_privacy: Set(Some(
                rng.pick(&["public", "public", "public", "private"])
                    .to_string(),
            )),
            created_at: Set(Some(created)),
            updated_at: Set(Some(between(&mut rng, created, last_active))),
        });

        let digest = [
            DigestFrequency::Weekly,
            DigestFrequency::Weekly,
            DigestFrequency::Weekly,
            DigestFrequency::Daily,
            DigestFrequency::Monthly,
            DigestFrequency::Never,
        ];
        b.rows
            .notification_settings
            .push(hs::notification_settings::ActiveModel {
                id: Set(rng.uuid()),
                user_id: Set(id),
                email_new_comments: Set(rng.chance(0.85)),
                email_new_followers: Set(rng.chance(0.8)),
                email_new_likes: Set(rng.chance(0.5)),
                email_platform_updates: Set(rng.chance(0.7)),
                email_weekly_digest: Set(rng.chance(0.75)),
                in_app_new_comments: Set(rng.chance(0.97)),
                in_app_new_followers: Set(rng.chance(0.97)),
                in_app_new_likes: Set(rng.chance(0.9)),
                in_app_following_updates: Set(rng.chance(0.9)),
                push_new_comments: Set(rng.chance(0.8)),
                push_new_followers: Set(rng.chance(0.8)),
                push_new_likes: Set(rng.chance(0.2)),
                digest_frequency: Set(Some(rng.pick(&digest).clone())),
                created_at: Set(Some(created)),
                updated_at: Set(Some(between(&mut rng, created, last_active))),
            });

        let end = deleted_at.unwrap_or(now);
        let sessions = if demo {
            2
        } else if active {
            rng.range(1, 3)
        } else {
            0
        };
        for _ in 0..sessions {
            let d = rng.below(AGENTS.len());
            let started = between(&mut rng, created.max(end - Duration::days(60)), end);
            let expires = started + Duration::days(30);
            let seen = between(&mut rng, started, expires.min(end));
            b.rows.user_sessions.push(hs::user_sessions::ActiveModel {
                id: Set(rng.uuid()),
                user_id: Set(id),
                session_token: Set(format!("sess_{}", alnum(&mut rng, 40))),
                device_info: Set(Some(device(d))),
                ip_address: Set(Some(ip(&mut rng))),
                user_agent: Set(Some(AGENTS[d].to_owned())),
                is_active: Set(expires > now && rng.chance(0.9)),
                last_activity_at: Set(Some(seen)),
                expires_at: Set(expires),
                created_at: Set(started),
                updated_at: Set(seen),
            });
        }

        for _ in 0..rng.range(1, 5) {
            let d = rng.below(AGENTS.len());
            let ok = !rng.chance(0.15);
            let at = between(&mut rng, created, end);
            b.rows.login_history.push(hs::login_history::ActiveModel {
                id: Set(rng.uuid()),
                user_id: Set(id),
                login_method: Set(Some(
                    rng.pick(&[
                        "password",
                        "password",
                        "oauth_google",
                        "oauth_apple",
                        "email_code",
                    ])
                    .to_string(),
                )),
                is_successful: Set(ok),
                failure_reason: Set((!ok).then(|| {
                    rng.pick(&[
                        "invalid_password",
                        "invalid_password",
                        "expired_code",
                        "account_locked",
                    ])
                    .to_string()
                })),
                ip_address: Set(Some(ip(&mut rng))),
                user_agent: Set(Some(AGENTS[d].to_owned())),
                device_info: Set(Some(device(d))),
                login_at: Set(at),
            });
        }

        b.users.push(User {
            id,
            username,
            display,
            created,
            active,
            no_comments,
        });
    }

    let active = b.active();
    let reasons = [
        Some("Spam in my comments"),
        Some("Harassment after a trade went wrong"),
        Some("Keeps sending lowball offers"),
        None,
    ];
    for _ in 0..(n / 8).max(1) {
        if active.len() < 2 {
            break;
        }
        let (a, v) = (
            active[rng.below(active.len())],
            active[rng.below(active.len())],
        );
        if a == v || b.first + v == 0 || b.blocked(a, v) {
            continue;
        }
        b.blocks.insert((a, v));
        let at = after(&mut rng, b.users[a].created.max(b.users[v].created));
        b.rows.user_blocks.push(hs::user_blocks::ActiveModel {
            id: Set(rng.uuid()),
            blocker_id: Set(b.users[a].id),
            blocked_id: Set(b.users[v].id),
            reason: Set((*rng.pick(&reasons)).map(str::to_owned)),
            created_at: Set(at),
            updated_at: Set(at),
        });
        let blocked = b.users[v].id;
        b.activity(
            &mut rng,
            a,
            "user_blocked",
            Some(("user", blocked)),
            None,
            at,
        );
    }
}

/// The `device_info` of the [`DEVICES`] entry `d`.
fn device(d: usize) -> serde_json::Value {
    let (browser, os, kind) = DEVICES[d];
    json!({ "browser": browser, "os": os, "device": kind })
}
