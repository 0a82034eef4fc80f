//! Demo data of `usegemz`: Clerk user profiles at every onboarding step and trial state, their
//! influencer-search campaigns, scraping jobs in every status and the creators those jobs found
//! (the four `creators` shapes of the seed, key casing preserved), plus the legacy search tables.
//!
//! Invariants kept in Rust before anything is written: a job's `processed_runs` is the number of
//! its `scraping_results` rows, `processed_results` the number of creators in them, `cursor` the
//! same count and `progress = min(100, round(100 · processed_results / target_results, 2))`;
//! trials last exactly 7 days; a legacy `search_jobs.completed_count` is its `search_results`
//! rows. The five `system_configurations` rows come from a migration and are left alone.

mod creators;
mod profiles;
mod words;

use chrono::{Duration, NaiveDateTime};
use entity::usegemz::{
    campaigns, scraping_jobs, scraping_results, search_jobs, search_results, user_profiles,
};
use migration::Database;
use rust_decimal::{Decimal, RoundingStrategy};
use sea_orm::{ActiveValue::Set, DatabaseConnection};
use serde_json::{Value, json};
use uuid::Uuid;

use super::{Rng, epoch, has_rows, insert_all};
use crate::db::Connections;
use crate::error::ApiError;
use creators::{
    JobPlan, Platform, base62, creator, instagram_pic, persona, tiktok_avatar, tiktok_video,
    youtube_avatar,
};
use profiles::profile;
use words::{JOB_ERRORS, NICHES, REGIONS};

/// The Clerk id (`user_profiles.user_id`) of the demo user, an admin (`is_admin = true`) with a
/// converted trial and campaigns covering every job status and creators shape.
pub const DEMO_USER: &str = "user_2demoUsegemzAdmin000000";

const USERS_PER_SCALE: u32 = 20;
/// Users whose whole tree is built in memory at once.
const CHUNK: u32 = 100;
/// Creators buffered before a batch of `scraping_results` is written.
const CREATOR_FLUSH: usize = 5_000;
/// A processing job is marked `timeout` this long after it started.
const JOB_TIME_LIMIT_MIN: i64 = 60;

/// A campaign to build: its jobs are (platform, job status) pairs.
struct CampaignSpec {
    name: String,
    niche: usize,
    keyword: bool,
    status: &'static str,
    created: NaiveDateTime,
    jobs: Vec<(Platform, &'static str)>,
}

/// Rows of one chunk of users.
#[derive(Default)]
struct Out {
    profiles: Vec<user_profiles::ActiveModel>,
    campaigns: Vec<campaigns::ActiveModel>,
    jobs: Vec<scraping_jobs::ActiveModel>,
    plans: Vec<JobPlan>,
    search_jobs: Vec<search_jobs::ActiveModel>,
    search_results: Vec<search_results::ActiveModel>,
}

/// Writes demo data at `scale` into an empty `usegemz` database.
pub async fn seed(conns: &Connections, scale: u32) -> Result<(), ApiError> {
    let db = conns.get(Database::Usegemz)?;
    if has_rows(db, "user_profiles").await? {
        return Ok(());
    }
    let total = USERS_PER_SCALE.saturating_mul(scale.max(1));
    let mut from = 0;
    while from < total {
        let to = from.saturating_add(CHUNK).min(total);
        seed_chunk(db, from, to).await?;
        from = to;
    }
    Ok(())
}

/// Builds and writes users `from..to` with everything they own.
async fn seed_chunk(db: &DatabaseConnection, from: u32, to: u32) -> Result<(), ApiError> {
    let chunk = u64::from(from / CHUNK) << 24;
    let mut users = Rng::new(0x0756_0001 ^ chunk);
    let mut activity = Rng::new(0x0756_0002 ^ chunk);
    let mut legacy = Rng::new(0x0756_0003 ^ chunk);
    let mut out = Out::default();
    for index in from..to {
        let (profile, user_id, access) = profile(&mut users, index);
        out.profiles.push(profile);
        let Some((start, end)) = access else { continue };
        let specs = if index == 0 {
            demo_campaigns()
        } else {
            random_campaigns(&mut activity, start, end)
        };
        for spec in specs {
            campaign(&mut activity, &mut legacy, &user_id, spec, end, &mut out);
        }
    }
    insert_all(db, out.profiles, 21).await?;
    insert_all(db, out.campaigns, 8).await?;
    insert_all(db, out.jobs, 22).await?;
    insert_all(db, out.search_jobs, 10).await?;
    insert_all(db, out.search_results, 16).await?;

    let mut creators = Rng::new(0x0756_0004 ^ chunk);
    let (mut rows, mut buffered) = (Vec::new(), 0);
    for plan in &out.plans {
        for &(at, count) in &plan.batches {
            let list: Vec<Value> = (0..count).map(|_| creator(&mut creators, plan)).collect();
            rows.push(scraping_results::ActiveModel {
                id: Set(creators.uuid()),
                job_id: Set(Some(plan.id)),
                creators: Set(Value::Array(list)),
                created_at: Set(at),
            });
            buffered += count;
            if buffered >= CREATOR_FLUSH {
                insert_all(db, std::mem::take(&mut rows), 4).await?;
                buffered = 0;
            }
        }
    }
    insert_all(db, rows, 4).await
}

/// The demo user's campaigns: every job status and all four creators shapes.
fn demo_campaigns() -> Vec<CampaignSpec> {
    use Platform::{Instagram, TikTok, YouTube};
    let spec = |name: &str, niche, keyword, status, days, jobs: &[(Platform, &'static str)]| {
        CampaignSpec {
            name: name.to_owned(),
            niche,
            keyword,
            status,
            created: epoch() - Duration::days(days) - Duration::seconds(days * 1_237 % 7_200),
            jobs: jobs.to_vec(),
        }
    };
    vec![
        spec(
            "Spring Fitness Launch",
            0,
            true,
            "active",
            21,
            &[
                (TikTok, "completed"),
                (YouTube, "completed"),
                (TikTok, "processing"),
            ],
        ),
        spec(
            "Skincare Creator Lookalikes",
            1,
            false,
            "completed",
            60,
            &[
                (TikTok, "completed"),
                (Instagram, "completed"),
                (Instagram, "timeout"),
            ],
        ),
        spec(
            "Holiday Gift Guide",
            2,
            true,
            "archived",
            150,
            &[(YouTube, "error"), (TikTok, "completed")],
        ),
        spec(
            "Q1 Outreach",
            6,
            false,
            "active",
            5,
            &[(Instagram, "completed"), (TikTok, "pending")],
        ),
        spec("Pet Brand Ideas", 5, true, "draft", 2, &[]),
    ]
}

/// 0–5 campaigns created inside the user's access window.
fn random_campaigns(rng: &mut Rng, start: NaiveDateTime, end: NaiveDateTime) -> Vec<CampaignSpec> {
    let room = (end - start).num_seconds() - 4 * 3_600;
    if room <= 0 {
        return Vec::new();
    }
    let count = *rng.pick(&[0, 1, 1, 2, 2, 2, 3, 3, 4, 5]);
    (0..count)
        .map(|_| {
            let niche = rng.below(NICHES.len());
            let keyword = rng.chance(0.6);
            let created = start + Duration::seconds(600 + rng.range(0, room));
            let status = *rng.pick(&[
                "draft",
                "active",
                "active",
                "active",
                "completed",
                "completed",
                "archived",
            ]);
            let live = end == epoch() && created <= epoch() - Duration::hours(4);
            let n = if status == "draft" {
                0
            } else {
                rng.range(1, 4)
            };
            let jobs = (0..n)
                .map(|i| {
                    let platform = match (keyword, rng.chance(0.6)) {
                        (_, true) => Platform::TikTok,
                        (true, false) => Platform::YouTube,
                        (false, false) => Platform::Instagram,
                    };
                    let roll = rng.below(100);
                    let status = if live && status == "active" && i == n - 1 && roll < 50 {
                        if roll < 25 { "pending" } else { "processing" }
                    } else {
                        match roll % 25 {
                            0..3 => "error",
                            3..6 => "timeout",
                            _ => "completed",
                        }
                    };
                    (platform, status)
                })
                .collect();
            let name = format!(
                "{}{}",
                rng.pick(NICHES[niche].campaigns),
                if rng.chance(0.3) { " v2" } else { "" }
            );
            CampaignSpec {
                name,
                niche,
                keyword,
                status,
                created,
                jobs,
            }
        })
        .collect()
}

/// Builds one campaign with its scraping jobs (and sometimes a legacy search job).
fn campaign(
    rng: &mut Rng,
    legacy: &mut Rng,
    user_id: &str,
    spec: CampaignSpec,
    access_end: NaiveDateTime,
    out: &mut Out,
) {
    let niche = &NICHES[spec.niche];
    let id = rng.uuid();
    let mut last = spec.created + Duration::seconds(rng.range(30, 3_600));
    let room = (access_end.min(epoch()) - spec.created - Duration::hours(2)).num_seconds();
    let mut cursor = spec.created + Duration::seconds(rng.range(120, room.min(86_400)));
    for &(platform, status) in &spec.jobs {
        let live = matches!(status, "pending" | "processing");
        // Finished jobs need two hours of room before the access window closes.
        if !live && cursor + Duration::hours(2) > access_end.min(epoch()) {
            continue;
        }
        let (job, plan, ended) = job(rng, user_id, id, &spec, platform, status, cursor);
        last = last.max(ended);
        cursor = ended + Duration::seconds(rng.range(600, 4 * 86_400));
        out.jobs.push(job);
        out.plans.push(plan);
    }
    if spec.status == "archived" {
        last = (last + Duration::days(rng.range(1, 30))).min(epoch());
    }
    let description = rng.chance(0.7).then(|| {
        format!(
            "{} {} creators for {}.",
            if spec.keyword {
                "Keyword search for"
            } else {
                "Lookalikes of top"
            },
            niche.label,
            rng.pick(&[
                "our spring launch",
                "product seeding",
                "an always-on ambassador program",
                "paid partnerships this quarter"
            ]),
        )
    });
    out.campaigns.push(campaigns::ActiveModel {
        id: Set(id),
        user_id: Set(user_id.to_owned()),
        name: Set(spec.name.clone()),
        description: Set(description),
        search_type: Set(if spec.keyword { "keyword" } else { "similar" }.to_owned()),
        status: Set(spec.status.to_owned()),
        created_at: Set(spec.created),
        updated_at: Set(last.min(epoch())),
    });
    if spec.status != "draft" && legacy.chance(0.25) {
        legacy_job(legacy, id, &spec, out);
    }
}

/// One scraping job starting at `at` (live jobs: shortly before "now"); returns it, its result
/// plan and the time of its last change.
fn job(
    rng: &mut Rng,
    user_id: &str,
    campaign_id: Uuid,
    spec: &CampaignSpec,
    platform: Platform,
    status: &'static str,
    at: NaiveDateTime,
) -> (scraping_jobs::ActiveModel, JobPlan, NaiveDateTime) {
    let niche = &NICHES[spec.niche];
    let target = *rng.pick(&[100, 100, 100, 100, 100, 100, 100, 100, 200, 200, 500, 1000]);
    let (lo, hi) = match (platform, spec.keyword) {
        (Platform::TikTok, true) => (20, 31),
        (Platform::TikTok, false) => (10, 26),
        (Platform::Instagram, _) => (12, 31),
        (Platform::YouTube, _) => (15, 21),
    };
    // Creators per API call; a full job overshoots its target on the last call.
    let mut sizes: Vec<usize> = Vec::new();
    let mut sum = 0;
    let full = status == "completed" && rng.chance(0.7);
    let goal = if full {
        target
    } else {
        target * rng.range(5, 90) / 100
    };
    let min_calls = usize::from(matches!(status, "completed" | "timeout"));
    let cap = if full { 80 } else { 30 };
    while status != "pending" && sizes.len() < cap && (sum < goal || sizes.len() < min_calls) {
        let n = rng.range(lo, hi);
        if !full && sum + n >= target {
            break;
        }
        sizes.push(usize::try_from(n).unwrap_or(0));
        sum += n;
    }
    let gaps: Vec<i64> = sizes.iter().map(|_| rng.range(8, 41)).collect();
    let created = if status == "pending" {
        epoch() - Duration::seconds(rng.range(30, 900))
    } else if status == "processing" {
        epoch() - Duration::seconds(gaps.iter().sum::<i64>() + rng.range(60, 600))
    } else {
        at
    };
    let started = created + Duration::seconds(rng.range(2, 60));
    let mut t = started;
    let batches: Vec<(NaiveDateTime, usize)> = sizes
        .iter()
        .zip(&gaps)
        .map(|(&n, &g)| {
            t += Duration::seconds(g);
            (t, n)
        })
        .collect();
    let processed = i32::try_from(sum).unwrap_or(i32::MAX);
    let (mut completed, mut timeout, mut error) = (None, None, None);
    let updated = match status {
        "pending" => created,
        "processing" => t,
        "completed" => {
            completed = Some(t + Duration::seconds(rng.range(1, 10)));
            t + Duration::seconds(5)
        }
        "error" => {
            error = Some(
                if platform == Platform::YouTube && rng.chance(0.5) {
                    JOB_ERRORS[5]
                } else {
                    JOB_ERRORS[rng.below(5)]
                }
                .to_owned(),
            );
            t + Duration::seconds(rng.range(5, 120))
        }
        _ => {
            timeout = Some(started + Duration::minutes(JOB_TIME_LIMIT_MIN));
            started + Duration::minutes(JOB_TIME_LIMIT_MIN)
        }
    };
    let updated = completed.map_or(updated, |c: NaiveDateTime| c.max(updated));
    let keywords: Vec<String> = if spec.keyword {
        let k = rng.range(1, 4);
        let mut list: Vec<String> = Vec::new();
        for _ in 0..k {
            let w = (*rng.pick(niche.keywords)).to_owned();
            if !list.contains(&w) {
                list.push(w);
            }
        }
        list
    } else {
        Vec::new()
    };
    let target_username = (!spec.keyword).then(|| format!("@{}", persona(rng, spec.niche).handle));
    let search_params = rng.chance(0.6).then(|| match (platform, spec.keyword) {
        (Platform::YouTube, _) => json!({ "sort": rng.pick(&["relevance", "view_count", "upload_date"]), "filters": { "uploadDate": rng.pick(&["this_week", "this_month", "this_year"]) } }),
        (_, true) => json!({ "sort": rng.pick(&["relevance", "most_liked", "date_posted"]), "filters": { "minFollowers": rng.pick(&[0, 1_000, 10_000, 50_000]) } }),
        (_, false) => json!({ "filters": { "minFollowers": rng.pick(&[0, 5_000, 20_000]), "hasEmail": rng.chance(0.5) } }),
    });
    let progress = (Decimal::from(processed) * Decimal::from(100) / Decimal::from(target))
        .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
        .min(Decimal::from(100));
    let id = rng.uuid();
    let model = scraping_jobs::ActiveModel {
        id: Set(id),
        user_id: Set(user_id.to_owned()),
        campaign_id: Set(Some(campaign_id)),
        platform: Set(platform.as_str().to_owned()),
        keywords: Set(spec.keyword.then(|| json!(keywords))),
        target_username: Set(target_username.clone()),
        search_params: Set(search_params),
        region: Set((*rng.pick(REGIONS)).to_owned()),
        status: Set(status.to_owned()),
        run_id: Set((status != "pending").then(|| base62(rng, 17))),
        qstash_message_id: Set(Some(format!("msg_{}", base62(rng, 40)))),
        processed_runs: Set(i32::try_from(batches.len()).unwrap_or(i32::MAX)),
        processed_results: Set(processed),
        target_results: Set(i32::try_from(target).unwrap_or(i32::MAX)),
        cursor: Set(Some(processed)),
        progress: Set(Some(progress)),
        created_at: Set(created),
        started_at: Set((status != "pending").then_some(started)),
        completed_at: Set(completed),
        timeout_at: Set(timeout),
        updated_at: Set(updated),
        error: Set(error),
    };
    let plan = JobPlan {
        id,
        platform,
        niche: spec.niche,
        keywords,
        target: target_username,
        batches,
    };
    (model, plan, updated)
}

/// A legacy search job of a campaign with its results (`completed_count` = result rows).
fn legacy_job(rng: &mut Rng, campaign_id: Uuid, spec: &CampaignSpec, out: &mut Out) {
    let platform = match (spec.keyword, rng.chance(0.6)) {
        (_, true) => Platform::TikTok,
        (true, false) => Platform::YouTube,
        (false, false) => Platform::Instagram,
    };
    let status = *rng.pick(&[
        "completed",
        "completed",
        "completed",
        "completed",
        "completed",
        "failed",
        "queued",
        "processing",
    ]);
    let total = rng.range(8, 31);
    let done = match status {
        "completed" => total,
        "queued" => 0,
        _ => rng.range(0, total),
    };
    let id = format!("job_{}", rng.nanoid(16));
    let created = spec.created + Duration::seconds(rng.range(60, 1_800));
    let mut t = created;
    for _ in 0..done {
        t += Duration::seconds(rng.range(1, 20));
        let p = persona(rng, spec.niche);
        let n = &NICHES[spec.niche];
        let (profile_id, profile_url, post, avatar, raw) = match platform {
            Platform::TikTok => {
                let uid = rng
                    .range(6_700_000_000_000_000_000, 7_300_000_000_000_000_000)
                    .to_string();
                let raw = json!({ "uid": uid, "unique_id": p.handle, "nickname": p.name, "follower_count": p.followers, "signature": p.bio, "verified": p.verified });
                (
                    uid,
                    format!("https://www.tiktok.com/@{}", p.handle),
                    spec.keyword.then(|| tiktok_video(rng, &p.handle)),
                    tiktok_avatar(rng),
                    raw,
                )
            }
            Platform::Instagram => {
                let pk = rng.range(1_000_000_000, 60_000_000_000).to_string();
                let raw = json!({ "pk": pk, "username": p.handle, "full_name": p.name, "is_private": false, "is_verified": p.verified, "follower_count": p.followers });
                (
                    pk,
                    format!("https://www.instagram.com/{}/", p.handle),
                    None,
                    instagram_pic(rng),
                    raw,
                )
            }
            Platform::YouTube => {
                let channel = format!("UC{}", rng.nanoid(22));
                let raw = json!({ "channelId": channel, "title": p.name, "subscriberCount": p.followers, "description": p.bio });
                (
                    channel,
                    format!("https://www.youtube.com/@{}", p.handle),
                    Some(format!(
                        "https://www.youtube.com/watch?v={}",
                        rng.nanoid(11)
                    )),
                    youtube_avatar(rng),
                    raw,
                )
            }
        };
        out.search_results.push(search_results::ActiveModel {
            id: Set(rng.uuid()),
            job_id: Set(id.clone()),
            profile_id: Set(profile_id),
            username: Set(p.handle.clone()),
            display_name: Set(Some(p.name.clone())),
            platform: Set(platform.as_str().to_owned()),
            profile_url: Set(Some(profile_url)),
            post_description: Set(post.is_some().then(|| (*rng.pick(n.titles)).to_owned())),
            post_url: Set(post),
            avatar_url: Set(Some(avatar)),
            followers: Set(Some(i32::try_from(p.followers).unwrap_or(i32::MAX))),
            is_verified: Set(Some(p.verified.to_string())),
            email: Set(p.emails.first().cloned()),
            bio: Set(Some(p.bio.clone())),
            raw_data: Set(Some(raw)),
            created_at: Set(t),
        });
    }
    out.search_jobs.push(search_jobs::ActiveModel {
        id: Set(id),
        campaign_id: Set(Some(campaign_id)),
        platform: Set(platform.as_str().to_owned()),
        search_type: Set(if spec.keyword { "keyword" } else { "similar" }.to_owned()),
        status: Set(status.to_owned()),
        total_count: Set(i32::try_from(total).unwrap_or(0)),
        completed_count: Set(i32::try_from(done).unwrap_or(0)),
        created_at: Set(created),
        updated_at: Set(t + Duration::seconds(2)),
        completed_at: Set((status == "completed").then(|| t + Duration::seconds(2))),
    });
}
