//! Stock clients from npm against a gateway, on every backend: the graphql-http server audit
//! (no failing audit, no warning), graphql-js's full introspection query printed back through
//! `buildClientSchema` (equal to `schema.graphql`), a `graphql-ws` and a `graphql-sse` client
//! subscription, Apollo Client's normalized cache with `clients/apollo-cache.json`, and the
//! realistic screens of every source in `clients/relay/src` through relay-compiler (whose
//! generated queries then run against the gateway) and graphql-codegen (its schema
//! introspected from the gateway).
//!
//! The clients are pinned by `clients/package-lock.json`; they are installed with `npm ci`
//! when `clients/node_modules` is missing (Node.js and npm must be on the path).

use std::path::{Path, PathBuf};
use std::process::Command;

use e2e::fixtures::ug_job;
use e2e::{Data, TestApp, backends};
use migration::Database;
use serde_json::{Value, json};

const OWNER: &str = "user_2clientsOwner";

fn clients_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../clients")
}

/// `clients/node_modules`, installed from the lock file when missing.
fn installed() -> PathBuf {
    let dir = clients_dir();
    if !dir.join("node_modules").exists() {
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&dir)
            .status()
            .unwrap_or_else(|e| panic!("npm (Node.js) must be installed: {e}"));
        assert!(status.success(), "npm ci in clients/ failed");
    }
    dir
}

/// Runs an npm binary of `clients/` with `env`, failing the test with its output unless it
/// succeeds.
async fn run(dir: &Path, bin: &str, env: &[(&str, &str)], what: &str) {
    let mut cmd = tokio::process::Command::new(dir.join("node_modules/.bin").join(bin));
    cmd.current_dir(dir).kill_on_drop(true);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = tokio::time::timeout(std::time::Duration::from_secs(180), cmd.output())
        .await
        .unwrap_or_else(|_| panic!("{what}: over 180 s"))
        .unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        out.status.success(),
        "{what} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test]
async fn stock_clients_work_against_the_gateway() {
    let dir = installed();
    // relay-compiler validates the documents against `schema.graphql` and writes the
    // operation texts Relay sends (check.mjs runs them).
    std::fs::create_dir_all(dir.join("generated/relay")).unwrap_or_else(|e| panic!("{e}"));
    run(&dir, "relay-compiler", &[], "relay-compiler").await;
    for backend in backends() {
        let b = backend.name();
        let app = TestApp::spawn(&backend, Data::Demo).await;
        let job = ug_job(app.db(Database::Usegemz), OWNER).await;
        let reader = app.holder("mind_vault", "admin").await;
        let args = json!({
            "usegemzToken": app.token("usegemz", OWNER),
            "jobId": job.to_string(),
            "schemaPath": dir.join("../schema.graphql"),
            "apolloPath": dir.join("apollo-cache.json"),
            "tokens": { "MindVault": app.token("mind_vault", &reader) },
        });
        let url = format!("{}/graphql", app.url);
        let codegen = format!("{b}: graphql-codegen");
        run(&dir, "graphql-codegen", &[("GATEWAY_URL", &url)], &codegen).await;
        let out = tokio::process::Command::new("node")
            .arg("check.mjs")
            .args([url, args.to_string()])
            .current_dir(&dir)
            .kill_on_drop(true)
            .output();
        let out = tokio::time::timeout(std::time::Duration::from_secs(120), out)
            .await
            .unwrap_or_else(|_| panic!("{b}: the client checks took over 120 s"))
            .unwrap_or_else(|e| panic!("node (Node.js) must be installed: {e}"));
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{b}: {stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let reports: Vec<Value> = stdout
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect();
        let of = |check: &str| {
            let found = reports.iter().find(|r| r["check"] == check).cloned();
            let report = found.unwrap_or_else(|| panic!("{b}: no report of {check}: {stdout}"));
            assert!(report.get("exception").is_none(), "{b}: {report}");
            report
        };

        // Every requirement and recommendation holds; the audit's "MAY" notices, too.
        let audit = of("graphql-http audit");
        assert!(audit["total"].as_u64().unwrap_or(0) > 50, "{b}: {audit}");
        assert_eq!(audit["failed"], json!([]), "{b}: {audit}");

        let introspection = of("introspection");
        assert_eq!(introspection["same"], true, "{b}: {introspection}");

        for transport in ["graphql-ws", "graphql-sse"] {
            let r = of(transport);
            let first = &r["first"]["data"]["usegemzJobProgress"];
            assert_eq!(first["jobId"], job.to_string(), "{b} {transport}: {r}");
            assert_eq!(first["status"], "PENDING", "{b} {transport}: {r}");
        }

        let apollo = of("apollo");
        assert_eq!(apollo["answered"], 10, "{b}: {apollo}");
        assert_eq!(
            apollo["cached"], 10,
            "{b}: every like read back from the cache: {apollo}"
        );
        assert_eq!(
            apollo["targets"], 10,
            "{b}: union fragments cached: {apollo}"
        );
        assert_eq!(apollo["warnings"], json!([]), "{b}: {apollo}");

        let relay = of("relay");
        assert!(relay["ran"].as_u64().unwrap_or(0) >= 5, "{b}: {relay}");
        assert_eq!(relay["errors"], json!([]), "{b}: {relay}");
    }
}
