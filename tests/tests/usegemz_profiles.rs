//! usegemz profiles, onboarding, trials, admins and system configuration end to end, on every
//! backend: the onboarding order (one step forward at a time, back only with a reason), the
//! trial lifecycle (started once: not again after an expiry, a cancel or a conversion) with expiry seen
//! on read and stored by the next write, the admin matrix, and configuration parsing, refusals
//! and hot reload.

use std::time::{Duration, SystemTime};

use e2e::{Backend, Data, TestApp, backends};
use entity::usegemz::user_profiles as up;
use migration::Database;
use sea_orm::prelude::DateTimeUtc;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

const PROFILE: &str = "userId email fullName businessName companyName industry onboardingStep trialStatus subscriptionStatus isAdmin";
const TRIAL: &str =
    "status startDate endDate daysLeft subscriptionStatus profile { userId trialStatus }";
const VIEWER: &str = "{ usegemz { viewerProfile { userId trialStatus subscriptionStatus } viewerTrial { status daysLeft subscriptionStatus endDate } } }";
const ADMINS: &str = "{ usegemz { admins { userId fullName email isAdmin updatedAt } } }";
const PROMOTE: &str =
    "mutation($u: String!) { usegemz { promoteAdmin(userId: $u) { userId isAdmin fullName } } }";
const DEMOTE: &str =
    "mutation($u: String!) { usegemz { demoteAdmin(userId: $u) { userId isAdmin } } }";
const CONFIG: &str = "category key value valueType description isHotReloadable number boolean duration string json updatedAt";

fn create() -> String {
    format!(
        "mutation($email: String, $fullName: String, $businessName: String, $step: UsegemzOnboardingStep) {{ usegemz {{ createProfile(email: $email, fullName: $fullName, businessName: $businessName, onboardingStep: $step) {{ {PROFILE} }} }} }}"
    )
}

fn advance() -> String {
    format!(
        "mutation($step: UsegemzOnboardingStep!, $reason: String, $fullName: String) {{ usegemz {{ advanceOnboarding(step: $step, reason: $reason, fullName: $fullName) {{ {PROFILE} }} }} }}"
    )
}

fn update() -> String {
    format!(
        "mutation($companyName: String, $industry: String, $email: String, $clear: [String!]) {{ usegemz {{ updateProfile(companyName: $companyName, industry: $industry, email: $email, clear: $clear) {{ {PROFILE} }} }} }}"
    )
}

fn trial(op: &str) -> String {
    format!("mutation {{ usegemz {{ {op} {{ {TRIAL} }} }} }}")
}

fn config_q() -> String {
    format!(
        "query($c: String!, $k: String!) {{ usegemz {{ config(category: $c, key: $k) {{ {CONFIG} }} }} }}"
    )
}

fn configs_q() -> String {
    format!("query($c: String) {{ usegemz {{ configs(category: $c) {{ {CONFIG} }} }} }}")
}

fn set_config() -> String {
    format!(
        "mutation($c: String!, $k: String!, $v: String!, $t: String) {{ usegemz {{ setConfig(category: $c, key: $k, value: $v, valueType: $t) {{ {CONFIG} }} }} }}"
    )
}

fn set(c: &str, k: &str, v: &str, t: Option<&str>) -> Value {
    json!({ "c": c, "k": k, "v": v, "t": t })
}

/// A gateway on one backend, with helpers that check answers.
struct T {
    app: TestApp,
    b: &'static str,
}

impl T {
    async fn new(backend: &Backend) -> T {
        T {
            // `user_2root` is an admin by configuration (UG-A15), the others by `is_admin`.
            app: TestApp::spawn_with(backend, Data::Empty, |s| {
                s.usegemz_admins = vec!["user_2root".into()];
            })
            .await,
            b: backend.name(),
        }
    }

    fn token(&self, user: &str) -> String {
        self.app.token("usegemz", user)
    }

    /// `data.usegemz.<field>` of a request that must succeed.
    async fn ok(&self, q: &str, vars: Value, token: Option<&str>, field: &str) -> Value {
        let r = self.app.gql(q, vars, token).await;
        r.data()["usegemz"][field].clone()
    }

    /// A request that must fail with `code` (and `extensions.field` = `arg` when given).
    async fn no(&self, q: &str, vars: Value, token: Option<&str>, code: &str, arg: Option<&str>) {
        let r = self.app.gql(q, vars, token).await;
        assert_eq!(r.code(), Some(code), "{}: {q}: {}", self.b, r.body);
        if arg.is_some() {
            let f = r.body["errors"][0]["extensions"]["field"].as_str();
            assert_eq!(f, arg, "{}: {q}: {}", self.b, r.body);
        }
    }

    async fn profile(&self, token: &str, name: &str) -> Value {
        let vars = json!({ "email": format!("{name}@example.com"), "fullName": name, "businessName": format!("{name} Ltd") });
        self.ok(&create(), vars, Some(token), "createProfile").await
    }

    async fn stored(&self, user: &str) -> up::Model {
        up::Entity::find()
            .filter(up::Column::UserId.eq(user))
            .one(self.app.db(Database::Usegemz))
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("no profile {user}"))
    }

    async fn config(&self, token: &str, c: &str, k: &str) -> Value {
        let vars = json!({ "c": c, "k": k });
        self.ok(&config_q(), vars, Some(token), "config").await
    }

    /// Moves a trial's dates into the past with a direct statement, as time passing would.
    async fn age_trial(&self, user: &str) {
        let day = Duration::from_secs(86_400);
        let at = |ago: Duration| DateTimeUtc::from(SystemTime::now() - ago).naive_utc();
        let mut q = Query::update();
        q.table(Alias::new("user_profiles"))
            .values([
                (Alias::new("trial_start_date"), at(day * 8).into()),
                (Alias::new("trial_end_date"), at(day).into()),
            ])
            .and_where(Expr::col(Alias::new("user_id")).eq(user));
        let db = self.app.db(Database::Usegemz);
        let done = db.execute(&q).await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(done.rows_affected(), 1);
    }
}

#[tokio::test]
async fn profiles_are_created_updated_and_onboarded_in_order() {
    for backend in backends() {
        let t = T::new(&backend).await;
        let b = t.b;
        let (ann, ben, cleo) = (
            t.token("user_2ann"),
            t.token("user_2ben"),
            t.token("user_2cleo"),
        );
        let (ann, ben, cleo) = (Some(ann.as_str()), Some(ben.as_str()), Some(cleo.as_str()));

        t.no(&create(), json!({}), None, "UNAUTHENTICATED", None)
            .await;
        let v = t.ok(VIEWER, json!({}), None, "viewerProfile").await;
        assert_eq!(v, Value::Null, "{b}: signed out");
        let v = t.ok(VIEWER, json!({}), ann, "viewerTrial").await;
        assert_eq!(v, Value::Null, "{b}: no profile yet");

        let bad = [("email", "not-an-email"), ("fullName", "   ")];
        for (arg, v) in bad {
            let vars = json!({ arg: v });
            t.no(&create(), vars, ann, "BAD_USER_INPUT", Some(arg))
                .await;
        }
        let p = t.profile(ann.unwrap_or_default(), "ann").await;
        assert_eq!(p["userId"], "user_2ann", "{b}");
        assert_eq!(p["email"], "ann@example.com", "{b}");
        assert_eq!(p["businessName"], "ann Ltd", "{b}");
        assert_eq!(p["onboardingStep"], "PENDING", "{b}");
        assert_eq!(p["trialStatus"], "PENDING", "{b}");
        assert_eq!(p["subscriptionStatus"], "NONE", "{b}");
        assert_eq!(p["isAdmin"], false, "{b}");
        t.no(&create(), json!({}), ann, "CONFLICT", None).await;

        // The seed's example creates a completed profile.
        let vars = json!({ "step": "COMPLETED" });
        let p = t.ok(&create(), vars, ben, "createProfile").await;
        assert_eq!(p["onboardingStep"], "COMPLETED", "{b}");

        // Steps in their order: skipping one is refused, with or without a reason, and
        // changes nothing (the field captured with it included).
        for (step, reason) in [("COMPLETED", None), ("INTENT_CAPTURED", Some("in a hurry"))] {
            let vars = json!({ "step": step, "reason": reason, "fullName": "Skipper" });
            t.no(&advance(), vars, ann, "BAD_USER_INPUT", Some("step"))
                .await;
        }
        let m = t.stored("user_2ann").await;
        assert_eq!(m.onboarding_step, "pending", "{b}: not skipped");
        assert_eq!(m.full_name.as_deref(), Some("ann"), "{b}: nothing captured");

        // Forward by one (capturing a field with it), one at a time, staying.
        let vars = json!({ "step": "INFO_CAPTURED", "fullName": "Ann Example" });
        let p = t.ok(&advance(), vars, ann, "advanceOnboarding").await;
        assert_eq!(p["onboardingStep"], "INFO_CAPTURED", "{b}");
        assert_eq!(p["fullName"], "Ann Example", "{b}: captured with the step");
        let vars = json!({ "step": "COMPLETED" });
        t.no(&advance(), vars, ann, "BAD_USER_INPUT", Some("step"))
            .await;
        let vars = json!({ "step": "INTENT_CAPTURED" });
        let p = t.ok(&advance(), vars, ann, "advanceOnboarding").await;
        assert_eq!(p["onboardingStep"], "INTENT_CAPTURED", "{b}");
        for _ in 0..2 {
            let vars = json!({ "step": "COMPLETED" });
            let p = t.ok(&advance(), vars, ann, "advanceOnboarding").await;
            assert_eq!(p["onboardingStep"], "COMPLETED", "{b}");
        }

        // Back only with a reason.
        let vars = json!({ "step": "INTENT_CAPTURED" });
        t.no(&advance(), vars, ann, "BAD_USER_INPUT", Some("step"))
            .await;
        let vars = json!({ "step": "PENDING", "reason": "  " });
        t.no(&advance(), vars, ann, "BAD_USER_INPUT", Some("reason"))
            .await;
        let m = t.stored("user_2ann").await;
        assert_eq!(m.onboarding_step, "completed", "{b}: unchanged");
        let vars = json!({ "step": "PENDING", "reason": "restart onboarding" });
        let p = t.ok(&advance(), vars, ann, "advanceOnboarding").await;
        assert_eq!(p["onboardingStep"], "PENDING", "{b}");
        // Back at the start, the order holds again.
        let vars = json!({ "step": "INTENT_CAPTURED" });
        t.no(&advance(), vars, ann, "BAD_USER_INPUT", Some("step"))
            .await;
        let r = t.app.gql(&advance(), json!({ "step": "NOPE" }), ann).await;
        assert!(r.body["errors"].is_array(), "{b}: unknown step");
        let vars = json!({ "step": "INFO_CAPTURED" });
        t.no(&advance(), vars.clone(), None, "UNAUTHENTICATED", None)
            .await;
        t.no(&advance(), vars, cleo, "NOT_FOUND", None).await;

        // Updates keep what is not named and clear what `clear` names.
        let vars = json!({ "companyName": " Acme ", "industry": "Fitness", "clear": ["fullName"] });
        let p = t.ok(&update(), vars, ann, "updateProfile").await;
        assert_eq!(p["companyName"], "Acme", "{b}: trimmed");
        assert_eq!(p["industry"], "Fitness", "{b}");
        assert_eq!(p["fullName"], Value::Null, "{b}: cleared");
        assert_eq!(p["email"], "ann@example.com", "{b}: kept");
        for (vars, arg) in [
            (json!({ "email": "x@y.io", "clear": ["email"] }), "clear"),
            (json!({ "clear": ["isAdmin"] }), "clear"),
            (json!({ "email": "bad" }), "email"),
        ] {
            t.no(&update(), vars, ann, "BAD_USER_INPUT", Some(arg))
                .await;
        }
        let vars = json!({ "industry": "x" });
        t.no(&update(), vars, cleo, "NOT_FOUND", None).await;

        // Each viewer reads only their own profile.
        let v = t.ok(VIEWER, json!({}), ben, "viewerProfile").await;
        assert_eq!(v["userId"], "user_2ben", "{b}");
    }
}

#[tokio::test]
async fn trials_start_expire_on_read_cancel_and_convert() {
    for backend in backends() {
        let t = T::new(&backend).await;
        let b = t.b;
        let (ann, ben, cleo) = (
            t.token("user_2ann"),
            t.token("user_2ben"),
            t.token("user_2cleo"),
        );
        let bad = "BAD_USER_INPUT";

        t.no(
            &trial("startTrial"),
            json!({}),
            None,
            "UNAUTHENTICATED",
            None,
        )
        .await;
        t.no(
            &trial("startTrial"),
            json!({}),
            Some(&ann),
            "NOT_FOUND",
            None,
        )
        .await;
        t.profile(&ann, "ann").await;
        t.profile(&ben, "ben").await;
        t.profile(&cleo, "cleo").await;

        let v = t.ok(VIEWER, json!({}), Some(&ann), "viewerTrial").await;
        assert_eq!(v["status"], "PENDING", "{b}");
        assert_eq!(v["daysLeft"], Value::Null, "{b}");
        assert_eq!(v["subscriptionStatus"], "NONE", "{b}");
        for op in ["cancelTrial", "convertTrial"] {
            t.no(&trial(op), json!({}), Some(&ann), bad, None).await;
        }

        let v = t
            .ok(&trial("startTrial"), json!({}), Some(&ann), "startTrial")
            .await;
        assert_eq!(v["status"], "ACTIVE", "{b}");
        assert_eq!(v["subscriptionStatus"], "TRIALING", "{b}");
        assert_eq!(v["daysLeft"], 7, "{b}");
        assert_eq!(v["profile"]["trialStatus"], "ACTIVE", "{b}");
        let m = t.stored("user_2ann").await;
        let start = m.trial_start_date.unwrap_or_default();
        let end = m.trial_end_date.unwrap_or_default();
        assert_eq!((end - start).num_seconds(), 7 * 86_400, "{b}: set together");
        assert_eq!(m.updated_at, start, "{b}: updated_at written with them");
        t.no(&trial("startTrial"), json!({}), Some(&ann), bad, None)
            .await;

        // Time passes: the trial reads as expired with no job, while the row still says active.
        t.age_trial("user_2ann").await;
        let r = t.app.gql(VIEWER, json!({}), Some(&ann)).await;
        let d = &r.data()["usegemz"];
        assert_eq!(d["viewerTrial"]["status"], "EXPIRED", "{b}");
        assert_eq!(d["viewerTrial"]["daysLeft"], 0, "{b}");
        assert_eq!(d["viewerTrial"]["subscriptionStatus"], "CANCELED", "{b}");
        assert_eq!(d["viewerProfile"]["trialStatus"], "EXPIRED", "{b}");
        assert_eq!(d["viewerProfile"]["subscriptionStatus"], "CANCELED", "{b}");
        // Every path reads it so: an admin's list, its filter, and `node`.
        let root = t.token("user_2root");
        let q = "query($s: UsegemzTrialStatus!) { usegemz { userProfiles(where: { userId: { eq: \"user_2ann\" }, trialStatus: { eq: $s } }) { nodes { id trialStatus subscriptionStatus } } } }";
        let found = |s: &str| {
            let vars = json!({ "s": s });
            let (app, root) = (&t.app, root.as_str());
            async move {
                app.gql(q, vars, Some(root)).await.data()["usegemz"]["userProfiles"]["nodes"]
                    .clone()
            }
        };
        assert_eq!(found("ACTIVE").await, json!([]), "{b}: no longer active");
        let nodes = found("EXPIRED").await;
        assert_eq!(nodes[0]["trialStatus"], "EXPIRED", "{b}: {nodes}");
        assert_eq!(nodes[0]["subscriptionStatus"], "CANCELED", "{b}: {nodes}");
        let q = "query($id: ID!) { node(id: $id) { ... on UsegemzUserProfile { trialStatus } } }";
        let r = t
            .app
            .gql(q, json!({ "id": nodes[0]["id"] }), Some(&root))
            .await;
        assert_eq!(r.data()["node"]["trialStatus"], "EXPIRED", "{b}");
        let m = t.stored("user_2ann").await;
        assert_eq!(
            m.trial_status.as_deref(),
            Some("active"),
            "{b}: not written by reads"
        );
        let aged = (m.trial_start_date, m.trial_end_date);

        // The next write stores the expiry, even when it is refused: a trial starts once, so
        // an expired one (read as such before it is stored, and after) cannot start again.
        t.no(&trial("startTrial"), json!({}), Some(&ann), bad, None)
            .await;
        let m = t.stored("user_2ann").await;
        assert_eq!(m.trial_status.as_deref(), Some("expired"), "{b}");
        assert_eq!(m.subscription_status.as_deref(), Some("canceled"), "{b}");
        assert_eq!(
            (m.trial_start_date, m.trial_end_date),
            aged,
            "{b}: dates kept"
        );
        for op in ["startTrial", "cancelTrial"] {
            t.no(&trial(op), json!({}), Some(&ann), bad, None).await;
        }
        let m = t.stored("user_2ann").await;
        assert_eq!(m.trial_status.as_deref(), Some("expired"), "{b}");

        // An expired trial can still be converted; a converted one cannot restart.
        let v = t
            .ok(
                &trial("convertTrial"),
                json!({}),
                Some(&ann),
                "convertTrial",
            )
            .await;
        assert_eq!(v["status"], "CONVERTED", "{b}");
        assert_eq!(v["subscriptionStatus"], "ACTIVE", "{b}");
        assert_eq!(v["daysLeft"], Value::Null, "{b}");
        t.no(&trial("startTrial"), json!({}), Some(&ann), bad, None)
            .await;

        // Cancel an active trial; a cancelled one can be neither converted nor cancelled again.
        t.ok(&trial("startTrial"), json!({}), Some(&ben), "startTrial")
            .await;
        let v = t
            .ok(&trial("cancelTrial"), json!({}), Some(&ben), "cancelTrial")
            .await;
        assert_eq!(v["status"], "CANCELLED", "{b}");
        assert_eq!(v["subscriptionStatus"], "CANCELED", "{b}");
        assert!(v["endDate"].is_string(), "{b}: dates kept");
        let before = t.stored("user_2ben").await;
        for op in ["convertTrial", "cancelTrial", "startTrial"] {
            t.no(&trial(op), json!({}), Some(&ben), bad, None).await;
        }
        // A cancelled trial does not restart: status, subscription and dates stay.
        let after = t.stored("user_2ben").await;
        assert_eq!(
            (
                after.trial_status.as_deref(),
                after.subscription_status.as_deref()
            ),
            (Some("cancelled"), Some("canceled")),
            "{b}"
        );
        assert_eq!(
            (after.trial_start_date, after.trial_end_date),
            (before.trial_start_date, before.trial_end_date),
            "{b}: dates kept"
        );
        let v = t.ok(VIEWER, json!({}), Some(&ben), "viewerTrial").await;
        assert_eq!(v["status"], "CANCELLED", "{b}");

        // Any other write to the profile also stores an expiry it finds.
        t.ok(&trial("startTrial"), json!({}), Some(&cleo), "startTrial")
            .await;
        t.age_trial("user_2cleo").await;
        let vars = json!({ "industry": "Travel" });
        let p = t.ok(&update(), vars, Some(&cleo), "updateProfile").await;
        assert_eq!(p["trialStatus"], "EXPIRED", "{b}");
        let m = t.stored("user_2cleo").await;
        assert_eq!(m.trial_status.as_deref(), Some("expired"), "{b}");
    }
}

#[tokio::test]
async fn only_admins_list_promote_and_demote_admins() {
    for backend in backends() {
        let t = T::new(&backend).await;
        let b = t.b;
        let root = t.token("user_2root");
        let (ann, ben) = (t.token("user_2ann"), t.token("user_2ben"));
        let elsewhere = t.app.token("head_shakers", "user_2ann");
        let (root, ann, ben) = (Some(root.as_str()), Some(ann.as_str()), Some(ben.as_str()));
        t.profile(ann.unwrap_or_default(), "ann").await;
        t.profile(ben.unwrap_or_default(), "ben").await;
        let who = |u: &str| json!({ "u": u });
        let bad = "BAD_USER_INPUT";

        let outsiders = [
            (None, "UNAUTHENTICATED"),
            (Some(elsewhere.as_str()), "UNAUTHENTICATED"),
            (ben, "FORBIDDEN"),
        ];
        for (token, code) in outsiders {
            t.no(ADMINS, json!({}), token, code, None).await;
            t.no(PROMOTE, who("user_2ben"), token, code, None).await;
            t.no(DEMOTE, who("user_2ann"), token, code, None).await;
        }
        let m = t.stored("user_2ben").await;
        assert_eq!(m.is_admin, Some(false), "{b}: nothing written");

        // A token admin promotes; the promoted profile is an admin from then on (UG-OP07).
        assert_eq!(
            t.ok(ADMINS, json!({}), root, "admins").await,
            json!([]),
            "{b}"
        );
        let p = t.ok(PROMOTE, who("user_2ann"), root, "promoteAdmin").await;
        assert_eq!(p["isAdmin"], true, "{b}");
        t.no(PROMOTE, who("user_2nobody"), root, "NOT_FOUND", None)
            .await;
        t.no(PROMOTE, who(" "), root, bad, Some("userId")).await;

        // Ann is an admin by data alone: she promotes Ben and reads his profile back.
        for _ in 0..2 {
            let p = t.ok(PROMOTE, who("user_2ben"), ann, "promoteAdmin").await;
            assert_eq!(p["userId"], "user_2ben", "{b}");
            assert_eq!(p["isAdmin"], true, "{b}");
            assert_eq!(p["fullName"], "ben", "{b}");
        }
        let list = t.ok(ADMINS, json!({}), ben, "admins").await;
        let ids: Vec<&str> = list
            .as_array()
            .map(|l| l.iter().filter_map(|a| a["userId"].as_str()).collect())
            .unwrap_or_default();
        assert_eq!(ids, ["user_2ann", "user_2ben"], "{b}: by full name");
        assert_eq!(list[0]["email"], "ann@example.com", "{b}");
        assert_eq!(list[0]["fullName"], "ann", "{b}");
        assert_eq!(list[0]["isAdmin"], true, "{b}");
        assert!(list[0]["updatedAt"].is_string(), "{b}");

        // Demote, twice (a no-op); the last admin stays, whoever asks.
        for _ in 0..2 {
            let p = t.ok(DEMOTE, who("user_2ben"), ann, "demoteAdmin").await;
            assert_eq!(p["isAdmin"], false, "{b}");
        }
        t.no(DEMOTE, who("user_2ann"), ann, bad, Some("userId"))
            .await;
        t.no(DEMOTE, who("user_2ann"), root, bad, Some("userId"))
            .await;
        assert_eq!(t.stored("user_2ann").await.is_admin, Some(true), "{b}");
        t.no(ADMINS, json!({}), ben, "FORBIDDEN", None).await;

        // With a second admin, demoting yourself is fine.
        t.ok(PROMOTE, who("user_2ben"), ann, "promoteAdmin").await;
        let p = t.ok(DEMOTE, who("user_2ann"), ann, "demoteAdmin").await;
        assert_eq!(p["isAdmin"], false, "{b}");
        let list = t.ok(ADMINS, json!({}), root, "admins").await;
        assert_eq!(list[0]["userId"], "user_2ben", "{b}");
        assert_eq!(list.as_array().map(Vec::len), Some(1), "{b}");
    }
}

#[tokio::test]
async fn configuration_is_typed_checked_and_hot_reloaded() {
    for backend in backends() {
        let t = T::new(&backend).await;
        let b = t.b;
        let root = t.token("user_2root");
        let ann = t.token("user_2ann");
        let (root_t, ann_t) = (Some(root.as_str()), Some(ann.as_str()));
        let vars = json!({ "c": "email", "k": "trial_day_2_delay" });
        t.no(&config_q(), vars, None, "UNAUTHENTICATED", None).await;
        t.no(&configs_q(), json!({}), None, "UNAUTHENTICATED", None)
            .await;
        // Configuration is for admins: a signed-in non-admin reads none of it.
        let vars = json!({ "c": "email", "k": "trial_day_2_delay" });
        t.no(&config_q(), vars, ann_t, "FORBIDDEN", None).await;
        t.no(&configs_q(), json!({}), ann_t, "FORBIDDEN", None)
            .await;

        // The five seeded rows, each with exactly its typed field set.
        let all = t.ok(&configs_q(), json!({}), root_t, "configs").await;
        let all = all.as_array().cloned().unwrap_or_default();
        let keys: Vec<String> = all
            .iter()
            .map(|c| {
                format!(
                    "{}/{}",
                    c["category"].as_str().unwrap_or(""),
                    c["key"].as_str().unwrap_or("")
                )
            })
            .collect();
        let seeded = [
            "api/max_api_calls_production",
            "api/max_api_calls_testing",
            "email/trial_day_2_delay",
            "email/trial_day_5_delay",
            "email/trial_expiry_delay",
        ];
        assert_eq!(keys, seeded, "{b}");
        let by = |k: &str| {
            all.iter()
                .find(|c| c["key"] == k)
                .cloned()
                .unwrap_or(Value::Null)
        };
        let delays = [
            ("trial_day_2_delay", 172_800),
            ("trial_day_5_delay", 432_000),
            ("trial_expiry_delay", 604_800),
        ];
        for (k, secs) in delays {
            let c = by(k);
            assert_eq!(c["valueType"], "DURATION", "{b}");
            assert_eq!(c["duration"], secs, "{b}: {k}");
            for other in ["number", "boolean", "string", "json"] {
                assert_eq!(c[other], Value::Null, "{b}: {k}.{other}");
            }
            assert_eq!(c["isHotReloadable"], true, "{b}");
        }
        assert_eq!(by("trial_day_2_delay")["value"], "2 days", "{b}");
        let d = &by("trial_day_2_delay")["description"];
        assert_eq!(d, "Delay for day 2 trial email", "{b}");
        for (k, n) in [
            ("max_api_calls_testing", 1.0),
            ("max_api_calls_production", 999.0),
        ] {
            let c = by(k);
            assert_eq!(c["valueType"], "NUMBER", "{b}");
            assert_eq!(c["number"].as_f64(), Some(n), "{b}: {k}");
            assert_eq!(c["duration"], Value::Null, "{b}");
        }
        let api = t
            .ok(&configs_q(), json!({ "c": "api" }), root_t, "configs")
            .await;
        assert_eq!(api.as_array().map(Vec::len), Some(2), "{b}");
        assert_eq!(t.config(&root, "email", "nope").await, Value::Null, "{b}");

        // Only admins write; bad types and values are refused before anything is written.
        let change = set("email", "trial_day_2_delay", "3 days", None);
        t.no(&set_config(), change.clone(), ann_t, "FORBIDDEN", None)
            .await;
        t.no(&set_config(), change.clone(), None, "UNAUTHENTICATED", None)
            .await;
        let long = "k".repeat(101);
        let refusals = [
            (
                set("email", "trial_day_2_delay", "3 days", Some("color")),
                "valueType",
            ),
            (set("email", "trial_day_2_delay", "soon", None), "value"),
            (
                set("email", "trial_day_2_delay", "soon", Some("duration")),
                "value",
            ),
            (
                set("email", "trial_day_2_delay", "2 fortnights", None),
                "value",
            ),
            (
                set("email", "trial_day_2_delay", "abc", Some("number")),
                "value",
            ),
            (
                set("email", "trial_day_2_delay", "yes", Some("boolean")),
                "value",
            ),
            (
                set("email", "trial_day_2_delay", "{", Some("json")),
                "value",
            ),
            (set("api", "new_key", "1", None), "valueType"),
            (set(" ", "k", "1", Some("number")), "category"),
            (set("api", &long, "1", Some("number")), "key"),
        ];
        for (vars, arg) in refusals {
            t.no(&set_config(), vars, root_t, "BAD_USER_INPUT", Some(arg))
                .await;
        }
        let c = t.config(&root, "email", "trial_day_2_delay").await;
        assert_eq!(c["value"], "2 days", "{b}: unchanged");

        // An update keeps the stored type and description; the next read sees it (hot reload).
        let c = t.ok(&set_config(), change, root_t, "setConfig").await;
        assert_eq!(c["duration"], 259_200, "{b}");
        let c = t.config(&root, "email", "trial_day_2_delay").await;
        assert_eq!(c["duration"], 259_200, "{b}: hot reload");
        assert_eq!(c["description"], "Delay for day 2 trial email", "{b}: kept");

        // Every duration form, and every other type, on new rows.
        let forms = [
            ("30 minutes", 1_800),
            ("1 hour", 3_600),
            ("45 seconds", 45),
            ("1 week", 604_800),
            ("1 hour 30 minutes", 5_400),
        ];
        for (v, secs) in forms {
            let vars = set("test", "d", v, Some("DURATION"));
            let c = t.ok(&set_config(), vars, root_t, "setConfig").await;
            assert_eq!(c["duration"], secs, "{b}: {v}");
            assert_eq!(
                t.config(&root, "test", "d").await["duration"],
                secs,
                "{b}: {v}"
            );
        }
        let vars = set("test", "flag", "true", Some("boolean"));
        let c = t.ok(&set_config(), vars, root_t, "setConfig").await;
        assert_eq!(c["boolean"], true, "{b}");
        assert_eq!(c["valueType"], "BOOLEAN", "{b}");
        assert_eq!(c["isHotReloadable"], true, "{b}: default");
        let vars = set("test", "doc", r#"{"tiers":[100,1000]}"#, Some("json"));
        let c = t.ok(&set_config(), vars, root_t, "setConfig").await;
        assert_eq!(c["json"], json!({ "tiers": [100, 1000] }), "{b}");
        let vars = set("test", "text", " hello ", Some("string"));
        let c = t.ok(&set_config(), vars, root_t, "setConfig").await;
        assert_eq!(c["string"], " hello ", "{b}");

        // A change of type re-parses; an admin by data may write too.
        t.profile(&ann, "ann").await;
        t.ok(PROMOTE, json!({ "u": "user_2ann" }), root_t, "promoteAdmin")
            .await;
        let vars = set("api", "max_api_calls_testing", "2 days", Some("duration"));
        let c = t.ok(&set_config(), vars, ann_t, "setConfig").await;
        assert_eq!(c["duration"], 172_800, "{b}");
        assert_eq!(c["number"], Value::Null, "{b}");
        let c = t.config(&ann, "api", "max_api_calls_testing").await;
        assert_eq!(c["valueType"], "DURATION", "{b}");
        let tests = t
            .ok(&configs_q(), json!({ "c": "test" }), ann_t, "configs")
            .await;
        assert_eq!(tests.as_array().map(Vec::len), Some(4), "{b}");
    }
}
