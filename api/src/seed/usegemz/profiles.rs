//! Demo user profiles: every onboarding step, 7-day trials in every state with the matching
//! (mock) Stripe subscription, and the trial e-mail schedule.

use chrono::{Duration, NaiveDateTime};
use entity::usegemz::user_profiles;
use sea_orm::ActiveValue::Set;
use serde_json::{Value, json};

use super::DEMO_USER;
use super::creators::base62;
use super::words::{FIRST, LAST, NICHES};
use crate::seed::{Rng, epoch};

const TRIAL_DAYS: i64 = 7;

/// One user profile; returns its Clerk id and, once the trial started, the window in which the
/// user could run searches.
pub(super) fn profile(
    rng: &mut Rng,
    index: u32,
) -> (
    user_profiles::ActiveModel,
    String,
    Option<(NaiveDateTime, NaiveDateTime)>,
) {
    let demo = index == 0;
    // Users 1–8 cover every onboarding step and trial outcome even at scale 1: (step, outcome
    // roll, signed up days ago).
    let forced: Option<(&str, usize, i64)> = match index {
        1 => Some(("pending", 0, 1)),
        2 => Some(("info_captured", 0, 2)),
        3 => Some(("intent_captured", 0, 3)),
        4 => Some(("completed", 0, 3)),
        5 => Some(("completed", 75, 4)),
        6 => Some(("completed", 10, 90)),
        7 => Some(("completed", 45, 150)),
        8 => Some(("completed", 97, 300)),
        _ => None,
    };
    let niche = &NICHES[rng.below(NICHES.len())];
    let (first, last) = (*rng.pick(FIRST), *rng.pick(LAST));
    let (full_name, email, business) = if demo {
        (
            "Demo Admin".to_owned(),
            "demo@usegemz.com".to_owned(),
            "Usegemz Demo Brand".to_owned(),
        )
    } else {
        let business = (*rng.pick(niche.brands)).to_owned();
        let domain: String = business
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect();
        let email = if rng.chance(0.5) {
            format!(
                "{}.{}@{}.com",
                first.to_lowercase(),
                last.to_lowercase(),
                domain.to_lowercase()
            )
        } else {
            format!(
                "{}{}{}@gmail.com",
                first.to_lowercase(),
                last.to_lowercase(),
                rng.range(1, 99)
            )
        };
        (format!("{first} {last}"), email, business)
    };
    let user_id = if demo {
        DEMO_USER.to_owned()
    } else {
        format!("user_2{}", base62(rng, 26))
    };
    let signup = if demo {
        epoch() - Duration::days(200) - Duration::seconds(4_321)
    } else if let Some((_, _, days)) = forced {
        epoch() - Duration::days(days) - Duration::seconds(rng.range(0, 43_200))
    } else if rng.chance(0.15) {
        rng.time_before(10)
    } else {
        rng.time_before(540)
    };
    let step = if demo {
        "completed"
    } else if let Some((step, _, _)) = forced {
        step
    } else {
        *rng.pick(&[
            "pending",
            "info_captured",
            "intent_captured",
            "completed",
            "completed",
            "completed",
            "completed",
            "completed",
        ])
    };
    // Onboarding steps happen minutes to days after sign-up, never after "now".
    let mut at = signup;
    let mut next = |rng: &mut Rng, max: i64| {
        at = (at + Duration::seconds(rng.range(60, max)))
            .min(epoch() - Duration::minutes(1))
            .max(at);
        at
    };
    let legacy_fields = signup < epoch() - Duration::days(240);
    let mut m = user_profiles::ActiveModel {
        id: Set(rng.uuid()),
        user_id: Set(user_id.clone()),
        email: Set(Some(email)),
        name: Set(legacy_fields.then(|| full_name.clone())),
        company_name: Set(legacy_fields.then(|| business.clone())),
        industry: Set(legacy_fields.then(|| niche.industry.to_owned())),
        signup_timestamp: Set(signup),
        onboarding_step: Set(step.to_owned()),
        full_name: Set(None),
        business_name: Set(None),
        brand_description: Set(None),
        email_schedule_status: Set(Some(json!({}))),
        trial_start_date: Set(None),
        trial_end_date: Set(None),
        trial_status: Set(Some("pending".to_owned())),
        stripe_customer_id: Set(None),
        stripe_subscription_id: Set(None),
        subscription_status: Set(Some("none".to_owned())),
        is_admin: Set(Some(demo)),
        created_at: Set(signup),
        updated_at: Set(signup),
    };
    if step == "pending" {
        return (m, user_id, None);
    }
    m.full_name = Set(Some(full_name));
    m.business_name = Set(Some(business.clone()));
    m.updated_at = Set(next(rng, 900));
    if step == "info_captured" {
        return (m, user_id, None);
    }
    m.brand_description = Set(Some(format!(
        "{business} makes {} products for {}. We want to partner with {} creators who {}.",
        niche.label,
        rng.pick(&[
            "busy millennials",
            "Gen Z shoppers",
            "first-time buyers",
            "young families"
        ]),
        niche.label,
        rng.pick(&[
            "post honest reviews",
            "love trying new things",
            "have a loyal community",
            "make short how-to videos"
        ]),
    )));
    m.updated_at = Set(next(rng, 1_800));
    if step == "intent_captured" {
        return (m, user_id, None);
    }
    let start = next(rng, if demo { 600 } else { 2 * 86_400 });
    let end = start + Duration::days(TRIAL_DAYS);
    let now = epoch();
    // (trial status, subscription status, moment the trial stopped, access end)
    let roll = forced.map_or_else(|| rng.below(100), |f| f.1);
    let (trial, sub, stopped, access_end) = if demo {
        ("converted", "active", Some(start + Duration::days(3)), now)
    } else if end > now {
        let elapsed = (now - start).num_seconds();
        let stop = start + Duration::seconds(rng.range(3_600, elapsed));
        match if elapsed < 7_200 { 0 } else { roll } {
            0..70 => ("active", "trialing", None, now),
            70..85 => ("cancelled", "canceled", Some(stop), stop),
            _ => ("converted", "active", Some(stop), now),
        }
    } else {
        let stop = start + Duration::seconds(rng.range(3_600, TRIAL_DAYS * 86_400));
        match roll {
            0..40 => ("expired", "none", Some(end), end),
            40..55 => ("cancelled", "canceled", Some(stop), stop),
            55..95 => ("converted", "active", Some(stop), now),
            _ => ("converted", "past_due", Some(stop), now),
        }
    };
    m.trial_start_date = Set(Some(start));
    m.trial_end_date = Set(Some(end));
    m.trial_status = Set(Some(trial.to_owned()));
    m.subscription_status = Set(Some(sub.to_owned()));
    m.stripe_customer_id = Set(Some(format!("cus_{}", base62(rng, 14))));
    m.stripe_subscription_id =
        Set((trial != "expired").then(|| format!("sub_{}", base62(rng, 24))));
    m.email_schedule_status = Set(Some(email_schedule(rng, start, stopped)));
    m.updated_at = Set(stopped.unwrap_or(start).min(now));
    (m, user_id, Some((start, access_end)))
}

/// The trial e-mails: welcome, day 2, day 5 and expiry; those due after the trial stopped early
/// are cancelled, the others sent when due or still scheduled.
fn email_schedule(rng: &mut Rng, start: NaiveDateTime, stopped: Option<NaiveDateTime>) -> Value {
    let mut map = serde_json::Map::new();
    for (key, offset) in [
        ("welcome", Duration::minutes(1)),
        ("trial_day_2", Duration::days(2)),
        ("trial_day_5", Duration::days(5)),
        ("trial_expiry", Duration::days(TRIAL_DAYS)),
    ] {
        let due = start + offset;
        let mut e = serde_json::Map::new();
        e.insert(
            "messageId".into(),
            json!(format!("msg_{}", base62(rng, 32))),
        );
        e.insert("scheduledAt".into(), json!(iso(due)));
        if stopped.is_some_and(|s| s < due) {
            e.insert("status".into(), json!("cancelled"));
        } else if due <= epoch() {
            if rng.chance(0.03) {
                e.insert("status".into(), json!("failed"));
                e.insert(
                    "error".into(),
                    json!("Resend API error: 429 rate limit exceeded"),
                );
            } else {
                e.insert("status".into(), json!("sent"));
                e.insert(
                    "sentAt".into(),
                    json!(iso(due + Duration::seconds(rng.range(1, 30)))),
                );
            }
        } else {
            e.insert("status".into(), json!("scheduled"));
        }
        map.insert(key.into(), Value::Object(e));
    }
    Value::Object(map)
}

fn iso(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}
