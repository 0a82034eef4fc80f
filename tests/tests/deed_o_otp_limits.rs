//! Deed-O's per-email OTP limits end to end on every backend: asking for new codes does not
//! reset the brute-force budget. Within a rolling hour an account is sent at most 10 codes and
//! has at most 10 wrong codes evaluated over all its requests; past either limit `requestOtp`
//! and `verifyOtp` answer `RATE_LIMITED`, write nothing and do not even check a right code,
//! until the rows carrying the count leave the window. Concurrent attempts count exactly.
//! Requests, wrong codes and limits are answered alike whether the email has an account, a
//! deleted one or none, so that `requestOtp` cannot enumerate accounts.

use api::sources::deed_o::writes::otp::{MAX_REQUESTS, MAX_WINDOW_FAILURES, WINDOW_MINUTES};
use e2e::{Data, Reply, TestApp, backends};
use entity::deed_o_auth::sea_orm_active_enums::UsersStatusesEnum;
use entity::deed_o_auth::{user_verifications, users};
use migration::Database;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;
use uuid::Uuid;

const REQUEST: &str = "mutation($e: String!, $a: DeedOVerificationAction!) { deedO { requestOtp(email: $e, action: $a, platform: DEED_O) } }";
const VERIFY: &str =
    "mutation($r: UUID!, $c: String!) { deedO { verifyOtp(requestId: $r, code: $c) { token } } }";

async fn ask(app: &TestApp, email: &str, action: &str) -> Reply {
    app.gql(REQUEST, json!({ "e": email, "a": action }), None)
        .await
}

/// The request id of a successful `requestOtp`.
fn request_id(r: &Reply) -> Uuid {
    r.data()["deedO"]["requestOtp"]
        .as_str()
        .and_then(|s| Uuid::parse_str(s).ok())
        .unwrap_or_else(|| panic!("no request id: {}", r.body))
}

/// A new request for `email`, with its code (read as a mailbox would receive it).
async fn request(app: &TestApp, email: &str, action: &str) -> (Uuid, String) {
    let id = request_id(&ask(app, email, action).await);
    let row = verification(app, id).await;
    (id, row.otp_code.chars().take(6).collect())
}

async fn verification(app: &TestApp, id: Uuid) -> user_verifications::Model {
    user_verifications::Entity::find_by_id(id)
        .one(app.db(Database::DeedOAuth))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("no verification {id}"))
}

async fn verify(app: &TestApp, id: Uuid, code: &str) -> Reply {
    app.gql(VERIFY, json!({ "r": id, "c": code }), None).await
}

/// A code that is not `code`.
fn wrong(code: &str) -> &'static str {
    if code == "000000" { "111111" } else { "000000" }
}

async fn user_id(app: &TestApp, email: &str) -> i32 {
    users::Entity::find()
        .filter(users::Column::Email.eq(email))
        .one(app.db(Database::DeedOAuth))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("no user {email}"))
        .id
}

/// Verification rows of the user.
async fn rows(app: &TestApp, user: i32) -> u64 {
    user_verifications::Entity::find()
        .filter(user_verifications::Column::UserId.eq(user))
        .count(app.db(Database::DeedOAuth))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Wrong codes recorded over the user's verification rows.
async fn failures(app: &TestApp, user: i32) -> usize {
    user_verifications::Entity::find()
        .filter(user_verifications::Column::UserId.eq(user))
        .all(app.db(Database::DeedOAuth))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .iter()
        .map(|v| v.otp_code.len().saturating_sub(6))
        .sum()
}

/// Moves the creation of the given requests out of the window (as if an hour had passed
/// for them); their expiry is left alone.
async fn age(app: &TestApp, ids: &[Uuid]) {
    let past = sea_orm::prelude::ChronoUtc::now().fixed_offset()
        - chrono::Duration::minutes(WINDOW_MINUTES + 1);
    user_verifications::Entity::update_many()
        .col_expr(user_verifications::Column::CreatedAt, Expr::val(past))
        .filter(user_verifications::Column::Id.is_in(ids.iter().copied()))
        .exec(app.db(Database::DeedOAuth))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
}

/// Registers `email` (one request, verified) and answers its user id.
async fn registered(app: &TestApp, email: &str) -> (i32, Uuid) {
    let (id, code) = request(app, email, "REGISTER").await;
    verify(app, id, &code).await.data();
    (user_id(app, email).await, id)
}

#[tokio::test]
async fn codes_per_email_are_limited_in_a_rolling_window() {
    for backend in backends() {
        let app = TestApp::spawn(&backend, Data::Empty).await;
        let b = backend.name();
        let email = "limit@example.org";
        let (user, first) = registered(&app, email).await;
        let mut ids = vec![first];
        for _ in 1..MAX_REQUESTS {
            ids.push(request(&app, email, "LOGIN").await.0);
        }
        // One more is refused, whatever the letter case, and writes nothing.
        for e in [email, "LIMIT@Example.org"] {
            let r = ask(&app, e, "LOGIN").await;
            assert_eq!(r.code(), Some("RATE_LIMITED"), "{b}: {}", r.body);
            assert!(r.body["data"]["deedO"].is_null(), "{b}: {}", r.body);
            let message = r.body["errors"][0]["message"].as_str().unwrap_or_default();
            assert!(message.contains("try again in"), "{b}: {message}");
        }
        assert_eq!(rows(&app, user).await, MAX_REQUESTS as u64, "{b}");
        // The codes already sent still work: the limit is on sending, not on signing in.
        let last = ids.last().copied().unwrap_or(first);
        let code = verification(&app, last).await.otp_code;
        verify(&app, last, &code).await.data();
        // Another account is not affected.
        registered(&app, "other@example.org").await;
        // Once the oldest request has left the window, one more code may be sent.
        age(&app, &ids[..1]).await;
        request(&app, email, "LOGIN").await;
        assert_eq!(
            ask(&app, email, "LOGIN").await.code(),
            Some("RATE_LIMITED"),
            "{b}"
        );
        // All of them out: the full budget again.
        age(&app, &ids).await;
        let r = ask(&app, email, "LOGIN").await;
        assert!(r.body["errors"].is_null(), "{b}: {}", r.body);
    }
}

#[tokio::test]
async fn concurrent_requests_count_exactly() {
    for backend in backends() {
        let app = TestApp::spawn(&backend, Data::Empty).await;
        let b = backend.name();
        let email = "burst@example.org";
        let (user, _) = registered(&app, email).await;
        let burst = (0..MAX_REQUESTS + 5).map(|_| ask(&app, email, "LOGIN"));
        let replies = futures_util::future::join_all(burst).await;
        let sent = replies.iter().filter(|r| r.code().is_none()).count();
        let limited = replies
            .iter()
            .filter(|r| r.code() == Some("RATE_LIMITED"))
            .count();
        assert_eq!(
            (sent, limited),
            (MAX_REQUESTS - 1, 6),
            "{b}: {:?}",
            replies.iter().map(Reply::code).collect::<Vec<_>>()
        );
        assert_eq!(rows(&app, user).await, MAX_REQUESTS as u64, "{b}");
    }
}

#[tokio::test]
async fn wrong_codes_count_over_all_requests_of_an_email() {
    for backend in backends() {
        let app = TestApp::spawn(&backend, Data::Empty).await;
        let b = backend.name();
        let email = "guess@example.org";
        let (user, _) = registered(&app, email).await;
        let (a, a_code) = request(&app, email, "LOGIN").await;
        let (bee, bee_code) = request(&app, email, "LOGIN").await;
        let (c, c_code) = request(&app, email, "LOGIN").await;
        // Five wrong codes kill the first request; five more on the second use up the
        // account's budget.
        for (id, code) in [(a, &a_code), (bee, &bee_code)] {
            for _ in 0..5 {
                let r = verify(&app, id, wrong(code)).await;
                assert_eq!(r.code(), Some("UNAUTHENTICATED"), "{b}: {}", r.body);
            }
        }
        assert_eq!(failures(&app, user).await, MAX_WINDOW_FAILURES, "{b}");
        // The third request is alive, but not even its right code is checked now, and the
        // refusal is not counted.
        let r = verify(&app, c, &c_code).await;
        assert_eq!(r.code(), Some("RATE_LIMITED"), "{b}: {}", r.body);
        assert!(r.body["data"]["deedO"].is_null(), "{b}: {}", r.body);
        let row = verification(&app, c).await;
        assert_eq!((row.verified, row.otp_code.len()), (false, 6), "{b}");
        assert_eq!(failures(&app, user).await, MAX_WINDOW_FAILURES, "{b}");
        // Nor is a new code sent.
        let r = ask(&app, email, "LOGIN").await;
        assert_eq!(r.code(), Some("RATE_LIMITED"), "{b}: {}", r.body);
        // A dead request still says why.
        assert_eq!(
            verify(&app, a, &a_code).await.code(),
            Some("UNAUTHENTICATED"),
            "{b}"
        );
        // Once the requests carrying the wrong codes have left the window, the live code works.
        age(&app, &[a, bee]).await;
        let r = verify(&app, c, &c_code).await;
        assert!(r.data()["deedO"]["verifyOtp"]["token"].is_string(), "{b}");
        request(&app, email, "LOGIN").await;
    }
}

#[tokio::test]
async fn concurrent_wrong_codes_on_several_requests_count_exactly() {
    for backend in backends() {
        let app = TestApp::spawn(&backend, Data::Empty).await;
        let b = backend.name();
        let email = "swarm@example.org";
        let (user, _) = registered(&app, email).await;
        let mut live = Vec::new();
        for _ in 0..3 {
            live.push(request(&app, email, "LOGIN").await);
        }
        // Fifteen wrong codes at once over three requests (five each, as from several
        // replicas): exactly ten are evaluated.
        let attempts = live
            .iter()
            .flat_map(|(id, code)| (0..5).map(move |_| (*id, wrong(code))))
            .map(|(id, code)| {
                let app = &app;
                async move { verify(app, id, code).await }
            });
        let replies = futures_util::future::join_all(attempts).await;
        let codes: Vec<Option<&str>> = replies.iter().map(Reply::code).collect();
        let evaluated = codes
            .iter()
            .filter(|c| **c == Some("UNAUTHENTICATED"))
            .count();
        let limited = codes.iter().filter(|c| **c == Some("RATE_LIMITED")).count();
        assert_eq!(
            (evaluated, limited),
            (MAX_WINDOW_FAILURES, 5),
            "{b}: {codes:?}"
        );
        assert_eq!(failures(&app, user).await, MAX_WINDOW_FAILURES, "{b}");
    }
}

#[tokio::test]
async fn requests_are_answered_alike_whether_the_email_has_an_account() {
    for backend in backends() {
        let app = TestApp::spawn(&backend, Data::Empty).await;
        let b = backend.name();
        // A live account and a deleted one, their registration out of the window so that all
        // four emails start with the same budget.
        let (known, gone) = ("known@example.org", "gone@example.org");
        let (_, first) = registered(&app, known).await;
        let (_, second) = registered(&app, gone).await;
        age(&app, &[first, second]).await;
        users::Entity::update_many()
            .col_expr(
                users::Column::DeletedAt,
                Expr::value(chrono::Utc::now().naive_utc()),
            )
            .filter(users::Column::Email.eq(gone))
            .exec(app.db(Database::DeedOAuth))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let (nobody, newcomer) = ("nobody@example.org", "newcomer@example.org");

        // Each action answers a request id for every email, and a wrong code for it is answered
        // in the same words: nothing tells whether the email has an account.
        let mut answers = Vec::new();
        let mut nobody_request = None;
        for (email, action) in [
            (known, "REGISTER"),
            (known, "LOGIN"),
            (nobody, "LOGIN"),
            (newcomer, "REGISTER"),
            (gone, "LOGIN"),
            (gone, "REGISTER"),
        ] {
            let (id, code) = request(&app, email, action).await;
            let r = verify(&app, id, wrong(&code)).await;
            let message = r.body["errors"][0]["message"].as_str().map(str::to_owned);
            answers.push(((email, action), r.code().map(str::to_owned), message));
            if email == nobody {
                nobody_request = Some((id, code));
            }
        }
        let expected = (
            Some("UNAUTHENTICATED".to_owned()),
            Some("wrong code; 4 attempts left".to_owned()),
        );
        for (case, code, message) in &answers {
            assert_eq!((code, message), (&expected.0, &expected.1), "{b}: {case:?}");
        }

        // The limits count alike too: every email is sent MAX_REQUESTS codes in the window,
        // then each is RATE_LIMITED.
        for email in [known, nobody, newcomer, gone] {
            let mut sent = answers.iter().filter(|(c, ..)| c.0 == email).count();
            let limited = loop {
                let r = ask(&app, email, "LOGIN").await;
                match r.code() {
                    None => sent += 1,
                    code => break code.map(str::to_owned),
                }
                assert!(sent <= MAX_REQUESTS, "{b}: {email}: no limit");
            };
            assert_eq!(
                (sent, limited.as_deref()),
                (MAX_REQUESTS, Some("RATE_LIMITED")),
                "{b}: {email}"
            );
        }

        // A login for an email without an account made one: its holder signs in with the code
        // sent, and the account is then verified.
        let (id, code) = nobody_request.unwrap_or_else(|| panic!("{b}: no request"));
        let r = verify(&app, id, &code).await;
        assert!(
            r.data()["deedO"]["verifyOtp"]["token"].is_string(),
            "{b}: {}",
            r.body
        );
        let nobody_user = users::Entity::find_by_id(user_id(&app, nobody).await)
            .one(app.db(Database::DeedOAuth))
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("{b}: no user"));
        assert_eq!(nobody_user.status, UsersStatusesEnum::Verified, "{b}");
    }
}
