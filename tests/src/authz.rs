//! The authorization matrix: every query and mutation of a namespace, asked by every kind of
//! viewer, with the outcome each must get.
//!
//! A source's matrix is a list of [`Case`]s. Each names the namespace field it exercises, a
//! document with its variables, and the expected outcome per viewer, run in the order given (so
//! refused viewers go first and a destructive write's allowed viewer last). [`run`] fails when a
//! field of the namespace's query or mutation type has no case, so a new operation cannot ship
//! outside the matrix, and when any response to the anonymous viewer, the other user or a
//! foreign token carries one of the world's secret markers anywhere (data, error messages or
//! extensions).

use serde_json::Value;

use crate::TestApp;

/// A kind of viewer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Who {
    /// No token.
    Anonymous,
    /// The user owning the case's rows.
    Owner,
    /// Another signed-in user of the same source.
    Other,
    /// A moderator of the source (by its data).
    Moderator,
    /// An admin of the source (by its data).
    Admin,
    /// A valid token for another source.
    Foreign,
}

/// What a viewer must get.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// No error, and the field's value is present: not null, and for a list or connection not
    /// empty.
    Allowed,
    /// An error with this `extensions.code`, and no value for the field.
    Refused(&'static str),
    /// No error, and nothing to see: null, an empty list, or a connection with no nodes and a
    /// `totalCount` (when selected) of 0.
    Nothing,
}

/// One operation of the matrix.
#[derive(Debug, Clone)]
pub struct Case {
    /// The namespace field exercised (`collections`, `createBobblehead`).
    pub field: &'static str,
    /// The whole document; it selects `<namespace> { <field> … }` once.
    pub doc: String,
    /// Its variables.
    pub vars: Value,
    /// The outcome per viewer, in the order the viewers ask.
    pub expect: Vec<(Who, Expect)>,
}

impl Case {
    /// A case for `field` with `doc` and `vars`.
    pub fn new(field: &'static str, doc: impl Into<String>, vars: Value) -> Case {
        Case {
            field,
            doc: doc.into(),
            vars,
            expect: Vec::new(),
        }
    }

    /// Adds the outcome of `who` (asked after those added before).
    pub fn then(mut self, who: Who, expect: Expect) -> Case {
        self.expect.push((who, expect));
        self
    }
}

/// The viewers of a matrix with their bearer tokens, and what none but the allowed may see.
pub struct World<'a> {
    /// The gateway.
    pub app: &'a TestApp,
    /// The namespace field of `Query` and `Mutation` (`headShakers`).
    pub namespace: &'static str,
    /// The namespace's query type (`HeadShakersQuery`).
    pub query_type: &'static str,
    /// The namespace's mutation type (`HeadShakersMutation`).
    pub mutation_type: &'static str,
    /// Tokens per viewer (`None` for anonymous).
    pub tokens: Vec<(Who, Option<String>)>,
    /// Texts that must never reach the anonymous, the other user or a foreign token (names of
    /// private rows, e-mails …), in any response.
    pub secrets: Vec<String>,
}

impl World<'_> {
    fn token(&self, who: Who) -> Option<&str> {
        self.tokens
            .iter()
            .find(|(w, _)| *w == who)
            .unwrap_or_else(|| panic!("no token for {who:?}"))
            .1
            .as_deref()
    }

    async fn fields(&self, type_name: &str) -> Vec<String> {
        let r = self
            .app
            .gql(
                "query($t: String!) { __type(name: $t) { fields { name } } }",
                serde_json::json!({ "t": type_name }),
                None,
            )
            .await;
        r.data()["__type"]["fields"]
            .as_array()
            .unwrap_or_else(|| panic!("no type {type_name}: {}", r.body))
            .iter()
            .filter_map(|f| f["name"].as_str().map(str::to_owned))
            .collect()
    }
}

/// Whether `v` shows something: not null, a non-empty list, or a connection with nodes or a
/// positive `totalCount`.
fn present(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => {
            let nodes = o.get("nodes").or_else(|| o.get("edges"));
            let total = o.get("totalCount").and_then(Value::as_i64);
            match (nodes, total) {
                // A count of hidden rows is as much a leak as the rows.
                (Some(n), Some(t)) => present(n) || t > 0,
                (Some(n), None) => present(n),
                (None, Some(t)) => t > 0,
                (None, None) => true,
            }
        }
        _ => true,
    }
}

/// Runs every case for every listed viewer and checks the matrix covers every field of the
/// namespace.
pub async fn run(world: &World<'_>, cases: &[Case]) {
    let b = world.app.backend.name();
    for type_name in [world.query_type, world.mutation_type] {
        let missing: Vec<String> = world
            .fields(type_name)
            .await
            .into_iter()
            .filter(|f| !cases.iter().any(|c| c.field == f))
            .collect();
        assert!(
            missing.is_empty(),
            "{b}: {type_name} fields outside the authorization matrix: {missing:?}"
        );
    }
    for case in cases {
        assert!(!case.expect.is_empty(), "{}: no viewer", case.field);
        for (who, expect) in &case.expect {
            let what = format!("{b} {}.{} as {who:?}", world.namespace, case.field);
            let r = world
                .app
                .gql(&case.doc, case.vars.clone(), world.token(*who))
                .await;
            let value = &r.body["data"][world.namespace][case.field];
            let errors = r.body.get("errors");
            match expect {
                Expect::Allowed => {
                    assert!(errors.is_none(), "{what}: expected data, got {}", r.body);
                    assert!(present(value), "{what}: expected a value, got {}", r.body);
                }
                Expect::Refused(code) => {
                    assert_eq!(r.code(), Some(*code), "{what}: {}", r.body);
                    assert!(!present(value), "{what}: refused but answered {}", r.body);
                }
                Expect::Nothing => {
                    assert!(
                        errors.is_none(),
                        "{what}: expected no error, got {}",
                        r.body
                    );
                    assert!(!present(value), "{what}: expected nothing, got {}", r.body);
                }
            }
            // Secrets never reach a viewer who is neither their owner nor privileged, whatever
            // else the case allows them.
            if matches!(who, Who::Anonymous | Who::Other | Who::Foreign) {
                let text = r.body.to_string();
                for secret in &world.secrets {
                    assert!(
                        !text.contains(secret.as_str()),
                        "{what}: `{secret}` leaked: {text}"
                    );
                }
            }
        }
    }
}
