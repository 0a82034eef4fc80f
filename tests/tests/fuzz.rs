//! Hostile input, property style: thousands of random and mutated requests against a running
//! gateway. Deterministic (a fixed seed and a small PRNG of our own), bounded in time.
//!
//! For every response: no 5xx; a JSON body with `data` or `errors`; every error carries an
//! `extensions.code` from the documented set, and no message leaks raw database text. At the
//! end the server still answers `/healthz`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use e2e::{Data, TestApp};
use serde_json::{Value, json};

const SEED: u64 = 0x5eed_f00d_dead_beef;
const REQUESTS: usize = 3000;
const PARALLEL: usize = 8;
const CODES: &[&str] = &[
    "UNAUTHENTICATED",
    "FORBIDDEN",
    "NOT_FOUND",
    "BAD_USER_INPUT",
    "CONFLICT",
    "RATE_LIMITED",
    "TIMEOUT",
    "UNAVAILABLE",
    "INTERNAL",
];
const LEAKS: &[&str] = &[
    "SQLITE_",
    "sqlite",
    "syntax error at or near",
    "violates",
    "sqlx",
    "SqlxError",
    "DbErr",
    "constraint failed",
    "no such table",
    "no such column",
    "pq:",
    "relation \"",
];

/// SplitMix64: tiny, deterministic, good enough to drive a fuzzer.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn uuid(&mut self) -> String {
        let a = self.next();
        let b = self.next();
        format!(
            "{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            b >> 52,
            b & 0xffff_ffff_ffff
        )
    }
    fn junk_upto(&mut self, max: usize) -> String {
        let len = self.below(max);
        self.junk(len)
    }
    fn junk(&mut self, len: usize) -> String {
        const CHARS: &[char] = &[
            'a', 'Z', '0', '9', '{', '}', '(', ')', '[', ']', ':', '$', '!', '"', '\\', '\'', ' ',
            '\n', '\t', '#', '@', '.', ',', '=', '-', '%', ';', '\u{0}', 'é', '漢', '🦀',
            '\u{202e}', '|', '&', '*', '/',
        ];
        (0..len).map(|_| *self.pick(CHARS)).collect()
    }
}

/// Real documents over the Head Shakers, usegemz and Deed-O namespaces.
const CORPUS: &[&str] = &[
    "{ headShakers { collections(first: 20, where: { isPublic: { eq: true } }, orderBy: [UPDATED_AT_DESC]) { totalCount pageInfo { hasNextPage endCursor } nodes { id rowId name likeCount owner { rowId } bobbleheads(first: 5) { nodes { name year } } } } } }",
    "{ headShakers { bobbleheads(first: 10, orderBy: [NAME_ASC]) { nodes { id rowId name manufacturer year viewerHasLiked likes { totalCount } photos(first: 2) { nodes { rowId } } } } } }",
    "query($q: String!, $from: Int, $first: Int) { headShakers { searchBobbleheads(query: $q, yearFrom: $from, first: $first) { totalCount nodes { name } } } }",
    "{ headShakers { searchCollections(query: \"a\", first: 3) { totalCount nodes { name } } } }",
    "{ headShakers { users(first: 5) { nodes { rowId likes(first: 3) { nodes { targetType } } } } } }",
    "query($user: UUID!) { headShakers { user(rowId: $user) { rowId likes(first: 5, orderBy: [CREATED_AT_DESC]) { totalCount nodes { targetType } } } } }",
    "query($first: Int, $after: String) { headShakers { bobbleheads(first: $first, after: $after) { pageInfo { endCursor hasNextPage } nodes { rowId } } } }",
    "query($last: Int, $before: String) { headShakers { collections(last: $last, before: $before) { pageInfo { startCursor hasPreviousPage } nodes { rowId } } } }",
    "{ usegemz { viewerProfile { rowId } viewerTrial { __typename } } }",
    "query($id: UUID!) { usegemz { jobStatus(id: $id) { __typename } } }",
    "query($id: UUID!, $min: Int, $p: UsegemzPlatform) { usegemz { jobCreators(jobId: $id, first: 5, where: { minFollowers: $min, platform: $p }) { __typename } } }",
    "{ usegemz { campaigns(first: 5) { totalCount nodes { id rowId name status scrapingJobs(first: 2) { totalCount } } } } }",
    "query($c: String!, $k: String!) { usegemz { config(category: $c, key: $k) { __typename } } }",
    "{ usegemz { userProfiles(first: 3) { nodes { rowId } } } }",
    "{ deedO { publicProducts(first: 5, orderBy: [CREATED_AT_DESC]) { totalCount nodes { id rowId title cause mrp sellingPrice vendor { __typename } } } } }",
    "query($c: DeedOCause, $min: Float, $max: Float) { deedO { publicProducts(cause: $c, minPrice: $min, maxPrice: $max, first: 10) { nodes { title } } } }",
    "query($id: String!) { deedO { product(rowId: $id) { title groups(first: 2) { nodes { name } } } } }",
    "{ deedO { groups(first: 5) { nodes { rowId name product { title } messages(first: 3) { nodes { __typename } } } } } }",
    "{ deedO { users { nodes { rowId email status } } } }",
    "query($id: ID!) { node(id: $id) { id __typename } }",
    "query($ids: [ID!]!) { nodes(ids: $ids) { id __typename } }",
    "mutation($id: UUID!) { headShakers { like(targetType: BOBBLEHEAD, targetId: $id) { rowId } } }",
    "mutation($u: UUID!) { headShakers { blockUser(userId: $u) { rowId } } }",
    "mutation($u: String, $d: String, $b: String) { headShakers { updateProfile(username: $u, displayName: $d, bio: $b) { rowId username } } }",
    "mutation($id: UUID!) { usegemz { updateJobStatus(id: $id, status: PROCESSING) { status } } }",
    "mutation($id: UUID!, $n: Int!) { usegemz { recordJobProgress(id: $id, newResults: $n) { processedResults } } }",
    "mutation($id: UUID!) { usegemz { archiveCampaign(id: $id) { rowId } } }",
    "mutation($e: String!, $a: DeedOVerificationAction!, $p: DeedOPlatformType!) { deedO { requestOtp(email: $e, action: $a, platform: $p) } }",
    "mutation($r: UUID!, $c: String!) { deedO { verifyOtp(requestId: $r, code: $c) { token } } }",
    "query Named { __typename headShakers { __typename } }",
    "{ characterCreation { viewerQuota { tier limit remaining quotaExceeded } characterStats { __typename } } }",
    "query($t: [String!], $s: CharacterCreationStyleType, $q: String) { characterCreation { gallery(first: 5, tags: $t, styleType: $s, search: $q) { totalCount nodes { rowId name tags } } } }",
    "{ characterCreation { characterTemplates(first: 3) { nodes { rowId name } } generations(first: 3) { nodes { status } } } }",
    "mutation($p: String!, $s: CharacterCreationStyleType!) { characterCreation { requestGeneration(prompt: $p, styleType: $s) { rowId status } } }",
    "mutation($id: UUID!, $s: CharacterCreationGenerationStatus!, $e: String) { characterCreation { updateGenerationStatus(id: $id, status: $s, errorMessage: $e) { status } } }",
    "mutation($n: String!, $p: String!, $t: JSON) { characterCreation { createCharacter(name: $n, prompt: $p, styleType: ANIME, tags: $t) { rowId } } }",
    "mutation($id: UUID!) { characterCreation { deleteCharacter(id: $id) { deletedId } } }",
    "query($s: MindVaultProcessingStatus) { mindVault { summaries(first: 5, status: $s) { totalCount nodes { rowId title videoSummaryTags(first: 3) { nodes { tag { name } } } keyframes(first: 3) { nodes { rowId } } } } } }",
    "mutation($u: String!) { mindVault { createVideoSummary(youtubeUrl: $u) { rowId youtubeId } } }",
    "mutation($id: String!, $s: MindVaultProcessingStatus!, $e: String, $c: JSON) { mindVault { updateProcessingStatus(id: $id, status: $s, errorMessage: $e, aiGeneratedContent: $c) { processingStatus } } }",
    "mutation($n: String!) { mindVault { createTag(name: $n) { rowId } createCategory(name: $n) { rowId } } }",
    "mutation($id: String!) { mindVault { deleteVideoSummary(id: $id) { deletedId } } }",
    "mutation($t: String!, $c: Int, $p: Float!) { deedO { createProduct(title: $t, cause: EDUCATION, mrp: $p, sellingPrice: $p, stock: $c) { rowId } } }",
    "mutation($id: String!, $d: DeedOReviewDecision!) { deedO { reviewProduct(id: $id, decision: $d) { publishingStatus } } }",
    "mutation($g: UUID!, $b: String, $a: [DeedOAttachmentInput!]) { deedO { sendMessage(groupId: $g, body: $b, attachments: $a) { rowId } } }",
    "mutation($m: UUID!) { deedO { markRead(messageId: $m) { rowId } } }",
    "mutation { headShakers { approveComment(id: \"00000000-0000-4000-8000-000000000001\") { rowId } } }",
];

const FIELD_NAMES: &[&str] = &[
    "rowId",
    "nodes",
    "headShakers",
    "usegemz",
    "deedO",
    "secret",
    "password",
    "__schema",
    "__type",
    "totalCount",
    "nope",
    "node",
];

const BAD_FIRST: &[&str] = &[
    "0",
    "-1",
    "-2147483648",
    "2147483647",
    "2147483648",
    "99999999999999999999",
    "1.5",
    "1e9",
    "\"10\"",
    "null",
    "true",
    "NAME_ASC",
    "[1]",
    "{a: 1}",
];

const BAD_CURSORS: &[&str] = &[
    "",
    "x",
    "bm90IGEgY3Vyc29y",
    "////",
    "eyJrIjpbMV19",
    "YXJyYXljb25uZWN0aW9uOjA=",
    "%%%%",
    "' OR 1=1 --",
    "\u{0}",
    "W251bGwsIm51bGwiXQ==",
];

fn random_var(rng: &mut Rng, app_ids: &[String]) -> Value {
    match rng.below(18) {
        0 => Value::Null,
        1 => json!(rng.uuid()),
        2 => json!(rng.pick(app_ids).clone()),
        3 => {
            // A NUL refuses the whole request; kept rare so that most requests still execute.
            let nul = if rng.chance(10) { "\u{0}" } else { "0" };
            json!(rng.junk_upto(40).replace('\u{0}', nul))
        }
        4 => json!("x".repeat(rng.below(200_000))),
        5 => json!(rng.next() as i64),
        6 => json!(-(rng.below(1000) as i64)),
        7 => json!(rng.below(200)),
        8 => json!(1.0e308),
        9 => json!(-0.5),
        10 => json!(true),
        11 => json!([rng.uuid(), 1, null]),
        12 => json!({ "eq": rng.uuid() }),
        13 => json!(*rng.pick(BAD_CURSORS)),
        14 => json!(*rng.pick(&[
            "BOBBLEHEAD",
            "TIKTOK",
            "ANIMALS",
            "nope",
            "PROCESSING",
            "LOGIN",
            "ANDROID"
        ])),
        15 => json!(u64::MAX),
        16 => json!(["a", "b"].repeat(rng.below(300))),
        // Huge and deep variables: within serde_json's own nesting limit, past the gateway's.
        17 if rng.chance(10) => json!(vec![rng.below(9); rng.below(60_000)]),
        17 if rng.chance(10) => (0..rng.below(120)).fold(json!({ "eq": "x\u{0}" }), |v, i| {
            if i % 2 == 0 {
                json!({ "not": v })
            } else {
                json!([v])
            }
        }),
        _ => json!(rng.below(10).to_string()),
    }
}

/// Documents of the hostile classes: input values nested or widened past the limits, fragment
/// bombs, NUL characters, introspection multiplied by itself, thousands of unused variables.
fn hostile(rng: &mut Rng) -> String {
    let n = 1 + rng.below(3000);
    let leaf = "{name: {eq: \"x\"}}";
    let filter =
        |w: String| format!("{{ headShakers {{ bobbleheads(where: {w}) {{ totalCount }} }} }}");
    match rng.below(9) {
        0 => filter(format!("{}{leaf}{}", "{not: ".repeat(n), "}".repeat(n))),
        1 => filter(format!("{}{leaf}{}", "{and: [".repeat(n), "]}".repeat(n))),
        2 => filter(format!("{}{leaf}{}", "{or: [".repeat(n), "]}".repeat(n))),
        3 => filter(format!(
            "{{or: [{}]}}",
            vec![leaf; rng.below(20_000)].join(",")
        )),
        4 => e2e::hostile::fragment_bomb(1 + rng.below(40)),
        5 => format!(
            "{{ headShakers {{ searchBobbleheads(query: \"a{}b\") {{ totalCount }} }} }}",
            rng.pick(&["\\u0000", "\u{0}", "\\uD800", "\\u0001"])
        ),
        6 => "mutation { mindVault { createTag(name: \"t\\u0000\") { rowId } } }".into(),
        7 => {
            let mut q = String::from("{ __schema { types { fields { type { fields { name ");
            for _ in 0..rng.below(3) {
                q.push_str("type { fields { name ");
            }
            let open = q.matches('{').count();
            q + &"} ".repeat(open)
        }
        _ => {
            let defs: Vec<String> = (0..rng.below(6000))
                .map(|i| format!("$v{i}: Int"))
                .collect();
            format!("query({}) {{ __typename }}", defs.join(", "))
        }
    }
}

fn random_vars(rng: &mut Rng, ids: &[String]) -> Value {
    if rng.chance(5) {
        return match rng.below(4) {
            0 => json!([1, 2]),
            1 => json!("vars"),
            2 => json!(42),
            _ => Value::Null,
        };
    }
    let names = [
        "q", "from", "first", "after", "last", "before", "user", "id", "ids", "min", "max", "p",
        "c", "k", "u", "d", "b", "n", "e", "a", "r", "unknown",
    ];
    let mut map = serde_json::Map::new();
    for _ in 0..rng.below(8) {
        let name = (*rng.pick(&names)).to_owned();
        map.insert(name, random_var(rng, ids));
    }
    // Often a well-typed set, so execution (not only validation) is reached.
    if rng.chance(50) {
        map.insert("q".into(), json!(rng.junk(3)));
        map.insert("first".into(), json!(rng.below(120) as i64 - 10));
        map.insert("id".into(), json!(rng.pick(ids).clone()));
        map.insert("ids".into(), json!([rng.pick(ids).clone(), rng.uuid()]));
        map.insert("user".into(), json!(rng.pick(ids).clone()));
        map.insert("c".into(), json!("ANIMALS"));
        map.insert("k".into(), json!("k"));
        map.insert("n".into(), json!(rng.next() as i32));
        map.insert("r".into(), json!(rng.uuid()));
        map.insert("e".into(), json!(format!("{}@example.com", rng.junk(5))));
        map.insert("a".into(), json!("LOGIN"));
        map.insert("p".into(), json!("ANDROID"));
    }
    Value::Object(map)
}

fn nested(rng: &mut Rng) -> String {
    let depth = 1 + rng.below(40);
    let mut q = String::from("{ headShakers { collections(first: 2) { nodes { ");
    for i in 0..depth {
        if i % 2 == 0 {
            q.push_str("owner { collections(first: 2) { nodes { ");
        } else {
            q.push_str("bobbleheads(first: 2) { nodes { collection { ");
        }
    }
    q.push_str("rowId");
    // Both kinds of level open three braces.
    q.push_str(&" } } }".repeat(depth));
    q.push_str(" } } } }");
    q
}

fn aliases(rng: &mut Rng) -> String {
    let n = rng.below(80);
    let mut q = String::from("{ ");
    for i in 0..n {
        q.push_str(&format!(
            "a{i}: headShakers {{ bobbleheads(first: {}) {{ totalCount }} }} ",
            rng.below(100)
        ));
    }
    q.push_str("__typename }");
    q
}

fn mutate(rng: &mut Rng, doc: &str, ids: &[String]) -> String {
    let mut s = doc.to_owned();
    for _ in 0..1 + rng.below(3) {
        match rng.below(12) {
            0 => {
                let cut = rng.below(s.len() + 1);
                s = s.chars().take(cut).collect();
            }
            1 => {
                let mut chars: Vec<char> = s.chars().collect();
                for _ in 0..1 + rng.below(4) {
                    if !chars.is_empty() {
                        let i = rng.below(chars.len());
                        chars[i] = rng.junk(1).chars().next().unwrap_or('x');
                    }
                }
                s = chars.into_iter().collect();
            }
            2 => {
                let from = *rng.pick(&["rowId", "name", "nodes", "totalCount", "title"]);
                let to = *rng.pick(FIELD_NAMES);
                s = s.replacen(from, to, 1);
            }
            3 => {
                let v = *rng.pick(BAD_FIRST);
                s = s.replace("first: 5", &format!("first: {v}"));
                s = s.replace("first: 10", &format!("first: {v}"));
                s = s.replace("first: 20", &format!("first: {v}"));
            }
            4 => {
                let c = rng.pick(BAD_CURSORS).replace(['\\', '"'], "");
                s = s.replacen("first: 5", &format!("first: 5, after: \"{c}\""), 1);
            }
            5 => {
                let e = *rng.pick(&["NAME_DESCX", "name_asc", "\"NAME_ASC\"", "1", "null", "[]"]);
                s = s
                    .replace("UPDATED_AT_DESC", e)
                    .replace("CREATED_AT_DESC", e);
                s = s.replace("NAME_ASC", e).replace("BOBBLEHEAD", e);
            }
            6 => {
                let id = if rng.chance(50) {
                    rng.uuid()
                } else {
                    rng.pick(ids).clone()
                };
                s = s.replacen(
                    "first: 5",
                    &format!("first: 5, where: {{ rowId: {{ eq: \"{id}\" }} }}"),
                    1,
                );
            }
            7 => {
                let extra = if rng.chance(50) {
                    " query Other { __typename }"
                } else {
                    " fragment F on Query { __typename }"
                };
                s.push_str(extra);
            }
            8 => s = s.replace('{', "{{"),
            9 => {
                let bad = *rng.pick(&[
                    "where: { rowId: { eq: 1 } }",
                    "where: { nope: { eq: 1 } }",
                    "where: { name: { like: \"%\" } }",
                    "where: { and: [{ or: [] }] }",
                    "where: null",
                    "orderBy: [NOPE]",
                    "orderBy: null",
                    "last: -3",
                    "first: 5, last: 5",
                ]);
                s = s.replacen("first: 5", &format!("first: 5, {bad}"), 1);
            }
            10 => s = format!("{}{}", s, rng.junk_upto(20)),
            _ => s = s.replace("query", "subscription"),
        }
    }
    s
}

fn document(rng: &mut Rng, ids: &[String]) -> String {
    match rng.below(20) {
        0..=5 => (*rng.pick(CORPUS)).to_owned(),
        6..=13 => {
            let doc = *rng.pick(CORPUS);
            mutate(rng, doc, ids)
        }
        14 if rng.chance(50) => nested(rng),
        14 => hostile(rng),
        15 => aliases(rng),
        16 if rng.chance(50) => rng.junk_upto(200),
        16 => hostile(rng),
        17 => String::new(),
        18 => format!(
            "{{ {} }}",
            "headShakers { __typename } ".repeat(rng.below(500))
        ),
        _ => format!(
            "query($id: ID!) {{ node(id: \"{}\") {{ id }} }}",
            rng.junk(10).replace(['"', '\\'], "")
        ),
    }
}

struct Req {
    method: &'static str,
    path: String,
    headers: Vec<(&'static str, String)>,
    body: Option<Vec<u8>>,
    what: String,
}

fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn request(rng: &mut Rng, ids: &[String], tokens: &[String]) -> Req {
    // About half the requests have a well-formed envelope, so the document and variables
    // reach validation and execution; the others attack the envelope too.
    let clean = rng.chance(55);
    let doc = document(rng, ids);
    let mut vars = random_vars(rng, ids);
    if clean && !vars.is_object() {
        vars = json!({});
    }
    let op: Option<String> = match if clean { 5 } else { rng.below(6) } {
        0 => Some("Named".into()),
        1 => Some(rng.junk(6)),
        2 => Some("Other".into()),
        _ => None,
    };
    let mut headers = Vec::new();
    if clean && rng.chance(50) {
        let accept = *rng.pick(&[
            "application/json",
            "application/graphql-response+json",
            "*/*",
        ]);
        headers.push(("accept", accept.to_owned()));
    } else if !clean && rng.chance(70) {
        let accept = *rng.pick(&[
            "application/json",
            "application/graphql-response+json",
            "*/*",
            "application/*",
            "text/plain",
            "application/graphql-response+json;q=0, application/json",
            "",
            ";;;,,,",
            "text/event-stream",
            "application/json;q=abc",
        ]);
        headers.push(("accept", accept.to_owned()));
    }
    if rng.chance(60) {
        let auth = match if clean { 9 } else { rng.below(10) } {
            0 => "Bearer".to_owned(),
            1 => format!(
                "Bearer {}",
                rng.junk(30)
                    .replace(|c: char| c.is_control() || !c.is_ascii(), "x")
            ),
            2 => "Basic dXNlcjpwYXNz".to_owned(),
            3 => "Bearer eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiIxIn0.".to_owned(),
            4 => {
                // A real token with its signature tampered with.
                let t = rng.pick(tokens).clone();
                format!("Bearer {}x", &t[..t.len() - 1])
            }
            5 => format!("Bearer a.{}.c", "b".repeat(rng.below(5000))),
            _ => format!("Bearer {}", rng.pick(tokens)),
        };
        headers.push(("authorization", auth));
    }
    let what;
    let (method, path, body) = if rng.chance(25) {
        // GET with URL parameters.
        let mut path = format!("/graphql?query={}", encode(&doc));
        if rng.chance(50) {
            path.push_str(&format!("&variables={}", encode(&vars.to_string())));
        }
        if !clean && rng.chance(20) {
            path.push_str(&format!("&variables={}", encode(&rng.junk(10))));
        }
        if let Some(op) = &op {
            path.push_str(&format!("&operationName={}", encode(op)));
        }
        if !clean && rng.chance(10) {
            // Percent-encoded bytes that are not UTF-8.
            path.push_str("&query=%FF%FE%C3");
        }
        if !clean && rng.chance(5) {
            path.push_str("&extensions=%5B%5D");
        }
        if !clean && rng.chance(10) {
            path = "/graphql?operationName=Q".into();
        }
        // Keep the URL within what an HTTP client sends (hyper refuses URIs over 64 KiB).
        if path.len() > 30_000 {
            path.truncate(30_000);
            while path.ends_with('%') || path[..path.len() - 1].ends_with('%') {
                path.pop();
            }
        }
        what = format!("GET {}", path.chars().take(300).collect::<String>());
        ("GET", path, None)
    } else {
        let content_type = match if clean { 11 } else { rng.below(12) } {
            0 => Some("text/plain"),
            1 => None,
            2 => Some("application/json; charset=latin1"),
            3 => Some("application/graphql"),
            4 => Some("application/x-www-form-urlencoded"),
            _ => Some("application/json"),
        };
        if let Some(ct) = content_type {
            headers.push(("content-type", ct.to_owned()));
        }
        let body = match if clean { 13 } else { rng.below(14) } {
            0 => None,
            1 => Some(String::new()),
            2 => Some(rng.junk_upto(100)),
            3 => Some(json!([{ "query": doc }]).to_string()),
            4 => Some(json!({ "query": 5, "variables": vars }).to_string()),
            5 => Some(json!({ "query": doc, "operationName": 7 }).to_string()),
            6 => Some(json!({ "query": doc, "extensions": "x" }).to_string()),
            7 => {
                let full = json!({ "query": doc, "variables": vars }).to_string();
                let cut = rng.below(full.len());
                Some(full.chars().take(cut).collect())
            }
            8 => Some("null".into()),
            _ => Some(json!({ "query": doc, "variables": vars, "operationName": op }).to_string()),
        };
        what = format!(
            "POST {:?}",
            body.as_deref()
                .map(|b| b.chars().take(300).collect::<String>())
        );
        let mut body = body.map(String::into_bytes);
        // Invalid UTF-8 somewhere in the body.
        if let Some(bytes) = body.as_mut().filter(|_| rng.chance(4)) {
            let at = rng.below(bytes.len() + 1);
            bytes.insert(at, *rng.pick(&[0xff, 0xc3, 0x80, 0xed]));
        }
        ("POST", "/graphql".into(), body)
    };
    Req {
        method,
        path,
        headers,
        body,
        what,
    }
}

/// One answer: status, media type and the raw body.
struct Answer {
    status: u16,
    content_type: String,
    text: String,
}

async fn send(client: &reqwest::Client, url: &str, req: &Req) -> Result<Answer, String> {
    let method = reqwest::Method::from_bytes(req.method.as_bytes()).map_err(|e| e.to_string())?;
    let mut builder = client.request(method, format!("{url}{}", req.path));
    for (k, v) in &req.headers {
        builder = builder.header(*k, v.as_str());
    }
    if let Some(b) = &req.body {
        builder = builder.body(b.clone());
    }
    let res = builder
        .send()
        .await
        .map_err(|e| format!("transport: {e}"))?;
    let status = res.status().as_u16();
    let content_type = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let text = res.text().await.map_err(|e| format!("body: {e}"))?;
    Ok(Answer {
        status,
        content_type,
        text,
    })
}

fn check(req: &Req, r: &Answer) -> Result<(), String> {
    let fail = |why: &str| {
        Err(format!(
            "{why}\nrequest: {}\nstatus {} content-type {} body {}",
            req.what,
            r.status,
            r.content_type,
            r.text.chars().take(600).collect::<String>()
        ))
    };
    if r.status >= 500 {
        return fail("5xx");
    }
    if r.content_type.starts_with("text/html") {
        return Ok(()); // GraphiQL for a browser.
    }
    if r.content_type.starts_with("text/event-stream") {
        // Every `next` event carries one GraphQL response.
        for line in r.text.lines() {
            if let Some(payload) = line.strip_prefix("data:") {
                let payload = payload.trim();
                if payload.is_empty() {
                    continue;
                }
                let Ok(body) = serde_json::from_str::<Value>(payload) else {
                    return fail("an event is not JSON");
                };
                if let Err(why) = check_body(&body) {
                    return fail(&why);
                }
            }
        }
        return Ok(());
    }
    let body: Value = serde_json::from_str(&r.text).unwrap_or(Value::Null);
    match check_body(&body) {
        Ok(()) => Ok(()),
        Err(why) => fail(&why),
    }
}

fn check_body(body: &Value) -> Result<(), String> {
    let fail = |why: &str| Err(why.to_owned());
    let Some(obj) = body.as_object() else {
        return fail("body is not a JSON object");
    };
    if !obj.contains_key("data") && !obj.contains_key("errors") {
        return fail("neither data nor errors");
    }
    if let Some(errors) = obj.get("errors") {
        let Some(errors) = errors.as_array() else {
            return fail("errors is not a list");
        };
        if errors.is_empty() {
            return fail("empty errors list");
        }
        for e in errors {
            let code = e["extensions"]["code"].as_str().unwrap_or("");
            if !CODES.contains(&code) {
                return fail("error without a known extensions.code");
            }
            // Every request here is the client's doing: none may look like a server fault.
            if code == "INTERNAL" {
                return fail("INTERNAL error for client input");
            }
            let message = e["message"].as_str().unwrap_or("");
            if let Some(leak) = LEAKS
                .iter()
                .find(|l| message.to_lowercase().contains(&l.to_lowercase()))
            {
                return fail(&format!("message leaks database text ({leak})"));
            }
        }
    }
    Ok(())
}

async fn collect_ids(app: &TestApp) -> Vec<String> {
    let r = app
        .gql(
            "{ headShakers { bobbleheads(first: 5) { nodes { id rowId } } collections(first: 5) { nodes { id rowId } } users(first: 5) { nodes { id rowId } } } usegemz { campaigns(first: 5) { nodes { id rowId } } } deedO { publicProducts(first: 5) { nodes { id rowId } } } }",
            json!({}),
            None,
        )
        .await;
    let mut ids = vec!["not-a-uuid".to_owned(), "0".to_owned(), String::new()];
    fn walk(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                for (k, v) in m {
                    if (k == "id" || k == "rowId")
                        && let Some(s) = v.as_str()
                    {
                        out.push(s.to_owned());
                    }
                    walk(v, out);
                }
            }
            Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    walk(&r.body, &mut ids);
    ids
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn random_and_mutated_requests_never_break_the_gateway() {
    for backend in e2e::backends() {
        fuzz(&backend).await;
    }
}

/// The fuzz against a gateway with demo data on `backend`.
async fn fuzz(backend: &e2e::Backend) {
    let b = backend.name();
    let started = Instant::now();
    let app = Arc::new(TestApp::spawn(backend, Data::Demo).await);
    let ids = collect_ids(&app).await;
    assert!(ids.len() > 10, "demo ids: {ids:?}");
    let tokens = vec![
        app.token("head_shakers", "00000000-0000-4000-8000-000000000001"),
        app.token("head_shakers", &ids[4]),
        app.token("usegemz", "user_2demoUsegemzAdmin000000"),
        app.token("usegemz", "user_2stranger"),
        app.token("deed_o", "1"),
        app.token("deed_o", "999999"),
        app.token("character_creation", "cc000000-0000-4000-8000-000000000001"),
        app.token("mind_vault", "mvDemoUser0000000000000000000001"),
        app.token("nope", "x"),
    ];

    let mut rng = Rng(SEED);
    let requests: Vec<Req> = (0..REQUESTS)
        .map(|_| request(&mut rng, &ids, &tokens))
        .collect();
    let requests = Arc::new(requests);
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut workers = Vec::new();
    for _ in 0..PARALLEL {
        let app = app.clone();
        let requests = requests.clone();
        let next = next.clone();
        let client = reqwest::Client::new();
        workers.push(tokio::spawn(async move {
            let mut failures = Vec::new();
            let mut executed = 0usize;
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(req) = requests.get(i) else { break };
                let r = tokio::time::timeout(Duration::from_secs(20), send(&client, &app.url, req))
                    .await;
                match r {
                    Ok(Err(e)) => failures.push(format!("#{i}: {e}\nrequest: {}", req.what)),
                    Ok(Ok(r)) => {
                        if r.status == 200 && r.text.contains("\"data\":{") {
                            executed += 1;
                        }
                        if let Err(e) = check(req, &r) {
                            failures.push(format!("#{i}: {e}"));
                        }
                    }
                    Err(_) => failures.push(format!("#{i}: timed out\nrequest: {}", req.what)),
                }
            }
            (failures, executed)
        }));
    }
    let mut failures = Vec::new();
    let mut executed = 0;
    for w in workers {
        let (f, n) = w.await.unwrap_or_else(|e| panic!("worker: {e}"));
        failures.extend(f);
        executed += n;
    }
    eprintln!("{b}: {executed} of {REQUESTS} requests reached execution");
    // The generator must reach the resolvers, not only the parser.
    assert!(
        executed > REQUESTS / 10,
        "{b}: only {executed} requests executed"
    );
    let health = app.raw("GET", "/healthz", &[], None).await;
    assert_eq!(
        health.status, 200,
        "{b}: the server is not healthy after the fuzz"
    );
    assert!(
        failures.is_empty(),
        "{b}: {} of {REQUESTS} requests broke a rule; the first ones:\n{}",
        failures.len(),
        failures
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n\n")
    );
    assert!(
        started.elapsed() < Duration::from_secs(90),
        "{b}: the fuzz took {:?}",
        started.elapsed()
    );
}

/// Cases the fuzzer found, kept as plain regressions.
#[tokio::test]
async fn found_cases() {
    let app = TestApp::spawn(&e2e::Backend::Sqlite, Data::Demo).await;
    // An omitted nullable variable is an absent argument.
    let r = app
        .gql(
            "query($from: Int) { headShakers { searchBobbleheads(query: \"a\", yearFrom: $from, first: 1) { totalCount } } }",
            json!({}),
            None,
        )
        .await;
    r.data();
    // An omitted or null required variable is a request error, not an INTERNAL field error.
    for vars in [json!({}), json!({ "id": null })] {
        let r = app
            .gql(
                "query($id: UUID!) { usegemz { jobStatus(id: $id) { __typename } } }",
                vars,
                None,
            )
            .await;
        assert_eq!(r.code(), Some("BAD_USER_INPUT"), "{}", r.body);
        assert!(r.body.get("data").is_none(), "{}", r.body);
        assert!(
            r.body["errors"][0]["message"]
                .as_str()
                .unwrap_or("")
                .contains("$id")
        );
    }
    // Errors streamed as server-sent events carry codes too.
    let client = reqwest::Client::new();
    for body in [
        r#"{"query":"{ headShakers { nope } }"}"#,
        r#"{"query":"{"}"#,
        r#"{"query":"{ __typename }","operationName":"Missing"}"#,
    ] {
        let req = Req {
            method: "POST",
            path: "/graphql".into(),
            headers: vec![
                ("content-type", "application/json".into()),
                ("accept", "text/event-stream".into()),
            ],
            body: Some(body.into()),
            what: body.into(),
        };
        let answer = send(&client, &app.url, &req)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            answer.content_type.starts_with("text/event-stream"),
            "{}",
            answer.content_type
        );
        assert!(answer.text.contains("BAD_USER_INPUT"), "{}", answer.text);
        check(&req, &answer).unwrap_or_else(|e| panic!("{e}"));
    }
}
