//! The ceiling: each scenario's answer from minimal hand-written SQL, run through the gateway's
//! own pools in the same run. One statement per database a screen reads (the like: one
//! statement in a transaction), answering for the same viewer what the gateway answers: the
//! same rows, order, limits and nested data, under the same access rules. The Head Shakers
//! scenarios run as their signed-in user; the other sources' screens as the source's demo user
//! (`DEMO_USER` of `api/src/seed/`), who is an admin in usegemz and Deed-O — and admins of a
//! source bypass its row rules, so those two answers are not filtered by owner or membership.
//! PostgreSQL only: the statements use its JSON functions and `gen_random_uuid()`, and each runs
//! under its pool's `search_path` (the source's schema).

use api::db::Connections;
use migration::Database;
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DbBackend, QueryResult, Statement, TransactionTrait, Value,
};

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
           WHERE bt.bobblehead_id = b.id ORDER BY bt.created_at DESC, bt.id LIMIT 10) t) AS tags,
        (SELECT json_agg(m) FROM (SELECT m.content, a.username, a.display_name FROM comments m JOIN users a ON a.id = m.user_id
           WHERE m.target_type = 'bobblehead' AND m.target_id = b.id AND NOT m.is_deleted AND m.is_approved
           ORDER BY m.created_at DESC, m.id LIMIT 3) m) AS comments
      FROM bobbleheads b
      WHERE b.collection_id = c.id AND NOT b.is_deleted AND b.is_public
      ORDER BY b.created_at DESC, b.id LIMIT 10) b) AS items
  FROM collections c JOIN users u ON u.id = c.user_id
  WHERE c.is_public
  ORDER BY c.updated_at DESC, c.id LIMIT 20) x"#;

/// A user's 50 latest likes with their targets and the targets' owners. Stricter than the
/// gateway's answer: it skips the access rules (hidden targets, blocks, owners' profile
/// visibility), which at the seeded data change only which owners read null; a hand-written
/// statement that applies them (tried: correlated probes per like, owners' settings joined)
/// ran at a fifth of this one's rate, so this one stays the ceiling.
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

/// usegemz: the 20 newest campaigns, each with its 5 newest scraping jobs; a pending or
/// processing job whose `timeout_at` has passed reads as `timeout`, as on every gateway read
/// (the connection's clock is UTC, like the stored times). The demo user is an admin, who reads
/// every user's campaigns and jobs: no owner filter (a plain user's list would add
/// `c.user_id = $1`, served by `(user_id, created_at DESC, id)` as this one is by
/// `(created_at DESC, id)`).
const CAMPAIGNS: &str = r#"
SELECT coalesce(json_agg(x), '[]') FROM (
  SELECT c.name, c.status,
    (SELECT coalesce(json_agg(j), '[]') FROM (
      SELECT j.platform,
        CASE WHEN j.status IN ('pending', 'processing') AND j.timeout_at <= localtimestamp
          THEN 'timeout' ELSE j.status END AS status,
        j.processed_results, j.progress
      FROM scraping_jobs j
      WHERE j.campaign_id = c.id
      ORDER BY j.created_at DESC, j.id LIMIT 5) j) AS jobs
  FROM campaigns c
  ORDER BY c.created_at DESC, c.id LIMIT 20) x"#;

/// Character Creation: the gallery as `$1` sees it, the 20 newest public characters with
/// their owner. Users are readable by themselves only, so the owner is there on the viewer's
/// own characters and null on everyone else's.
const GALLERY: &str = r#"
SELECT coalesce(json_agg(x), '[]') FROM (
  SELECT c.name, c.tags, c.image_url, c.style_type::text AS style_type,
    (SELECT json_build_object('name', u.name) FROM users u
     WHERE u.id = c.user_id AND u.id = $1) AS "user"
  FROM characters c
  WHERE c.is_public
  ORDER BY c.created_at DESC, c.id LIMIT 20) x"#;

/// Mind-vault: `$1`'s 20 newest summaries, each with its first 5 tags by tag id.
const LIBRARY: &str = r#"
SELECT coalesce(json_agg(x), '[]') FROM (
  SELECT s.title, s.thumbnail_url, s.processing_status,
    (SELECT coalesce(json_agg(t), '[]') FROM (
      SELECT (SELECT tg.name FROM tag tg WHERE tg.id = vt.tag_id) AS name
      FROM video_summary_tag vt
      WHERE vt.video_summary_id = s.id
      ORDER BY vt.tag_id LIMIT 5) t) AS tags
  FROM video_summary s
  WHERE s.user_id = $1
  ORDER BY s.created_at DESC, s.id LIMIT 20) x"#;

/// Deed-O's inbox reads two databases — groups and messages in `deed_o`, users in
/// `deed_o_auth`, with no key across them — so it is one statement on each. This first one:
/// the 20 newest groups with their member ids and last message. The demo user is an
/// admin, who reads every group; a member's inbox would add
/// `WHERE g.members @> jsonb_build_array($1)` (the GIN index on `members`).
const INBOX_GROUPS: &str = r#"
SELECT coalesce(json_agg(x), '[]') FROM (
  SELECT g.name, coalesce(g.members, '[]') AS members,
    (SELECT json_build_object('text', m.text, 'timestamp', m."timestamp", 'sender_id', m.sender_id)
     FROM messages m WHERE m.id = g.last_message_id) AS last_message
  FROM groups g
  ORDER BY g.created_at DESC, g.id LIMIT 20) x"#;

/// Then the answer, from the groups of [`INBOX_GROUPS`] (`$1`): each with its members' names
/// in the order of `members` and its last message with the sender's name. Soft-deleted users
/// are left out (a deleted sender reads as null); every user named is read once, by key.
const INBOX_USERS: &str = r#"
WITH g AS (
  SELECT * FROM ROWS FROM (jsonb_to_recordset($1) AS (name text, members jsonb, last_message jsonb))
    WITH ORDINALITY g(name, members, last_message, n)),
named AS (
  SELECT u.id, u.name FROM users u
  WHERE u.deleted_at IS NULL AND u.id = ANY (ARRAY(
    SELECT e.id::int FROM g, jsonb_array_elements_text(g.members) e(id)
    UNION SELECT (g.last_message->>'sender_id')::int FROM g)))
SELECT coalesce(json_agg(json_build_object(
    'name', g.name,
    'members', (SELECT coalesce(json_agg(json_build_object('name', u.name) ORDER BY e.n), '[]')
      FROM jsonb_array_elements_text(g.members) WITH ORDINALITY e(id, n)
      JOIN named u ON u.id = e.id::int),
    'last_message', CASE WHEN g.last_message IS NOT NULL THEN json_build_object(
      'text', g.last_message->'text',
      'timestamp', g.last_message->'timestamp',
      'sender', (SELECT json_build_object('name', u.name) FROM named u
        WHERE u.id = (g.last_message->>'sender_id')::int)) END)
  ORDER BY g.n), '[]')
FROM g"#;

fn uuid(s: &str) -> Value {
    Value::from(uuid::Uuid::parse_str(s).unwrap_or_default())
}

/// A database or pool error as the message `run` reports.
fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// A PostgreSQL statement with its bound values.
fn stmt(sql: &str, values: Vec<Value>) -> Statement {
    Statement::from_sql_and_values(DbBackend::Postgres, sql, values)
}

/// Runs a select, answering its rows.
async fn query(
    db: &DatabaseConnection,
    sql: &str,
    values: Vec<Value>,
) -> Result<Vec<QueryResult>, String> {
    db.query_all_raw(stmt(sql, values)).await.map_err(err)
}

/// The database a scenario reads (first).
fn database(scenario: &str) -> Database {
    match scenario {
        "campaigns" => Database::Usegemz,
        "gallery" => Database::CharacterCreation,
        "library" => Database::MindVault,
        "inbox" => Database::DeedO,
        _ => Database::HeadShakers,
    }
}

/// Runs one scenario's hand-written SQL once as `user` (a Head Shakers user id, or the demo
/// user of the scenario's source); `Err` carries the database's message.
pub async fn run(
    conns: &Connections,
    scenario: &str,
    user: &str,
    item: &str,
    n: usize,
) -> Result<(), String> {
    let db = conns.get(database(scenario)).map_err(err)?;
    let rows = match scenario {
        "home feed" => query(db, HOME_FEED, vec![uuid(user)]).await,
        "likes feed" => query(db, LIKES_FEED, vec![uuid(user)]).await,
        "lookup" => query(db, LOOKUP, vec![uuid(item)]).await,
        "campaigns" => query(db, CAMPAIGNS, vec![]).await,
        "gallery" => query(db, GALLERY, vec![uuid(user)]).await,
        "library" => query(db, LIBRARY, vec![Value::from(user)]).await,
        "inbox" => {
            let groups: serde_json::Value = db
                .query_one_raw(stmt(INBOX_GROUPS, vec![]))
                .await
                .map_err(err)?
                .ok_or_else(|| "the inbox's groups statement answered no row".to_owned())?
                .try_get_by_index(0)
                .map_err(err)?;
            let auth = conns.get(Database::DeedOAuth).map_err(err)?;
            query(auth, INBOX_USERS, vec![Value::from(groups)]).await
        }
        _ => return like(db, user, item, n).await,
    };
    rows.map(|_| ())
}

/// Likes `item` as `user` on even runs, takes the like back on odd ones.
async fn like(db: &DatabaseConnection, user: &str, item: &str, n: usize) -> Result<(), String> {
    let sql = if n.is_multiple_of(2) { LIKE } else { UNLIKE };
    let txn = db.begin().await.map_err(err)?;
    txn.execute_raw(stmt(sql, vec![uuid(user), uuid(item)]))
        .await
        .map_err(err)?;
    txn.commit().await.map_err(err)
}
