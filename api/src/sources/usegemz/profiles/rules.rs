//! The pure rules of profiles: onboarding order, trial states and transitions, and the input
//! checks of profile fields. No database here, so every rule is unit-tested.
//!
//! Trial states (UG-E02) and the subscription status each implies (UG-E03, Stripe spelling):
//!
//! | action | from | to | subscription |
//! |---|---|---|---|
//! | `startTrial` | pending (or `NULL`) | active, start = now, end = now + 7 days | trialing |
//! | `cancelTrial` | active | cancelled | canceled |
//! | `convertTrial` | active, expired | converted | active |
//! | expiry (on read, written back by the next write) | active with `trial_end_date` < now | expired | trialing → canceled, others kept |
//!
//! A trial is started once: `startTrial` after an expiry, a cancel or a conversion is
//! `BAD_USER_INPUT`. The seed keeps one `trial_start_date`/`trial_end_date` pair per profile
//! ("7-day trial period tracking") and has no status leading back to `pending`, so a restart
//! would overwrite the only record of the first trial and give unlimited 7-day trials; an
//! expired trial can still be converted (the user pays), a cancelled one cannot.

use chrono::{Duration, NaiveDateTime};

use super::super::enums::ONBOARDING_STEP;
use crate::error::ApiError;

/// Length of a trial (UG-OP04: `Date.now() + 7 * 24 * 60 * 60 * 1000`).
pub const TRIAL_DAYS: i64 = 7;

/// Longest e-mail address (RFC 5321 path limit).
pub const MAX_EMAIL: usize = 320;
/// Longest name-like field (names, company, business, industry).
pub const MAX_NAME: usize = 200;
/// Longest brand description.
pub const MAX_DESCRIPTION: usize = 5000;
/// Longest Clerk user id accepted as an argument.
pub const MAX_USER_ID: usize = 255;

/// The position of an onboarding step in its order, `None` for an unknown value.
pub fn step_index(step: &str) -> Option<usize> {
    ONBOARDING_STEP.values.iter().position(|s| *s == step)
}

/// Whether moving from `from` to `to` is allowed; errors name the argument at fault.
///
/// Decision (issue 4: "onboarding steps in their order (`pending → info_captured →
/// intent_captured → completed`), no skipping back without reason"; seed 001 lists
/// `onboarding_step` as exactly that sequence, each later step capturing what the one before
/// asked for — `full_name`, `business_name`, `brand_description` "from onboarding"):
/// - staying on the current step is allowed (to capture fields again);
/// - forward is one step at a time: skipping a step (e.g. `pending → completed`) is
///   `BAD_USER_INPUT` on `step`, a `reason` does not change that — only `createProfile` may
///   start a profile at a later step, as the seed's own "Create User Profile" example does;
/// - back to any earlier step needs a non-blank `reason` (`BAD_USER_INPUT` on `step` without
///   one, on `reason` for a blank one).
pub fn check_step(from: &str, to: &str, reason: Option<&str>) -> Result<(), ApiError> {
    let target = step_index(to).ok_or_else(|| ApiError::input("step", "unknown step"))?;
    // An unknown stored value (not possible under the CHECK) counts as the first step.
    let current = step_index(from).unwrap_or(0);
    if target == current || target == current + 1 {
        return Ok(());
    }
    if target > current {
        let next = ONBOARDING_STEP
            .values
            .get(current + 1)
            .copied()
            .unwrap_or(to);
        return Err(ApiError::input(
            "step",
            format!(
                "onboarding goes one step at a time: from {from} the next step is {next}, not {to}"
            ),
        ));
    }
    match reason.map(str::trim) {
        Some(r) if !r.is_empty() => Ok(()),
        Some(_) => Err(ApiError::input("reason", "reason cannot be blank")),
        None => Err(ApiError::input(
            "step",
            format!("onboarding cannot go back from {from} to {to} without a reason"),
        )),
    }
}

/// A trial as stored, with the two nullable statuses read as their defaults (UG-A14).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trial {
    /// `trial_status` (`NULL` → `pending`).
    pub status: String,
    /// `subscription_status` (`NULL` → `none`).
    pub subscription: String,
    /// `trial_start_date`.
    pub start: Option<NaiveDateTime>,
    /// `trial_end_date`.
    pub end: Option<NaiveDateTime>,
}

impl Trial {
    /// The stored values, `NULL` statuses read as their column defaults.
    pub fn stored(
        status: Option<&str>,
        subscription: Option<&str>,
        start: Option<NaiveDateTime>,
        end: Option<NaiveDateTime>,
    ) -> Self {
        Trial {
            status: status.unwrap_or("pending").to_owned(),
            subscription: subscription.unwrap_or("none").to_owned(),
            start,
            end,
        }
    }

    /// Whether the trial is active but its end has passed at `now`.
    pub fn is_due(&self, now: NaiveDateTime) -> bool {
        self.status == "active" && self.end.is_some_and(|e| e < now)
    }

    /// The trial as it reads at `now`: an active trial past its end is expired, and a
    /// `trialing` subscription of it is `canceled`.
    pub fn at(&self, now: NaiveDateTime) -> Trial {
        if !self.is_due(now) {
            return self.clone();
        }
        Trial {
            status: "expired".to_owned(),
            subscription: if self.subscription == "trialing" {
                "canceled".to_owned()
            } else {
                self.subscription.clone()
            },
            start: self.start,
            end: self.end,
        }
    }

    /// Whole days left at `now`, rounded up: for an active trial with an end date; 0 for an
    /// expired one; `None` otherwise.
    pub fn days_left(&self, now: NaiveDateTime) -> Option<i64> {
        let t = self.at(now);
        match (t.status.as_str(), t.end) {
            ("active", Some(end)) => {
                let secs = (end - now).num_seconds().max(0);
                Some((secs + 86_399) / 86_400)
            }
            ("expired", _) => Some(0),
            _ => None,
        }
    }
}

/// A trial action of the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// `startTrial`.
    Start,
    /// `cancelTrial`.
    Cancel,
    /// `convertTrial`.
    Convert,
}

impl Action {
    /// The trial after the action on `t` (already read at `now`), or `BAD_USER_INPUT` when the
    /// action is not allowed from its state.
    pub fn apply(self, t: &Trial, now: NaiveDateTime) -> Result<Trial, ApiError> {
        let refuse = |what: &str| ApiError::BadUserInput {
            message: format!("cannot {what} a trial that is {}", t.status),
            field: None,
        };
        Ok(match (self, t.status.as_str()) {
            (Action::Start, "pending") => Trial {
                status: "active".into(),
                subscription: "trialing".into(),
                start: Some(now),
                end: Some(now + Duration::days(TRIAL_DAYS)),
            },
            (Action::Cancel, "active") => Trial {
                status: "cancelled".into(),
                subscription: "canceled".into(),
                ..t.clone()
            },
            (Action::Convert, "active" | "expired") => Trial {
                status: "converted".into(),
                subscription: "active".into(),
                ..t.clone()
            },
            (Action::Start, _) => return Err(refuse("start")),
            (Action::Cancel, _) => return Err(refuse("cancel")),
            (Action::Convert, _) => return Err(refuse("convert")),
        })
    }
}

/// `BAD_USER_INPUT` on `field` when `value` is blank or longer than `max` characters; answers
/// the trimmed value.
pub fn text(field: &str, value: &str, max: usize) -> Result<String, ApiError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(ApiError::input(field, format!("{field} cannot be blank")));
    }
    if v.chars().count() > max {
        return Err(ApiError::input(
            field,
            format!("{field} has at most {max} characters"),
        ));
    }
    Ok(v.to_owned())
}

/// An e-mail address: one `@` between a non-empty local part and a domain with a dot, no
/// whitespace, at most [`MAX_EMAIL`] characters; answers it trimmed.
pub fn email(field: &str, value: &str) -> Result<String, ApiError> {
    let v = text(field, value, MAX_EMAIL)?;
    let valid = match v.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !v.chars().any(char::is_whitespace)
        }
        None => false,
    };
    if valid {
        Ok(v)
    } else {
        Err(ApiError::input(field, "not an e-mail address"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(d: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 1, d)
            .and_then(|d| d.and_hms_opt(12, 0, 0))
            .unwrap_or_default()
    }

    #[test]
    fn onboarding_goes_forward_one_step_and_back_only_with_a_reason() {
        assert!(check_step("pending", "info_captured", None).is_ok());
        assert!(check_step("info_captured", "intent_captured", None).is_ok());
        assert!(check_step("intent_captured", "completed", None).is_ok());
        assert!(check_step("info_captured", "info_captured", None).is_ok());
        for (from, to) in [
            ("pending", "completed"),
            ("pending", "intent_captured"),
            ("info_captured", "completed"),
        ] {
            for reason in [None, Some("in a hurry")] {
                let skip = check_step(from, to, reason);
                assert!(
                    matches!(skip, Err(ApiError::BadUserInput { field: Some(ref f), .. }) if f == "step"),
                    "{from} -> {to}"
                );
            }
        }
        let back = check_step("intent_captured", "pending", None);
        assert!(
            matches!(back, Err(ApiError::BadUserInput { field: Some(ref f), .. }) if f == "step")
        );
        let blank = check_step("completed", "pending", Some("  "));
        assert!(
            matches!(blank, Err(ApiError::BadUserInput { field: Some(ref f), .. }) if f == "reason")
        );
        assert!(check_step("completed", "pending", Some("redo")).is_ok());
        assert!(check_step("pending", "nope", None).is_err());
    }

    #[test]
    fn trials_expire_on_read_and_follow_their_transitions() -> Result<(), ApiError> {
        let fresh = Trial::stored(None, None, None, None);
        assert_eq!(fresh.status, "pending");
        assert_eq!(fresh.days_left(at(1)), None);
        let started = Action::Start.apply(&fresh, at(1))?;
        assert_eq!(started.subscription, "trialing");
        assert_eq!(started.end, Some(at(8)));
        assert_eq!(started.days_left(at(1)), Some(7));
        assert_eq!(started.days_left(at(7)), Some(1));
        assert!(!started.is_due(at(8)));
        let later = started.at(at(9));
        assert_eq!(
            (later.status.as_str(), later.subscription.as_str()),
            ("expired", "canceled")
        );
        assert_eq!(started.days_left(at(9)), Some(0));
        assert!(Action::Start.apply(&started, at(2)).is_err());
        assert!(Action::Cancel.apply(&later, at(9)).is_err());
        let converted = Action::Convert.apply(&later, at(9))?;
        assert_eq!(
            (converted.status.as_str(), converted.subscription.as_str()),
            ("converted", "active")
        );
        let cancelled = Action::Cancel.apply(&started, at(2))?;
        assert_eq!(
            (cancelled.status.as_str(), cancelled.subscription.as_str()),
            ("cancelled", "canceled")
        );
        assert!(Action::Convert.apply(&cancelled, at(2)).is_err());
        assert!(Action::Convert.apply(&fresh, at(2)).is_err());
        Ok(())
    }

    #[test]
    fn emails_and_texts_are_checked() {
        assert_eq!(email("email", " a@b.co ").ok().as_deref(), Some("a@b.co"));
        for bad in ["", "ab", "a@b", "@b.co", "a@@b.co", "a b@c.de", "a@.co"] {
            assert!(email("email", bad).is_err(), "{bad}");
        }
        assert!(text("name", "   ", 5).is_err());
        assert!(text("name", "abcdef", 5).is_err());
        assert_eq!(text("name", " abc ", 5).ok().as_deref(), Some("abc"));
    }
}
