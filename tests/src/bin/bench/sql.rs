//! The ceiling: each scenario's answer from minimal hand-written SQL (one statement, or one
//! statement in a transaction for the like), run through the gateway's own pool in the same run.
//! PostgreSQL only: the statements use its JSON aggregates and `gen_random_uuid()`.

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement, TransactionTrait, Value};

/// The home feed as the signed-in `viewer` sees it: 20 public collections by update, their
/// owners, 10 newest public items each with tags and 3 latest approved comments with authors.
const HOME_FEED: &str = r#"
SELECT json_agg(x) FROM (
  SELECT c.name,
    (SELECT count(*) FROM likes l WHERE l.target_type = 'collection' AND l.target_id = c.id) AS likes,
    EXISTS (SELECT 1 FROM likes l WHERE l.user_id = $1 AND l.target_type = 'collection' AND l.target_id = c.id) AS liked,
    u.username,
    (SELECT count(*) FROM follows f WHERE f.following_id = u.id AND f.target_id IS NULL) AS followers,
    EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = $1 AND f.following_id = u.id AND f.target_id IS NULL) AS follows,
    (SELECT json_agg(b) FROM (
      SELECT b.name, b.like_count,
        EXISTS (SELECT 1 FROM likes l WHERE l.user_id = $1 AND l.target_type = 'bobblehead' AND l.target_id = b.id) AS liked,
        (SELECT json_agg(t) FROM (SELECT tg.name, tg.color FROM bobblehead_tags bt JOIN tags tg ON tg.id = bt.tag_id
           WHERE bt.bobblehead_id = b.id ORDER BY bt.id LIMIT 10) t) AS tags,
        (SELECT json_agg(m) FROM (SELECT m.content, a.username, a.display_name FROM comments m JOIN users a ON a.id = m.user_id
           WHERE m.target_type = 'bobblehead' AND m.target_id = b.id AND NOT m.is_deleted AND m.is_approved
           ORDER BY m.created_at DESC, m.id LIMIT 3) m) AS comments
      FROM bobbleheads b
      WHERE b.collection_id = c.id AND NOT b.is_deleted AND b.is_public
      ORDER BY b.created_at DESC, b.id LIMIT 10) b) AS items
  FROM collections c JOIN users u ON u.id = c.user_id
  WHERE c.is_public
  ORDER BY c.updated_at DESC, c.id LIMIT 20) x"#;

/// A user's 50 latest likes with their targets and the targets' owners.
const LIKES_FEED: &str = r#"
SELECT l.target_type::text, b.name, bo.username, c.name, co.username, m.content, mo.username
FROM likes l
LEFT JOIN bobbleheads b ON l.target_type = 'bobblehead' AND b.id = l.target_id AND NOT b.is_deleted
LEFT JOIN users bo ON bo.id = b.user_id
LEFT JOIN collections c ON l.target_type = 'collection' AND c.id = l.target_id
LEFT JOIN users co ON co.id = c.user_id
LEFT JOIN comments m ON l.target_type = 'comment' AND m.id = l.target_id AND NOT m.is_deleted
LEFT JOIN users mo ON mo.id = m.user_id
WHERE l.user_id = $1
ORDER BY l.created_at DESC, l.id LIMIT 50"#;

/// One visible bobblehead with its counters and owner.
const LOOKUP: &str = r#"
SELECT b.name, b.like_count, b.comment_count, u.username
FROM bobbleheads b JOIN collections c ON c.id = b.collection_id LEFT JOIN users u ON u.id = b.user_id
WHERE b.id = $1 AND NOT b.is_deleted AND b.is_public AND c.is_public"#;

const LIKE: &str = r#"
WITH added AS (
  INSERT INTO likes (id, user_id, target_type, target_id, created_at, updated_at)
  VALUES (gen_random_uuid(), $1, 'bobblehead', $2, now(), now())
  ON CONFLICT DO NOTHING RETURNING target_id)
UPDATE bobbleheads SET like_count = like_count + 1 WHERE id IN (SELECT target_id FROM added)"#;

const UNLIKE: &str = r#"
WITH removed AS (
  DELETE FROM likes WHERE user_id = $1 AND target_type = 'bobblehead' AND target_id = $2
  RETURNING target_id)
UPDATE bobbleheads SET like_count = like_count - 1 WHERE id IN (SELECT target_id FROM removed)"#;

fn uuid(s: &str) -> Value {
    Value::from(uuid::Uuid::parse_str(s).unwrap_or_default())
}

/// Whether the scenario has hand-written SQL here (the other sources' screens do not yet).
pub fn covers(scenario: &str) -> bool {
    matches!(scenario, "home feed" | "likes feed" | "lookup" | "like")
}

/// Runs one scenario's hand-written SQL once; `Err` carries the database's message.
pub async fn run(
    db: &DatabaseConnection,
    scenario: &str,
    user: &str,
    item: &str,
    n: usize,
) -> Result<(), String> {
    let stmt = |sql: &str, values: Vec<Value>| {
        Statement::from_sql_and_values(DbBackend::Postgres, sql, values)
    };
    let e = |e: sea_orm::DbErr| e.to_string();
    match scenario {
        "home feed" => db
            .query_all_raw(stmt(HOME_FEED, vec![uuid(user)]))
            .await
            .map(|_| ())
            .map_err(e),
        "likes feed" => db
            .query_all_raw(stmt(LIKES_FEED, vec![uuid(user)]))
            .await
            .map(|_| ())
            .map_err(e),
        "lookup" => db
            .query_all_raw(stmt(LOOKUP, vec![uuid(item)]))
            .await
            .map(|_| ())
            .map_err(e),
        _ => {
            let sql = if n.is_multiple_of(2) { LIKE } else { UNLIKE };
            let txn = db.begin().await.map_err(e)?;
            txn.execute_raw(stmt(sql, vec![uuid(user), uuid(item)]))
                .await
                .map_err(e)?;
            txn.commit().await.map_err(e)
        }
    }
}
