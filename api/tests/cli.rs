//! The `gateway` binary's commands, run as a user runs them: `migrate`, `seed`,
//! `export-schema`, `mint-token`.

use std::path::PathBuf;
use std::process::{Command, Output};

fn gateway(dir: &PathBuf, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gateway"))
        .args(args)
        .env_remove("DATABASE_URL")
        .env("GATEWAY_DATA_DIR", dir)
        .env("GATEWAY_JWT_SECRET", "cli-test-secret")
        .env("RUST_LOG", "error")
        .output()
        .unwrap_or_else(|e| panic!("run gateway: {e}"))
}

fn stdout(o: &Output) -> String {
    assert!(
        o.status.success(),
        "gateway failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[tokio::test]
async fn migrate_seed_export_and_mint() {
    let dir = std::env::temp_dir().join(format!("gateway_cli_{}", uuid::Uuid::new_v4().simple()));

    let status = stdout(&gateway(&dir, &["migrate", "status"]));
    assert!(status.lines().all(|l| l.ends_with("pending")), "{status}");
    let up = stdout(&gateway(&dir, &["migrate", "up", "--source", "usegemz"]));
    assert!(
        up.lines()
            .all(|l| l.starts_with("usegemz") && l.ends_with("applied")),
        "{up}"
    );
    let down = stdout(&gateway(
        &dir,
        &["migrate", "down", "--source", "usegemz", "--steps", "1"],
    ));
    assert_eq!(
        down.lines().filter(|l| l.ends_with("pending")).count(),
        1,
        "{down}"
    );
    let all = stdout(&gateway(&dir, &["migrate", "up"]));
    assert!(all.lines().all(|l| l.ends_with("applied")), "{all}");
    for db in [
        "head_shakers",
        "usegemz",
        "character_creation",
        "mind_vault",
        "deed_o",
        "deed_o_auth",
    ] {
        assert!(all.lines().any(|l| l.starts_with(db)), "{db} in {all}");
    }
    let fresh = stdout(&gateway(&dir, &["migrate", "fresh", "--source", "deed_o"]));
    assert!(fresh.lines().all(|l| l.ends_with("applied")), "{fresh}");

    stdout(&gateway(&dir, &["seed", "--source", "mind_vault"]));
    let bad = gateway(&dir, &["seed", "--source", "nope"]);
    assert!(!bad.status.success());

    let sdl = stdout(&gateway(&dir, &["export-schema"]));
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../schema.graphql"))
            .unwrap_or_default();
    assert_eq!(sdl, committed);

    let token = stdout(&gateway(
        &dir,
        &["mint-token", "--source", "usegemz", "--user", "user_2abc"],
    ));
    let claimed = api::auth::Tokens::new("cli-test-secret")
        .verify(Some(&format!("Bearer {}", token.trim())))
        .await
        .unwrap_or_else(|e| panic!("{e:?}"))
        .unwrap_or_else(|| panic!("no claims"));
    assert_eq!(
        (claimed.source.as_str(), claimed.subject.as_str()),
        ("usegemz", "user_2abc")
    );
    assert!(
        !gateway(&dir, &["mint-token", "--source", "nope", "--user", "x"])
            .status
            .success()
    );

    let _ = std::fs::remove_dir_all(&dir);
}
