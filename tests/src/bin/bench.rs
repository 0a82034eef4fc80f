//! Load benchmark of the gateway's screens over HTTP.
//!
//! Seeds the demo data at `--scale`, starts the gateway in-process, and for each scenario —
//! Head Shakers' home feed, a user's latest likes with their targets, a point lookup and
//! like/unlike mutations, then one main screen of every other source as its demo user (usegemz
//! campaigns, the Character Creation gallery, the Mind-vault library, the Deed-O inbox) — runs
//! `--concurrency` clients for `--seconds`, then prints requests per second, p50 and p99
//! latency, SQL statements per request and the process's CPU per request. On PostgreSQL it then
//! runs the same answers as minimal hand-written SQL (`bench/sql.rs`) through the gateway's
//! pools with the same clients and time, and prints the gateway's share of that ceiling.
//!
//! `cargo run --release -p e2e --bin bench -- --scale 20 --concurrency 16 --seconds 10`
//! (`--only lookup,like` runs those scenarios alone, e.g. under a profiler)
//! (SQLite in a temporary folder; set `DATABASE_URL=postgres://…/db` to run on PostgreSQL.)

use std::time::{Duration, Instant};

use api::config::Settings;
use api::db::Connections;
use api::seed;
use api::startup::Application;
use serde_json::{Value, json};

#[path = "bench/sql.rs"]
mod sql;

use e2e::screens::{
    CAMPAIGNS, GALLERY, HOME_FEED, INBOX, LIBRARY, LIKE_BOBBLEHEAD as LIKE, LIKES_FEED, LOOKUP,
};

const UNLIKE: &str = r#"mutation($id: UUID!) { headShakers { unlike(targetType: BOBBLEHEAD, targetId: $id) { deletedId } } }"#;

struct Options {
    scale: u32,
    concurrency: usize,
    seconds: u64,
    /// Scenarios to run (all when empty), e.g. `--only lookup,like` to profile a few.
    only: Vec<String>,
}

fn options() -> Options {
    let mut o = Options {
        scale: 5,
        concurrency: 8,
        seconds: 5,
        only: Vec::new(),
    };
    let args: Vec<String> = std::env::args().collect();
    let mut i = 1;
    while i + 1 < args.len() {
        let v = &args[i + 1];
        match args[i].as_str() {
            "--scale" => o.scale = v.parse().unwrap_or(o.scale),
            "--concurrency" => o.concurrency = v.parse().unwrap_or(o.concurrency),
            "--seconds" => o.seconds = v.parse().unwrap_or(o.seconds),
            "--only" => o.only = v.split(',').map(|s| s.trim().to_owned()).collect(),
            _ => {}
        }
        i += 2;
    }
    o
}

struct Sample {
    latency: Duration,
    statements: usize,
    ok: bool,
    error: Option<String>,
}

async fn post(
    client: &reqwest::Client,
    url: &str,
    query: &str,
    vars: &Value,
    token: Option<&str>,
) -> Sample {
    let start = Instant::now();
    let mut req = client
        .post(url)
        .header("content-type", "application/json")
        .body(json!({ "query": query, "variables": vars }).to_string());
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    let (statements, ok, error) = match req.send().await {
        Ok(res) => {
            let statements = res
                .headers()
                .get(api::http::graphql::STATEMENTS_HEADER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            let body: Value = res.json().await.unwrap_or(Value::Null);
            let error = body.get("errors").map(|e| e.to_string());
            (statements, error.is_none(), error)
        }
        Err(e) => (0, false, Some(e.to_string())),
    };
    Sample {
        latency: start.elapsed(),
        statements,
        ok,
        error,
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// The gateway binary's allocator, so that the in-process gateway is measured as it runs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() {
    let o = options();
    let dir = std::env::temp_dir().join(format!("gateway_bench_{}", std::process::id()));
    let mut settings = Settings::for_data_dir(dir.clone());
    settings.jwt_secret = Some("bench-secret".into());
    settings.database_url = std::env::var("DATABASE_URL").ok();
    // Seeding at scale writes large batches; the bench measures reads, not the timeout.
    settings.statement_timeout_ms = 0;
    let conns = match Connections::connect(&settings).await {
        Ok(c) => c,
        Err(e) => {
            eprintln!("bench: connect: {e:?}");
            std::process::exit(1);
        }
    };
    let prepare = async {
        api::startup::migrate(&conns).await?;
        let start = Instant::now();
        api::seed::seed_with(&conns, o.scale, api::seed::Density::Production, None).await?;
        println!(
            "seeded every source at scale {} in {:.1?}",
            o.scale,
            start.elapsed()
        );
        Application::build_with(&settings, conns.clone()).await
    };
    let app = match prepare.await {
        Ok(a) => a,
        Err(e) => {
            eprintln!("bench: {e:?}");
            std::process::exit(1);
        }
    };
    let url = format!("http://{}/graphql", app.addr());
    tokio::spawn(app.serve(std::future::pending()));
    let client = reqwest::Client::new();
    let tokens = api::auth::Tokens::new("bench-secret");

    // Users and bobbleheads to spread the load over.
    let users_q = r#"{ headShakers { users(first: 100) { nodes { rowId } } bobbleheads(first: 100) { nodes { rowId } } } }"#;
    let listed = client
        .post(&url)
        .header("content-type", "application/json")
        .body(json!({ "query": users_q }).to_string())
        .send()
        .await;
    let body: Value = match listed {
        Ok(res) => res.json().await.unwrap_or(Value::Null),
        Err(e) => {
            eprintln!("bench: {e}");
            std::process::exit(1);
        }
    };
    let ids = |path: &str| -> Vec<String> {
        body["data"]["headShakers"][path]["nodes"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|n| n["rowId"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let users = ids("users");
    let items = ids("bobbleheads");
    if users.is_empty() || items.is_empty() {
        eprintln!("bench: no demo data");
        std::process::exit(1);
    }

    // The hand-written SQL runs on pools like the gateway's (same size and deadlines), on
    // PostgreSQL, planned as PostgreSQL plans by default: the gateway's generic plans
    // (`GATEWAY_PG_PLAN_CACHE`) suit its statements, not necessarily these. They are opened for
    // each scenario and closed after it, within PostgreSQL's connection limit.
    let on_postgres = migration::Database::ALL
        .iter()
        .all(|d| conns.backend(*d) == sea_orm::DbBackend::Postgres);
    let mut ceiling_settings = settings.clone();
    ceiling_settings.pg_plan_cache = api::config::PlanCache::Auto;
    println!(
        "{:<12} {:>9} {:>10} {:>10} {:>10} {:>12} {:>7} {:>10} {:>10} {:>8}",
        "scenario",
        "requests",
        "req/s",
        "p50",
        "p99",
        "statements",
        "errors",
        "cpu ms/req",
        "sql req/s",
        "share"
    );
    // The other sources' screens, each as its demo user.
    let demo = [
        ("usegemz", seed::usegemz::DEMO_USER),
        ("character_creation", seed::character_creation::DEMO_USER),
        ("mind_vault", seed::mind_vault::DEMO_USER),
        ("deed_o", seed::deed_o::DEMO_USER),
    ];
    let demo_tokens: std::collections::HashMap<&str, String> = demo
        .iter()
        .map(|(s, u)| (*s, tokens.mint(s, u, 3600).unwrap_or_default()))
        .collect();
    for scenario in [
        "home feed",
        "likes feed",
        "lookup",
        "like",
        "campaigns",
        "gallery",
        "library",
        "inbox",
    ]
    .into_iter()
    .filter(|s| o.only.is_empty() || o.only.iter().any(|x| x == s))
    {
        let deadline = Instant::now() + Duration::from_secs(o.seconds);
        let cpu_before = cpu_ms();
        let mut workers = Vec::new();
        for w in 0..o.concurrency {
            let client = client.clone();
            let url = url.clone();
            let users = users.clone();
            let items = items.clone();
            let token_for = |u: &str| tokens.mint("head_shakers", u, 3600).unwrap_or_default();
            let user_tokens: Vec<String> = users.iter().map(|u| token_for(u)).collect();
            let demo_tokens = demo_tokens.clone();
            workers.push(tokio::spawn(async move {
                let mut samples = Vec::new();
                let mut n = w;
                while Instant::now() < deadline {
                    let user = &users[n % users.len()];
                    let token = user_tokens[n % user_tokens.len()].as_str();
                    let item = &items[(n * 7) % items.len()];
                    let s = match (scenario, screen(scenario)) {
                        (_, Some((doc, source))) => {
                            let token = demo_tokens.get(source).map(String::as_str);
                            post(&client, &url, doc, &json!({}), token).await
                        }
                        ("home feed", _) => {
                            post(&client, &url, HOME_FEED, &json!({}), Some(token)).await
                        }
                        ("likes feed", _) => {
                            post(
                                &client,
                                &url,
                                LIKES_FEED,
                                &json!({ "user": user }),
                                Some(token),
                            )
                            .await
                        }
                        ("lookup", _) => {
                            post(&client, &url, LOOKUP, &json!({ "id": item }), None).await
                        }
                        _ => {
                            let q = if n % 2 == 0 { LIKE } else { UNLIKE };
                            post(&client, &url, q, &json!({ "id": item }), Some(token)).await
                        }
                    };
                    samples.push(s);
                    n += o.concurrency;
                }
                samples
            }));
        }
        let started = Instant::now();
        let mut samples = Vec::new();
        for w in workers {
            if let Ok(s) = w.await {
                samples.extend(s);
            }
        }
        let elapsed = started.elapsed().as_secs_f64();
        let cpu = (cpu_ms() - cpu_before) / samples.len().max(1) as f64;
        let mut lat: Vec<Duration> = samples.iter().map(|s| s.latency).collect();
        lat.sort();
        let stmts = samples.iter().map(|s| s.statements).sum::<usize>() as f64
            / samples.len().max(1) as f64;
        let errors = samples.iter().filter(|s| !s.ok).count();
        if let Some(e) = samples.iter().find_map(|s| s.error.as_ref()) {
            eprintln!("{scenario}: first error: {e}");
        }
        let rate = samples.len() as f64 / elapsed;
        // The hand-written SQL answers for the same viewers as the requests above.
        let viewers: Vec<String> = match screen(scenario) {
            Some((_, source)) => demo
                .iter()
                .filter(|(s, _)| *s == source)
                .map(|(_, u)| (*u).to_owned())
                .collect(),
            None => users.clone(),
        };
        let ceiling = if on_postgres {
            let conns = match Connections::connect(&ceiling_settings).await {
                Ok(c) => c,
                Err(e) => {
                    eprintln!("bench: {e:?}");
                    std::process::exit(1);
                }
            };
            let rate = ceiling(&conns, scenario, &viewers, &items, o.concurrency, o.seconds).await;
            for (_, c) in conns.iter() {
                let _ = c.clone().close().await;
            }
            Some(rate).filter(|c| *c > 0.0)
        } else {
            None
        };
        println!(
            "{:<12} {:>9} {:>10.1} {:>10.2?} {:>10.2?} {:>12.1} {:>7} {:>10.1} {:>10} {:>8}",
            scenario,
            samples.len(),
            rate,
            percentile(&lat, 0.50),
            percentile(&lat, 0.99),
            stmts,
            errors,
            cpu,
            ceiling.map_or_else(|| "-".to_owned(), |c| format!("{c:.1}")),
            ceiling.map_or_else(
                || "-".to_owned(),
                |c| format!("{:.1} %", 100.0 * rate / c.max(f64::MIN_POSITIVE))
            ),
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// The other sources' screens: a scenario's GraphQL document and source.
fn screen(scenario: &str) -> Option<(&'static str, &'static str)> {
    match scenario {
        "campaigns" => Some((CAMPAIGNS, "usegemz")),
        "gallery" => Some((GALLERY, "character_creation")),
        "library" => Some((LIBRARY, "mind_vault")),
        "inbox" => Some((INBOX, "deed_o")),
        _ => None,
    }
}

/// Requests per second of the scenario's hand-written SQL as `users` in turn, with the same
/// clients and time.
async fn ceiling(
    conns: &Connections,
    scenario: &'static str,
    users: &[String],
    items: &[String],
    concurrency: usize,
    seconds: u64,
) -> f64 {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut workers = Vec::new();
    for w in 0..concurrency {
        let (conns, users, items) = (conns.clone(), users.to_vec(), items.to_vec());
        workers.push(tokio::spawn(async move {
            let (mut done, mut n, mut first_error) = (0usize, w, None);
            while Instant::now() < deadline {
                let user = &users[n % users.len()];
                let item = &items[(n * 7) % items.len()];
                match sql::run(&conns, scenario, user, item, n / concurrency).await {
                    Ok(()) => done += 1,
                    Err(e) => first_error = first_error.or(Some(e)),
                }
                n += concurrency;
            }
            (done, first_error)
        }));
    }
    let (mut done, mut first_error) = (0, None);
    for w in workers {
        if let Ok((d, e)) = w.await {
            done += d;
            first_error = first_error.or(e);
        }
    }
    if let Some(e) = first_error {
        eprintln!("{scenario} (SQL): first error: {e}");
    }
    done as f64 / started.elapsed().as_secs_f64()
}

/// CPU time this process has used (user and system), in milliseconds: the gateway and the
/// bench's clients together (Linux; 0 elsewhere).
fn cpu_ms() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit_once(") ")
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime, in clock ticks of 1/100 s.
    (ticks(11) + ticks(12)) * 10.0
}
