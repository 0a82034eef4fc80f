//! Every table of every source over the demo data, on every backend: each column reads, each
//! relation resolves in both directions, the demo data fills every table, and an anonymous
//! viewer sees no row of any personal or admin-only table.

use api::graphql::spec::{Access, Read, Source, Table};
use api::sources::SOURCES;
use e2e::{Data, TestApp, backends};
use serde_json::json;

fn selection(source: &Source, table: &Table) -> String {
    let mut fields = vec!["id".to_owned()];
    fields.extend(table.columns.iter().map(|c| c.field_name(table)));
    for r in source.relations {
        if r.from == table.name {
            fields.push(format!("{} {{ id }}", r.forward));
        }
        if r.to == table.name {
            if r.unique {
                fields.push(format!("{} {{ id }}", r.reverse));
            } else {
                fields.push(format!(
                    "{}(first: 2) {{ totalCount nodes {{ id }} }}",
                    r.reverse
                ));
            }
        }
    }
    fields.join(" ")
}

/// Whether no anonymous viewer may read any row of the table.
fn private(access: &Access) -> bool {
    match access {
        Access::Everyone | Access::Where(_) => false,
        Access::Any(rules) => rules.iter().all(private),
        Access::All(rules) => rules.iter().any(private),
        Access::Owner | Access::Admin | Access::ViaOwner { .. } | Access::MemberOf(_) => true,
        // Source-specific rules refine what anonymous viewers see; they do not make a table private.
        Access::Custom(_) => false,
        Access::Via { table, .. } => SOURCES
            .iter()
            .flat_map(|s| s.tables.iter())
            .find(|t| t.name == *table)
            .is_some_and(|t| private(&t.access)),
    }
}

#[tokio::test]
async fn every_table_reads_on_every_backend() {
    for backend in backends() {
        let app = TestApp::spawn(&backend, Data::Demo).await;
        let b = backend.name();
        for source in SOURCES {
            let admin = app.holder(source.id, "admin").await;
            let admin = app.token(source.id, &admin);
            for table in source.tables {
                let q = format!(
                    "{{ {ns} {{ {plural}(first: 5) {{ totalCount aggregate {{ count }} nodes {{ {sel} }} }} }} }}",
                    ns = source.namespace,
                    plural = table.plural,
                    sel = selection(source, table)
                );
                let r = app.gql(&q, json!({}), Some(&admin)).await;
                assert!(
                    r.body.get("errors").is_none(),
                    "{b} {}.{}: {}",
                    source.id,
                    table.name,
                    r.body
                );
                let conn = &r.body["data"][source.namespace][table.plural];
                let total = conn["totalCount"].as_i64().unwrap_or(0);
                assert!(
                    total > 0,
                    "{b} {}.{}: the demo data fills every table",
                    source.id,
                    table.name
                );
                assert_eq!(
                    conn["aggregate"]["count"].as_i64(),
                    Some(total),
                    "{b} {}.{}",
                    source.id,
                    table.name
                );

                let r = app.gql(&q, json!({}), None).await;
                assert!(
                    r.body.get("errors").is_none(),
                    "{b} {}.{} anonymous: {}",
                    source.id,
                    table.name,
                    r.body
                );
                let conn = &r.body["data"][source.namespace][table.plural];
                if private(&table.access) {
                    assert_eq!(
                        conn["totalCount"], 0,
                        "{b} {}.{}: private to anonymous",
                        source.id, table.name
                    );
                }
                for node in conn["nodes"].as_array().into_iter().flatten() {
                    for c in table.columns.iter().filter(|c| c.read == Read::Owner) {
                        assert!(
                            node[c.field_name(table)].is_null(),
                            "{b} {}.{}.{}: owner-only",
                            source.id,
                            table.name,
                            c.name
                        );
                    }
                }
            }
        }
    }
}

/// No two fields of one type share a name (a later field would silently replace an earlier one).
#[test]
fn field_names_are_unique_per_type() {
    for source in SOURCES {
        for table in source.tables {
            let mut names: Vec<String> = vec!["id".into()];
            names.extend(table.columns.iter().map(|c| c.field_name(table)));
            for r in source.relations {
                if r.from == table.name {
                    names.push(r.forward.into());
                }
                if r.to == table.name {
                    names.push(r.reverse.into());
                }
            }
            for p in source.polymorphic {
                if p.table == table.name {
                    names.push(p.field.into());
                }
                if let Some(rev) = p.reverse
                    && p.members
                        .iter()
                        .any(|m| m.table == table.name && m.id_column.is_none())
                {
                    names.push(rev.into());
                }
            }
            names.extend(
                source
                    .related
                    .iter()
                    .filter(|r| r.on == table.name)
                    .map(|r| r.field.to_owned()),
            );
            let mut sorted = names.clone();
            sorted.sort();
            sorted.dedup();
            assert_eq!(
                sorted.len(),
                names.len(),
                "{}.{}: duplicate field names in {names:?}",
                source.id,
                table.name
            );
        }
    }
}

/// Every namespace with an accounts table has `viewer`: the signed-in user's own account, null
/// when anonymous or signed in to another source.
#[tokio::test]
async fn viewer_is_the_signed_in_account_in_every_namespace() {
    for backend in backends() {
        let b = backend.name();
        let app = TestApp::spawn(&backend, Data::Demo).await;
        let hs_token = app.token("head_shakers", &app.holder("head_shakers", "admin").await);
        for (source, namespace) in [
            ("head_shakers", "headShakers"),
            ("character_creation", "characterCreation"),
            ("mind_vault", "mindVault"),
        ] {
            let key = app.holder(source, "admin").await;
            let token = app.token(source, &key);
            let q = format!("{{ {namespace} {{ viewer {{ rowId }} }} }}");
            let r = app.gql(&q, json!({}), Some(&token)).await;
            assert_eq!(
                r.data()[namespace]["viewer"]["rowId"].as_str(),
                Some(key.as_str()),
                "{b}: {source}"
            );
            let r = app.gql(&q, json!({}), None).await;
            assert!(
                r.data()[namespace]["viewer"].is_null(),
                "{b}: {source} anonymous"
            );
            if source != "head_shakers" {
                let r = app.gql(&q, json!({}), Some(&hs_token)).await;
                assert!(
                    r.data()[namespace]["viewer"].is_null(),
                    "{b}: {source} with another source's token"
                );
            }
        }
    }
}
