//! The usegemz authorization matrix: every query and mutation of `UsegemzQuery` and
//! `UsegemzMutation`, asked by the anonymous viewer, the owner of the data, another signed-in
//! user, an admin (by `is_admin` in the data) and a valid token of another source.
//!
//! What each viewer should get (seed 001, README "Identity and roles", the source's module docs):
//! - Campaigns, scraping jobs, their results, and the legacy search jobs and results are the
//!   owner's: other users (and the anonymous, and foreign tokens, who are anonymous here) see
//!   nothing of them through any path; admins read every row of the source.
//! - Profile writes act on the viewer's own profile only; campaign and job writes are the
//!   owner's only (another user's row, even for an admin, answers `NOT_FOUND` like a missing one).
//! - Admins alone list, promote and demote admins and read and write configuration (`config`,
//!   `configs` and the generic `systemConfigurations`).
//!
//! The `usegemzJobProgress` subscription is a root `Subscription` field, outside the namespace.

use e2e::authz::{self, Case, Expect, Who, World};
use e2e::{Data, TestApp, backends, fixtures};
use entity::usegemz::{search_jobs, search_results};
use migration::Database;
use sea_orm::prelude::DateTime;
use sea_orm::{ActiveModelTrait, ActiveValue::Set};
use serde_json::{Value, json};
use uuid::Uuid;

use Expect::{Allowed, Nothing, Refused};
use Who::{Admin, Anonymous, Foreign, Other, Owner};

const OWNER: &str = "user_2owner";
const OTHER: &str = "user_2other";
const ADMIN: &str = "user_2admin";
/// A profile the admin promotes and demotes, so the admin matrix keeps its admin.
const SPARE: &str = "user_2spare";

const UNAUTH: Expect = Refused("UNAUTHENTICATED");
const FORBIDDEN: Expect = Refused("FORBIDDEN");
const NOT_FOUND: Expect = Refused("NOT_FOUND");

/// A profile with its private fields and its children.
const PROFILE: &str = "id rowId userId email fullName businessName isAdmin";
/// The creators union, every member.
const CREATOR: &str = "__typename
  ... on UsegemzTikTokKeywordCreator { creator { name emails uniqueId } video { description } }
  ... on UsegemzTikTokSimilarCreator { creator { name emails } targetUsername }
  ... on UsegemzInstagramSimilarCreator { username fullName }
  ... on UsegemzYouTubeKeywordCreator { creator { name } }
  ... on UsegemzRawCreator { json }";

/// A job with every path to private data below it.
fn job_deep() -> String {
    format!(
        "id rowId userId keywords targetUsername profile {{ email fullName }} campaign {{ name description }}
         results {{ totalCount nodes {{ rowId creators }} }}
         creators {{ totalCount nodes {{ {CREATOR} }} }}"
    )
}

/// A campaign with every path to private data below it.
fn campaign_deep() -> String {
    format!(
        "id rowId userId name description profile {{ email fullName }}
         scrapingJobs {{ totalCount nodes {{ {} }} }}
         searchJobs {{ totalCount nodes {{ rowId results {{ totalCount nodes {{ username displayName email bio }} }} }} }}",
        job_deep()
    )
}

const SEARCH_RESULT: &str =
    "id rowId username displayName email bio rawData job { rowId campaign { name } }";
const TRIAL: &str = "status startDate endDate profile { userId email fullName }";
const CONFIG: &str = "category key value valueType description";
const SYSTEM_CONFIG: &str = "id rowId category key value";

/// A query of the namespace with `$id` of type `ty` (none when `ty` is empty).
fn query(ty: &str, body: &str) -> String {
    if ty.is_empty() {
        format!("query {{ usegemz {{ {body} }} }}")
    } else {
        format!("query($id: {ty}) {{ usegemz {{ {body} }} }}")
    }
}

/// A mutation of the namespace with the given variable declarations.
fn mutation(decl: &str, body: &str) -> String {
    if decl.is_empty() {
        format!("mutation {{ usegemz {{ {body} }} }}")
    } else {
        format!("mutation({decl}) {{ usegemz {{ {body} }} }}")
    }
}

/// A TikTok keyword creator record (exact key casing, as `appendJobResults` checks).
fn tiktok_keyword(name: &str, email: &str) -> Value {
    json!({
        "creator": { "name": name, "followers": 1200, "avatarUrl": "/api/proxy/image?url=a",
            "profilePicUrl": "/api/proxy/image?url=p", "bio": "bio", "emails": [email],
            "uniqueId": "@handle", "verified": true },
        "video": { "description": "Video", "url": "https://tiktok.com/@handle/video/1",
            "statistics": { "likes": 1, "comments": 1, "shares": 1, "views": 10 } },
        "hashtags": ["#x"],
        "platform": "TikTok"
    })
}

fn text(v: &Value) -> String {
    v.as_str()
        .unwrap_or_else(|| panic!("not a string: {v}"))
        .to_owned()
}

fn at(secs: i64) -> DateTime {
    sea_orm::prelude::ChronoDateTimeUtc::from_timestamp(secs, 0)
        .map(|t| t.naive_utc())
        .unwrap_or_default()
}

/// `data.usegemz.<field>` of a request that must succeed.
async fn ok(app: &TestApp, doc: &str, vars: Value, token: Option<&str>, field: &str) -> Value {
    let r = app.gql(doc, vars, token).await;
    r.data()["usegemz"][field].clone()
}

/// The global id of the row `key` of the lookup `field`, as `token` reads it.
async fn global_id(app: &TestApp, token: &str, field: &str, ty: &str, key: &str) -> String {
    let doc = query(ty, &format!("{field}(rowId: $id) {{ id }}"));
    text(&ok(app, &doc, json!({ "id": key }), Some(token), field).await["id"])
}

/// The owner's rows, with the secret markers their private texts carry.
struct Rows {
    profile: String,
    campaign: String,
    archive: String,
    job: String,
    pending_job: String,
    result: String,
    search_job: String,
    search_result: String,
    config: String,
    /// The owner's e-mail address, a keyword of their job, a creator their job found.
    email: String,
    keyword: String,
    creator: String,
    secrets: Vec<String>,
}

/// Arranges the owner's profile, campaigns, jobs, results and legacy rows, the admin and the
/// spare profile.
async fn arrange(app: &TestApp, owner: &str, admin: &str, spare: &str) -> Rows {
    let marker = |what: &str| format!("secret-{what}-{}", Uuid::new_v4().simple());
    let email = marker("email");
    let full_name = marker("name");
    let business = marker("business");
    let campaign_name = marker("campaign");
    let campaign_desc = marker("description");
    let archive_name = marker("archived");
    let keyword = marker("keyword");
    let target = marker("target");
    let creator = marker("creator");
    let creator_email = marker("creator-email");
    let search_user = marker("search-user");
    let search_email = marker("search-email");
    let search_bio = marker("search-bio");

    let create = "mutation($e: String, $n: String, $b: String) { usegemz { createProfile(email: $e, fullName: $n, businessName: $b) { rowId } } }";
    let vars = json!({ "e": format!("{email}@example.com"), "n": full_name, "b": business });
    let profile = text(&ok(app, create, vars, Some(owner), "createProfile").await["rowId"]);
    for (token, name) in [(admin, "Admin"), (spare, "Spare")] {
        let vars = json!({ "e": format!("{}@example.com", name.to_lowercase()), "n": name });
        ok(app, create, vars, Some(token), "createProfile").await;
    }
    app.grant("usegemz", ADMIN, "admin").await;

    // The campaign with its first job, running, with one batch of creators.
    let with_job = "mutation($n: String!, $d: String, $k: [String]!) { usegemz { createCampaignWithJob(name: $n, description: $d, searchType: KEYWORD, platform: TIKTOK, keywords: $k) { campaign { rowId } job { rowId } } } }";
    let vars = json!({ "n": campaign_name, "d": campaign_desc, "k": [keyword] });
    let both = ok(app, with_job, vars, Some(owner), "createCampaignWithJob").await;
    let campaign = text(&both["campaign"]["rowId"]);
    let job = text(&both["job"]["rowId"]);
    let status = "mutation($id: UUID!) { usegemz { updateJobStatus(id: $id, status: PROCESSING) { rowId } } }";
    ok(
        app,
        status,
        json!({ "id": job }),
        Some(owner),
        "updateJobStatus",
    )
    .await;
    let append = "mutation($id: UUID!, $c: JSON!) { usegemz { appendJobResults(jobId: $id, creators: $c) { rowId } } }";
    let vars = json!({ "id": job, "c": [tiktok_keyword(&creator, &format!("{creator_email}@example.com"))] });
    let result = text(&ok(app, append, vars, Some(owner), "appendJobResults").await["rowId"]);

    // A campaign to archive, and a pending similar-search job without a campaign.
    let create_campaign = "mutation($n: String!) { usegemz { createCampaign(name: $n, searchType: KEYWORD) { rowId } } }";
    let vars = json!({ "n": archive_name });
    let archive =
        text(&ok(app, create_campaign, vars, Some(owner), "createCampaign").await["rowId"]);
    let create_job = "mutation($u: String) { usegemz { createScrapingJob(platform: INSTAGRAM, keywords: [], targetUsername: $u) { rowId } } }";
    let vars = json!({ "u": format!("@{target}") });
    let pending_job =
        text(&ok(app, create_job, vars, Some(owner), "createScrapingJob").await["rowId"]);

    // The legacy search job of the campaign with one found creator (no writes exist for them).
    let db = app.db(Database::Usegemz);
    let search_job = format!("sj_{}", Uuid::new_v4().simple());
    search_jobs::ActiveModel {
        id: Set(search_job.clone()),
        campaign_id: Set(Some(Uuid::parse_str(&campaign).unwrap_or_default())),
        platform: Set("TikTok".into()),
        search_type: Set("keyword".into()),
        status: Set("completed".into()),
        total_count: Set(1),
        completed_count: Set(1),
        created_at: Set(at(1_700_000_000)),
        updated_at: Set(at(1_700_000_000)),
        completed_at: Set(Some(at(1_700_000_100))),
    }
    .insert(db)
    .await
    .unwrap_or_else(|e| panic!("search job: {e}"));
    let search_result = Uuid::new_v4();
    search_results::ActiveModel {
        id: Set(search_result),
        job_id: Set(search_job.clone()),
        profile_id: Set("tt_1".into()),
        username: Set(search_user.clone()),
        display_name: Set(Some(full_name.clone())),
        platform: Set("TikTok".into()),
        profile_url: Set(None),
        post_url: Set(None),
        post_description: Set(None),
        avatar_url: Set(None),
        followers: Set(Some(10)),
        is_verified: Set(Some("false".into())),
        email: Set(Some(format!("{search_email}@example.com"))),
        bio: Set(Some(search_bio.clone())),
        raw_data: Set(Some(json!({ "note": search_bio }))),
        created_at: Set(at(1_700_000_050)),
    }
    .insert(db)
    .await
    .unwrap_or_else(|e| panic!("search result: {e}"));

    // One of the seeded settings, by its key, as the admin reads it.
    let list = query(
        "",
        "systemConfigurations(where: { key: { eq: \"trial_day_2_delay\" } }) { nodes { rowId } }",
    );
    let configs = ok(app, &list, json!({}), Some(admin), "systemConfigurations").await;
    let config = text(&configs["nodes"][0]["rowId"]);

    Rows {
        profile,
        campaign,
        archive,
        job,
        pending_job,
        result,
        search_job,
        search_result: search_result.to_string(),
        config,
        email: format!("{email}@example.com"),
        keyword: keyword.clone(),
        creator: creator.clone(),
        secrets: vec![
            email,
            full_name,
            business,
            campaign_name,
            campaign_desc,
            archive_name,
            keyword,
            target,
            creator,
            creator_email,
            search_user,
            search_email,
            search_bio,
        ],
    }
}

/// A list case selecting rows, and one selecting only `totalCount` (an empty page with a
/// count of hidden rows would pass the first).
fn list_cases(field: &'static str, args: &str, nodes: &str, seen: &[(Who, Expect)]) -> [Case; 2] {
    let args = if args.is_empty() {
        String::new()
    } else {
        format!("({args})")
    };
    let full = query(
        "",
        &format!("{field}{args} {{ totalCount nodes {{ {nodes} }} }}"),
    );
    let count = query("", &format!("{field}{args} {{ totalCount }}"));
    let mut a = Case::new(field, full, json!({}));
    let mut b = Case::new(field, count, json!({}));
    for (who, expect) in seen {
        a = a.then(*who, *expect);
        b = b.then(*who, *expect);
    }
    [a, b]
}

/// Adds the same outcome for several viewers.
fn each(mut case: Case, whos: &[Who], expect: Expect) -> Case {
    for who in whos {
        case = case.then(*who, expect);
    }
    case
}

fn cases(rows: &Rows) -> Vec<Case> {
    let id = |v: &str| json!({ "id": v });
    // Nobody but the owner and admins sees the owner's rows.
    let owned: [(Who, Expect); 5] = [
        (Anonymous, Nothing),
        (Foreign, Nothing),
        (Other, Nothing),
        (Owner, Allowed),
        (Admin, Allowed),
    ];
    // Configuration rows of the generic table: admins only.
    let admin_only: [(Who, Expect); 5] = [
        (Anonymous, Nothing),
        (Foreign, Nothing),
        (Other, Nothing),
        (Owner, Nothing),
        (Admin, Allowed),
    ];
    let lookup = |field: &'static str, ty: &str, nodes: &str, key: &str, seen: &[(Who, Expect)]| {
        let doc = query(ty, &format!("{field}(rowId: $id) {{ {nodes} }}"));
        seen.iter()
            .fold(Case::new(field, doc, id(key)), |c, (w, e)| c.then(*w, *e))
    };
    let owner_email = &rows.email;

    let mut out = vec![
        // ---- the viewer's own profile ------------------------------------------------------
        // Other has no profile yet: creating one is theirs to do; the owner's exists.
        each(
            Case::new(
                "createProfile",
                mutation(
                    "$e: String, $n: String",
                    &format!("createProfile(email: $e, fullName: $n) {{ {PROFILE} }}"),
                ),
                json!({ "e": "other@example.com", "n": "Other" }),
            ),
            &[Anonymous, Foreign],
            UNAUTH,
        )
        .then(Owner, Refused("CONFLICT"))
        .then(Other, Allowed),
        // Each signed-in viewer gets their own profile and its own children, never the owner's.
        each(
            Case::new(
                "viewerProfile",
                query(
                    "",
                    &format!(
                        "viewerProfile {{ {PROFILE} campaigns {{ totalCount nodes {{ name }} }} scrapingJobs {{ totalCount nodes {{ keywords }} }} }}"
                    ),
                ),
                json!({}),
            ),
            &[Anonymous, Foreign],
            Nothing,
        )
        .then(Other, Allowed)
        .then(Owner, Allowed)
        .then(Admin, Allowed),
        each(
            Case::new("viewerTrial", query("", &format!("viewerTrial {{ {TRIAL} }}")), json!({})),
            &[Anonymous, Foreign],
            Nothing,
        )
        .then(Other, Allowed)
        .then(Owner, Allowed)
        .then(Admin, Allowed),
        // ---- admins --------------------------------------------------------------------------
        each(
            Case::new("admins", query("", "admins { userId fullName email isAdmin }"), json!({})),
            &[Anonymous, Foreign],
            UNAUTH,
        )
        .then(Other, FORBIDDEN)
        .then(Owner, FORBIDDEN)
        .then(Admin, Allowed),
        // ---- a job's state and creators: the owner's, and readable by admins ---------------
        each(
            Case::new(
                "jobStatus",
                query("UUID!", "jobStatus(id: $id) { jobId status progress processedResults error }"),
                id(&rows.job),
            ),
            &[Anonymous, Foreign],
            UNAUTH,
        )
        .then(Other, NOT_FOUND)
        .then(Owner, Allowed)
        .then(Admin, Allowed),
        each(
            Case::new(
                "jobCreators",
                query(
                    "UUID!",
                    &format!("jobCreators(jobId: $id) {{ totalCount nodes {{ {CREATOR} }} }}"),
                ),
                id(&rows.job),
            ),
            &[Anonymous, Foreign],
            UNAUTH,
        )
        .then(Other, NOT_FOUND)
        .then(Owner, Allowed)
        .then(Admin, Allowed),
        // Even a filter matching nothing answers nothing about another's job.
        each(
            Case::new(
                "jobCreators",
                query("UUID!", "jobCreators(jobId: $id, where: { minFollowers: 100000000 }) { totalCount }"),
                id(&rows.job),
            ),
            &[Anonymous, Foreign],
            UNAUTH,
        )
        .then(Other, NOT_FOUND)
        .then(Owner, Nothing)
        .then(Admin, Nothing),
        // ---- configuration: admins only, as the table's rule says ---------------------------
        each(
            Case::new(
                "config",
                query(
                    "",
                    &format!("config(category: \"email\", key: \"trial_day_2_delay\") {{ {CONFIG} }}"),
                ),
                json!({}),
            ),
            &[Anonymous, Foreign],
            UNAUTH,
        )
        .then(Other, FORBIDDEN)
        .then(Owner, FORBIDDEN)
        .then(Admin, Allowed),
        each(
            Case::new("configs", query("", &format!("configs {{ {CONFIG} }}")), json!({})),
            &[Anonymous, Foreign],
            UNAUTH,
        )
        .then(Other, FORBIDDEN)
        .then(Owner, FORBIDDEN)
        .then(Admin, Allowed),
    ];

    // ---- the generic tables ----------------------------------------------------------------
    // Profiles: each signed-in user sees their own row only.
    let own_only = [
        (Anonymous, Nothing),
        (Foreign, Nothing),
        (Other, Allowed),
        (Owner, Allowed),
        (Admin, Allowed),
    ];
    let profile_nodes = format!(
        "{PROFILE} campaigns {{ totalCount nodes {{ name description }} }} scrapingJobs {{ totalCount nodes {{ keywords targetUsername }} }}"
    );
    out.extend(list_cases("userProfiles", "", &profile_nodes, &own_only));
    out.extend(list_cases(
        "userProfiles",
        &format!("where: {{ userId: {{ eq: \"{OWNER}\" }} }}"),
        &profile_nodes,
        &owned,
    ));
    // A filter on a private column is no oracle for whether the value exists.
    out.extend(list_cases(
        "userProfiles",
        &format!("where: {{ email: {{ eq: \"{owner_email}\" }} }}"),
        "rowId",
        &owned,
    ));
    out.push(lookup(
        "userProfile",
        "UUID!",
        &profile_nodes,
        &rows.profile,
        &owned,
    ));

    out.extend(list_cases("campaigns", "", &campaign_deep(), &owned));
    out.push(lookup(
        "campaign",
        "UUID!",
        &campaign_deep(),
        &rows.campaign,
        &owned,
    ));
    out.extend(list_cases("scrapingJobs", "", &job_deep(), &owned));
    out.extend(list_cases(
        "scrapingJobs",
        "where: { platform: { eq: INSTAGRAM } }",
        &job_deep(),
        &owned,
    ));
    out.push(lookup(
        "scrapingJob",
        "UUID!",
        &job_deep(),
        &rows.job,
        &owned,
    ));
    let result_nodes = format!("id rowId creators job {{ {} }}", job_deep());
    out.extend(list_cases("scrapingResults", "", &result_nodes, &owned));
    out.push(lookup(
        "scrapingResult",
        "UUID!",
        &result_nodes,
        &rows.result,
        &owned,
    ));

    out.extend(list_cases(
        "systemConfigurations",
        "",
        SYSTEM_CONFIG,
        &admin_only,
    ));
    out.push(lookup(
        "systemConfiguration",
        "UUID!",
        SYSTEM_CONFIG,
        &rows.config,
        &admin_only,
    ));

    let search_job_nodes = format!(
        "id rowId status campaign {{ name description }} results {{ totalCount nodes {{ {SEARCH_RESULT} }} }}"
    );
    out.extend(list_cases("searchJobs", "", &search_job_nodes, &owned));
    out.push(lookup(
        "searchJob",
        "String!",
        &search_job_nodes,
        &rows.search_job,
        &owned,
    ));
    out.extend(list_cases("searchResults", "", SEARCH_RESULT, &owned));
    out.push(lookup(
        "searchResult",
        "UUID!",
        SEARCH_RESULT,
        &rows.search_result,
        &owned,
    ));

    // ---- profile writes: always the viewer's own profile --------------------------------------
    let profile_write = |field: &'static str, decl: &str, call: &str, vars: Value| {
        each(
            Case::new(
                field,
                mutation(decl, &format!("{call} {{ {PROFILE} }}")),
                vars,
            ),
            &[Anonymous, Foreign],
            UNAUTH,
        )
        .then(Other, Allowed)
        .then(Owner, Allowed)
    };
    out.push(profile_write(
        "updateProfile",
        "$i: String",
        "updateProfile(industry: $i)",
        json!({ "i": "Fitness" }),
    ));
    // The step after a new profile's PENDING: onboarding goes one step at a time.
    out.push(profile_write(
        "advanceOnboarding",
        "",
        "advanceOnboarding(step: INFO_CAPTURED)",
        json!({}),
    ));
    let trial = |field: &'static str| {
        Case::new(
            field,
            mutation("", &format!("{field} {{ {TRIAL} }}")),
            json!({}),
        )
        .then(Anonymous, UNAUTH)
        .then(Foreign, UNAUTH)
    };
    out.push(
        trial("startTrial")
            .then(Other, Allowed)
            .then(Owner, Allowed),
    );
    out.push(trial("convertTrial").then(Owner, Allowed));
    out.push(trial("cancelTrial").then(Other, Allowed));

    // ---- admin writes: admins only ------------------------------------------------------------
    let admin_write = |field: &'static str, user: &str| {
        Case::new(
            field,
            mutation(
                "$u: String!",
                &format!("{field}(userId: $u) {{ {PROFILE} }}"),
            ),
            json!({ "u": user }),
        )
        .then(Anonymous, UNAUTH)
        .then(Foreign, UNAUTH)
        .then(Other, FORBIDDEN)
        .then(Owner, FORBIDDEN)
    };
    // Promoting oneself, or demoting the admin, is refused to non-admins.
    out.push(admin_write("promoteAdmin", OWNER));
    out.push(admin_write("promoteAdmin", SPARE).then(Admin, Allowed));
    out.push(admin_write("demoteAdmin", ADMIN));
    out.push(admin_write("demoteAdmin", SPARE).then(Admin, Allowed));
    let set_config = |key: &str| {
        Case::new(
            "setConfig",
            mutation(
                "$k: String!",
                &format!("setConfig(category: \"authz\", key: $k, value: \"1\", valueType: \"number\") {{ {CONFIG} }}"),
            ),
            json!({ "k": key }),
        )
        .then(Anonymous, UNAUTH)
        .then(Foreign, UNAUTH)
        .then(Other, FORBIDDEN)
        .then(Owner, FORBIDDEN)
    };
    out.push(set_config("refused"));
    out.push(set_config("probe").then(Admin, Allowed));

    // ---- campaign and job writes: the owner's only (admins included, another's row is absent)
    let owner_write = |field: &'static str, decl: &str, call: &str, sel: &str, vars: Value| {
        Case::new(field, mutation(decl, &format!("{call} {{ {sel} }}")), vars)
            .then(Anonymous, UNAUTH)
            .then(Foreign, UNAUTH)
            .then(Other, NOT_FOUND)
            .then(Admin, NOT_FOUND)
            .then(Owner, Allowed)
    };
    let campaign_sel = "rowId name description status";
    out.push(owner_write(
        "updateCampaign",
        "$id: UUID!",
        "updateCampaign(id: $id, description: \"changed by its owner\")",
        campaign_sel,
        id(&rows.campaign),
    ));
    out.push(owner_write(
        "archiveCampaign",
        "$id: UUID!",
        "archiveCampaign(id: $id)",
        campaign_sel,
        id(&rows.archive),
    ));
    out.push(owner_write(
        "createScrapingJob",
        "$id: UUID",
        "createScrapingJob(campaignId: $id, platform: TIKTOK, keywords: [\"more\"])",
        "rowId keywords campaign { name description }",
        id(&rows.campaign),
    ));
    let job_sel = "rowId status keywords targetUsername campaign { name }";
    out.push(owner_write(
        "updateJobStatus",
        "$id: UUID!",
        "updateJobStatus(id: $id, status: PROCESSING)",
        job_sel,
        id(&rows.pending_job),
    ));
    out.push(owner_write(
        "recordJobProgress",
        "$id: UUID!",
        "recordJobProgress(id: $id, newResults: 0, cursor: 1)",
        job_sel,
        id(&rows.job),
    ));
    out.push(owner_write(
        "appendJobResults",
        "$id: UUID!, $c: JSON!",
        "appendJobResults(jobId: $id, creators: $c)",
        "rowId creators job { rowId keywords }",
        json!({ "id": rows.job, "c": [tiktok_keyword("Plain Creator", "plain@example.com")] }),
    ));

    // ---- creations: any signed-in usegemz user, for themselves (last: Other owns rows after)
    let create = |field: &'static str, call: &str, sel: &str| {
        each(
            Case::new(
                field,
                mutation("", &format!("{call} {{ {sel} }}")),
                json!({}),
            ),
            &[Anonymous, Foreign],
            UNAUTH,
        )
        .then(Other, Allowed)
        .then(Owner, Allowed)
    };
    out.push(create(
        "createCampaign",
        "createCampaign(name: \"Mine\", searchType: SIMILAR)",
        "rowId userId profile { userId email }",
    ));
    out.push(create(
        "createScrapingJob",
        "createScrapingJob(platform: YOUTUBE, keywords: [\"mine\"])",
        "rowId userId campaign { name }",
    ));
    out.push(create(
        "createCampaignWithJob",
        "createCampaignWithJob(name: \"Both\", searchType: KEYWORD, platform: TIKTOK, keywords: [\"mine\"])",
        "campaign { rowId userId } job { rowId userId profile { email } }",
    ));
    out
}

/// Every response to a viewer who may not see the secrets is free of them.
fn assert_clean(what: &str, body: &Value, secrets: &[String]) {
    let text = body.to_string();
    for s in secrets {
        assert!(!text.contains(s.as_str()), "{what}: `{s}` leaked: {text}");
    }
}

#[tokio::test]
async fn authorization_matrix() {
    for backend in backends() {
        let b = backend.name();
        let app = TestApp::spawn(&backend, Data::Empty).await;
        let owner = app.token("usegemz", OWNER);
        let other = app.token("usegemz", OTHER);
        let admin = app.token("usegemz", ADMIN);
        let spare = app.token("usegemz", SPARE);
        // A valid token of another source: a real Head Shakers user, anonymous to usegemz.
        let hs = fixtures::hs_user(app.db(Database::HeadShakers), 1).await;
        let foreign = app.token("head_shakers", &hs.to_string());
        let rows = arrange(&app, &owner, &admin, &spare).await;

        let world = World {
            app: &app,
            namespace: "usegemz",
            query_type: "UsegemzQuery",
            mutation_type: "UsegemzMutation",
            tokens: vec![
                (Anonymous, None),
                (Owner, Some(owner.clone())),
                (Other, Some(other.clone())),
                (Admin, Some(admin.clone())),
                (Foreign, Some(foreign.clone())),
            ],
            secrets: rows.secrets.clone(),
        };
        authz::run(&world, &cases(&rows)).await;

        let outsiders = [
            ("anonymous", None),
            ("other", Some(other.as_str())),
            ("foreign", Some(foreign.as_str())),
        ];
        let insiders = [
            ("owner", Some(owner.as_str())),
            ("admin", Some(admin.as_str())),
        ];

        // ---- node(id:) and nodes(ids:): only the owner and admins resolve private rows ----------
        let private = [
            global_id(&app, &owner, "userProfile", "UUID!", &rows.profile).await,
            global_id(&app, &owner, "campaign", "UUID!", &rows.campaign).await,
            global_id(&app, &owner, "scrapingJob", "UUID!", &rows.job).await,
            global_id(&app, &owner, "scrapingResult", "UUID!", &rows.result).await,
            global_id(&app, &owner, "searchJob", "String!", &rows.search_job).await,
            global_id(&app, &owner, "searchResult", "UUID!", &rows.search_result).await,
        ];
        let node = format!(
            "query($id: ID!) {{ node(id: $id) {{ id
              ... on UsegemzUserProfile {{ email fullName }}
              ... on UsegemzCampaign {{ name description }}
              ... on UsegemzScrapingJob {{ keywords creators {{ totalCount nodes {{ {CREATOR} }} }} }}
              ... on UsegemzScrapingResult {{ creators }}
              ... on UsegemzSearchJob {{ campaign {{ name }} }}
              ... on UsegemzSearchResult {{ username email bio }} }}
              nodes(ids: [$id]) {{ id }} }}"
        );
        for gid in &private {
            for (who, token) in outsiders {
                let r = app.gql(&node, json!({ "id": gid }), token).await;
                let what = format!("{b} node({gid}) as {who}");
                assert_eq!(r.data()["node"], Value::Null, "{what}: {}", r.body);
                assert_eq!(r.data()["nodes"], json!([null]), "{what}: {}", r.body);
                assert_clean(&what, &r.body, &rows.secrets);
            }
            for (who, token) in insiders {
                let r = app.gql(&node, json!({ "id": gid }), token).await;
                assert_eq!(
                    r.data()["node"]["id"],
                    gid.as_str(),
                    "{b} node as {who}: {}",
                    r.body
                );
            }
        }
        // A setting's node: admins only.
        let gid = global_id(&app, &admin, "systemConfiguration", "UUID!", &rows.config).await;
        for (who, token) in outsiders.iter().chain(&[("owner", Some(owner.as_str()))]) {
            let r = app.gql(&node, json!({ "id": gid }), *token).await;
            assert_eq!(
                r.data()["node"],
                Value::Null,
                "{b} setting node as {who}: {}",
                r.body
            );
        }
        let r = app.gql(&node, json!({ "id": gid }), Some(&admin)).await;
        assert_eq!(
            r.data()["node"]["id"],
            gid.as_str(),
            "{b} setting node as admin: {}",
            r.body
        );

        // ---- aggregates count only visible rows ------------------------------------------------
        let aggregates = query(
            "",
            "userProfiles(where: { userId: { eq: \"user_2owner\" } }) { aggregate { count } }
             campaigns { aggregate { count } } scrapingJobs { aggregate { count sum { processedResults } } }
             scrapingResults { aggregate { count } } searchJobs { aggregate { count } }
             searchResults { aggregate { count sum { followers } } } systemConfigurations { aggregate { count } }",
        );
        for (who, token) in [("anonymous", None), ("foreign", Some(foreign.as_str()))] {
            let r = app.gql(&aggregates, json!({}), token).await;
            for (k, v) in r.data()["usegemz"].as_object().into_iter().flatten() {
                assert_eq!(
                    v["aggregate"]["count"], 0,
                    "{b} {k} aggregate as {who}: {}",
                    r.body
                );
            }
        }
        // Other owns rows by now (the creation cases): none of the owner's may count.
        let r = app.gql(&aggregates, json!({}), Some(&other)).await;
        let d = &r.data()["usegemz"];
        for k in [
            "userProfiles",
            "searchJobs",
            "searchResults",
            "scrapingResults",
            "systemConfigurations",
        ] {
            assert_eq!(
                d[k]["aggregate"]["count"], 0,
                "{b} {k} aggregate as other: {}",
                r.body
            );
        }
        assert_eq!(
            d["campaigns"]["aggregate"]["count"], 2,
            "{b}: other's own campaigns"
        );
        assert_eq!(
            d["scrapingJobs"]["aggregate"]["count"], 2,
            "{b}: other's own jobs"
        );
        let r = app.gql(&aggregates, json!({}), Some(&owner)).await;
        assert_eq!(
            r.data()["usegemz"]["searchResults"]["aggregate"]["count"],
            1,
            "{b}"
        );
        assert_eq!(
            r.data()["usegemz"]["systemConfigurations"]["aggregate"]["count"],
            0,
            "{b}"
        );

        // ---- a visible row's link to an invisible one resolves to nothing ------------------------
        // Other's own job pointing at the owner's campaign (inconsistent data the API cannot
        // write): the job is Other's, the campaign still the owner's alone.
        let crossed = Uuid::new_v4();
        entity::usegemz::scraping_jobs::ActiveModel {
            id: Set(crossed),
            user_id: Set(OTHER.into()),
            campaign_id: Set(Some(Uuid::parse_str(&rows.campaign).unwrap_or_default())),
            platform: Set("TikTok".into()),
            keywords: Set(Some(json!(["crossed"]))),
            region: Set("US".into()),
            status: Set("pending".into()),
            processed_runs: Set(0),
            processed_results: Set(0),
            target_results: Set(10),
            created_at: Set(at(1_700_000_000)),
            updated_at: Set(at(1_700_000_000)),
            ..Default::default()
        }
        .insert(app.db(Database::Usegemz))
        .await
        .unwrap_or_else(|e| panic!("{b}: crossed job: {e}"));
        let doc = query(
            "UUID!",
            "scrapingJob(rowId: $id) { rowId campaign { name description scrapingJobs { totalCount nodes { keywords } } searchJobs { totalCount } profile { email } } }
             scrapingJobs { nodes { rowId campaign { name } } }",
        );
        let r = app
            .gql(&doc, json!({ "id": crossed.to_string() }), Some(&other))
            .await;
        let d = &r.data()["usegemz"];
        assert_eq!(
            d["scrapingJob"]["rowId"],
            crossed.to_string(),
            "{b}: {}",
            r.body
        );
        assert_eq!(d["scrapingJob"]["campaign"], Value::Null, "{b}: {}", r.body);
        assert_clean(&format!("{b} crossed job as other"), &r.body, &rows.secrets);
        // The job state answers the owner of the job, nothing of the campaign.
        let r = app
            .gql(
                &query("UUID!", "jobStatus(id: $id) { jobId status }"),
                json!({ "id": crossed.to_string() }),
                Some(&other),
            )
            .await;
        assert_eq!(r.data()["usegemz"]["jobStatus"]["status"], "PENDING", "{b}");

        // And the reverse: an owner's job (with a batch of creators) filed under Other's
        // campaign stays out of that campaign's children for Other.
        let doc = query(
            "",
            "campaigns(where: { name: { eq: \"Mine\" } }) { nodes { rowId } }",
        );
        let mine = ok(&app, &doc, json!({}), Some(&other), "campaigns").await;
        let mine = Uuid::parse_str(&text(&mine["nodes"][0]["rowId"])).unwrap_or_default();
        let planted = Uuid::new_v4();
        entity::usegemz::scraping_jobs::ActiveModel {
            id: Set(planted),
            user_id: Set(OWNER.into()),
            campaign_id: Set(Some(mine)),
            platform: Set("TikTok".into()),
            keywords: Set(Some(json!([rows.keyword]))),
            region: Set("US".into()),
            status: Set("processing".into()),
            processed_runs: Set(1),
            processed_results: Set(1),
            target_results: Set(10),
            created_at: Set(at(1_700_000_000)),
            updated_at: Set(at(1_700_000_000)),
            ..Default::default()
        }
        .insert(app.db(Database::Usegemz))
        .await
        .unwrap_or_else(|e| panic!("{b}: planted job: {e}"));
        entity::usegemz::scraping_results::ActiveModel {
            id: Set(Uuid::new_v4()),
            job_id: Set(Some(planted)),
            creators: Set(json!([tiktok_keyword(&rows.creator, "x@example.com")])),
            created_at: Set(at(1_700_000_000)),
        }
        .insert(app.db(Database::Usegemz))
        .await
        .unwrap_or_else(|e| panic!("{b}: planted result: {e}"));
        let doc = query(
            "UUID!",
            &format!(
                "campaign(rowId: $id) {{ rowId scrapingJobs {{ totalCount nodes {{ keywords results {{ totalCount nodes {{ creators }} }} creators {{ totalCount nodes {{ {CREATOR} }} }} }} }} }}
                 scrapingResults {{ totalCount nodes {{ creators }} }}"
            ),
        );
        let r = app
            .gql(&doc, json!({ "id": mine.to_string() }), Some(&other))
            .await;
        let d = &r.data()["usegemz"];
        assert_eq!(d["campaign"]["rowId"], mine.to_string(), "{b}: {}", r.body);
        assert_eq!(
            d["campaign"]["scrapingJobs"]["totalCount"], 0,
            "{b}: {}",
            r.body
        );
        assert_eq!(d["scrapingResults"]["totalCount"], 0, "{b}: {}", r.body);
        assert_clean(&format!("{b} planted job as other"), &r.body, &rows.secrets);
        let r = app
            .gql(&doc, json!({ "id": mine.to_string() }), Some(&admin))
            .await;
        let d = &r.data()["usegemz"];
        assert_eq!(
            d["campaign"]["scrapingJobs"]["totalCount"], 1,
            "{b}: admin sees all: {}",
            r.body
        );

        // ---- refused writes wrote nothing --------------------------------------------------------
        let cfg = query(
            "",
            "config(category: \"authz\", key: \"refused\") { value }",
        );
        assert_eq!(
            ok(&app, &cfg, json!({}), Some(&admin), "config").await,
            Value::Null,
            "{b}"
        );
        let admins = ok(
            &app,
            &query("", "admins { userId }"),
            json!({}),
            Some(&admin),
            "admins",
        )
        .await;
        assert_eq!(
            admins,
            json!([{ "userId": ADMIN }]),
            "{b}: owner not promoted, admin kept, spare demoted"
        );
        let doc = query("UUID!", "campaign(rowId: $id) { description status }");
        let c = ok(
            &app,
            &doc,
            json!({ "id": rows.campaign }),
            Some(&owner),
            "campaign",
        )
        .await;
        assert_eq!(c["description"], "changed by its owner", "{b}");
        let c = ok(
            &app,
            &doc,
            json!({ "id": rows.archive }),
            Some(&owner),
            "campaign",
        )
        .await;
        assert_eq!(c["status"], "ARCHIVED", "{b}");
        let jobs = ok(
            &app,
            &query("", "scrapingJobs { totalCount }"),
            json!({}),
            Some(&owner),
            "scrapingJobs",
        )
        .await;
        // The first job, the pending one, one in the campaign, one alone, the combined one and
        // the planted one: nothing Other or the admin tried landed in the owner's data.
        assert_eq!(jobs["totalCount"], 6, "{b}");
        let r = app
            .gql(
                &query("UUID!", "jobCreators(jobId: $id) { totalCount }"),
                json!({ "id": rows.job }),
                Some(&owner),
            )
            .await;
        assert_eq!(
            r.data()["usegemz"]["jobCreators"]["totalCount"],
            2,
            "{b}: one append each"
        );
        // The owner's profile kept its own values; Other's update touched only Other's row.
        let me = ok(
            &app,
            &query("", "viewerProfile { email industry isAdmin trialStatus }"),
            json!({}),
            Some(&owner),
            "viewerProfile",
        )
        .await;
        assert_eq!(me["email"], rows.email.as_str(), "{b}");
        assert_eq!(me["isAdmin"], false, "{b}");
        assert_eq!(me["trialStatus"], "CONVERTED", "{b}");
    }
}
