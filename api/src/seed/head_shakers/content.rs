//! Tags, collections, sub-collections, bobbleheads, their photos and tag links.

use chrono::{Duration, NaiveDateTime};
use entity::head_shakers as hs;
use rust_decimal::Decimal;
use sea_orm::ActiveValue::Set;
use serde_json::json;

use super::words::{COLORS, CONDITIONS, METHODS, PLACES, STATUSES, SUB_NAMES, TAGS, THEMES, Theme};
use super::{Batch, Bobble, Coll, Rng, Sub, after, between, epoch, image, money};

/// `k` distinct indexes below `n`, in random order.
fn distinct(rng: &mut Rng, n: usize, k: usize) -> Vec<usize> {
    let mut all: Vec<usize> = (0..n).collect();
    for i in 0..k.min(n) {
        let j = i + rng.below(n - i);
        all.swap(i, j);
    }
    all.truncate(k.min(n));
    all
}

/// The tags of one user while their bobbleheads are generated.
struct Tags {
    ids: Vec<uuid::Uuid>,
    created: Vec<NaiveDateTime>,
    uses: Vec<i32>,
}

/// Gives every active user tags and one to three collections full of bobbleheads.
pub(super) fn build(b: &mut Batch) {
    let mut rng = b.rng(2);
    let now = epoch();
    for u in 0..b.users.len() {
        if !b.users[u].active {
            continue;
        }
        let demo = b.first + u == 0;
        let user_created = b.users[u].created;
        let ntags = if demo { 6 } else { rng.range(0, 6) as usize };
        let names = distinct(&mut rng, TAGS.len(), ntags);
        let mut tags = Tags {
            ids: (0..names.len()).map(|_| rng.uuid()).collect(),
            created: (0..names.len())
                .map(|_| {
                    between(
                        &mut rng,
                        user_created,
                        (user_created + Duration::days(30)).min(now),
                    )
                })
                .collect(),
            uses: vec![0; names.len()],
        };
        let ncolls = if demo {
            3
        } else {
            b.count(&mut rng, (1, 3), (2, 5))
        };
        for k in 0..ncolls {
            let public = if demo { k < 2 } else { rng.chance(0.85) };
            collection(b, &mut rng, u, public, demo, &mut tags);
        }
        for (i, &name) in names.iter().enumerate() {
            let created = tags.created[i];
            b.rows.tags.push(hs::tags::ActiveModel {
                id: Set(tags.ids[i]),
                user_id: Set(b.users[u].id),
                name: Set(TAGS[name].to_owned()),
                color: Set(Some(rng.pick(COLORS).to_string())),
                usage_count: Set(tags.uses[i]),
                created_at: Set(Some(created)),
                updated_at: Set(Some(created)),
            });
        }
    }
}

/// One collection of user `u` with its sub-collections and bobbleheads, totals included.
fn collection(b: &mut Batch, rng: &mut Rng, u: usize, public: bool, demo: bool, tags: &mut Tags) {
    let now = epoch();
    let theme: &Theme = rng.pick(THEMES);
    let owner = b.users[u].id;
    let user_created = b.users[u].created;
    let created = between(rng, user_created, user_created + (now - user_created) / 2);
    let id = rng.uuid();
    let name = rng.pick(theme.collections).to_string();
    let coll = b.colls.len();
    b.colls.push(Coll {
        id,
        owner: u,
        name: name.clone(),
        public,
        created,
    });
    b.activity(
        rng,
        u,
        "collection_created",
        Some(("collection", id)),
        Some(json!({ "name": name })),
        created,
    );

    let nsubs = if demo || rng.chance(0.55) {
        rng.range(1, 4) as usize
    } else {
        0
    };
    let first_sub = b.subs.len();
    let mut counts = vec![0i32; nsubs];
    let sub_names = distinct(rng, SUB_NAMES.len(), nsubs);
    for _ in 0..nsubs {
        let sub_created = between(rng, created, (created + Duration::days(14)).min(now));
        b.subs.push(Sub {
            id: rng.uuid(),
            coll,
            public: public && rng.chance(0.9),
            created: sub_created,
        });
    }

    let (mut items, mut value, mut last) = (0i32, Decimal::ZERO, None::<NaiveDateTime>);
    let mut touched = created;
    let nbobbles = if demo {
        5
    } else {
        b.count(rng, (1, 6), (5, 15))
    };
    for k in 0..nbobbles {
        let deleted = !(demo && k == 0) && rng.chance(0.06);
        // A soft-deleted bobblehead leaves its sub-collection, so `item_count` reads the
        // same whether deleted rows are filtered out or not.
        let sub = (!deleted && nsubs > 0 && rng.chance(0.7)).then(|| rng.below(nsubs));
        let floor = sub.map_or(created, |s| b.subs[first_sub + s].created);
        let bcreated = between(rng, floor, now);
        let deleted_at = deleted.then(|| after(rng, bcreated));
        let is_public = public && rng.chance(0.93);
        let status = rng.pick(STATUSES).to_string();
        let wish = status == "wishlist";
        let price = (!wish).then(|| money(rng.range(theme.cents.0, theme.cents.1)));
        let character = *rng.pick(theme.characters);
        let bname = format!("{character} {}", rng.pick(theme.suffixes));
        let maker = *rng.pick(theme.manufacturers);
        let series = *rng.pick(theme.series);
        let year = rng.range(theme.years.0, theme.years.1);
        let condition = rng.pick(CONDITIONS).to_string();
        let bid = rng.uuid();
        if !deleted {
            items += 1;
            value += price.unwrap_or(Decimal::ZERO);
            last = Some(last.map_or(bcreated, |l: NaiveDateTime| l.max(bcreated)));
            if let Some(s) = sub {
                counts[s] += 1;
            }
        }
        touched = touched.max(deleted_at.unwrap_or(bcreated));
        let updated = deleted_at.unwrap_or_else(|| between(rng, bcreated, now));
        let custom = rng.chance(0.5).then(|| {
            json!({
                "box_included": rng.chance(0.6),
                "signed": rng.chance(0.15),
                "edition": if rng.chance(0.4) { Some(format!("{}/{}", rng.range(1, 500), 500 * rng.range(1, 11))) } else { None },
            })
        });
        b.rows.bobbleheads.push(hs::bobbleheads::ActiveModel {
            id: Set(bid),
            user_id: Set(owner),
            collection_id: Set(id),
            sub_collection_id: Set(sub.map(|s| b.subs[first_sub + s].id)),
            name: Set(bname.clone()),
            description: Set(rng.chance(0.8).then(|| {
                format!(
                    "{character} from the {series} line by {maker}, {year}. Condition: {}.",
                    condition.replace('_', " ")
                )
            })),
            category: Set(Some(theme.category.to_owned())),
            character_name: Set(Some(character.to_owned())),
            manufacturer: Set(Some(maker.to_owned())),
            series: Set(Some(series.to_owned())),
            year: Set(Some(year as i32)),
            height: Set(Some(money(rng.range(450, 1_250)))),
            weight: Set(Some(money(rng.range(300, 4_000)))),
            material: Set(Some(rng.pick(theme.materials).to_string())),
            current_condition: Set(Some(condition)),
            purchase_price: Set(price),
            purchase_location: Set((!wish).then(|| rng.pick(PLACES).to_string())),
            acquisition_method: Set((!wish).then(|| rng.pick(METHODS).to_string())),
            acquisition_date: Set((!wish).then(|| bcreated - Duration::days(rng.range(0, 720)))),
            status: Set(Some(status)),
            custom_fields: Set(custom),
            is_public: Set(is_public),
            is_featured: Set(!deleted && is_public && rng.chance(0.05)),
            view_count: Set(0),
            like_count: Set(0),
            comment_count: Set(0),
            is_deleted: Set(deleted),
            deleted_at: Set(deleted_at),
            created_at: Set(Some(bcreated)),
            updated_at: Set(Some(updated)),
        });
        b.bobbles.push(Bobble {
            id: bid,
            owner: u,
            name: bname.clone(),
            visible: is_public && !deleted,
            created: bcreated,
            likes: 0,
            comments: 0,
            views: 0,
        });
        if rng.chance(0.4) {
            b.activity(
                rng,
                u,
                "bobblehead_added",
                Some(("bobblehead", bid)),
                Some(json!({ "collection_id": id })),
                bcreated,
            );
        }

        let nphotos = rng.range(0, 4);
        let primary = rng.chance(0.9);
        for p in 0..nphotos {
            let (w, h) = (rng.range(800, 2_400), rng.range(800, 2_400));
            b.rows
                .bobblehead_photos
                .push(hs::bobblehead_photos::ActiveModel {
                    id: Set(rng.uuid()),
                    bobblehead_id: Set(bid),
                    url: Set(image(rng, "bobbleheads")),
                    alt_text: Set(Some(format!("{bname}, photo {}", p + 1))),
                    caption: Set(rng.chance(0.3).then(|| {
                        rng.pick(&[
                            "Front view",
                            "Original box",
                            "Base detail",
                            "Signature close-up",
                            "On the shelf",
                        ])
                        .to_string()
                    })),
                    sort_order: Set(p as i32),
                    is_primary: Set(p == 0 && primary),
                    width: Set(Some(w as i32)),
                    height: Set(Some(h as i32)),
                    file_size: Set(Some(rng.range(80_000, 2_500_000) as i32)),
                    uploaded_at: Set(Some(between(
                        rng,
                        bcreated,
                        (bcreated + Duration::days(3)).min(now),
                    ))),
                });
        }

        if !deleted && !tags.ids.is_empty() {
            let k = rng.range(0, tags.ids.len().min(3) as i64 + 1) as usize;
            for t in distinct(rng, tags.ids.len(), k) {
                tags.uses[t] += 1;
                let at = bcreated.max(tags.created[t]);
                b.rows
                    .bobblehead_tags
                    .push(hs::bobblehead_tags::ActiveModel {
                        id: Set(rng.uuid()),
                        bobblehead_id: Set(bid),
                        tag_id: Set(tags.ids[t]),
                        created_at: Set(Some(between(rng, at, (at + Duration::hours(2)).min(now)))),
                    });
            }
        }
    }

    for (s, name) in sub_names.into_iter().enumerate() {
        let sub = &b.subs[first_sub + s];
        let (sid, spublic, screated) = (sub.id, sub.public, sub.created);
        b.rows
            .sub_collections
            .push(hs::sub_collections::ActiveModel {
                id: Set(sid),
                collection_id: Set(id),
                name: Set(SUB_NAMES[name].to_owned()),
                description: Set(rng.chance(0.4).then(|| {
                    format!(
                        "{} of my {name_c} collection.",
                        SUB_NAMES[name],
                        name_c = b.colls[coll].name
                    )
                })),
                sort_order: Set(s as i32),
                item_count: Set(counts[s]),
                is_public: Set(spublic),
                cover_image_url: Set(rng.chance(0.3).then(|| image(rng, "sub-collections"))),
                created_at: Set(Some(screated)),
                updated_at: Set(Some(screated)),
            });
    }

    let series = *rng.pick(theme.series);
    let description = match rng.below(4) {
        0 => None,
        1 => Some(format!(
            "Everything {} on my shelves, one wobble at a time.",
            theme.category.to_lowercase()
        )),
        2 => Some(format!(
            "Started after my first {series} pickup and never stopped."
        )),
        _ => Some(format!(
            "{} bobbleheads I've tracked down over the years.",
            theme.category
        )),
    };
    b.rows.collections.push(hs::collections::ActiveModel {
        id: Set(id),
        user_id: Set(owner),
        name: Set(name),
        description: Set(description),
        is_public: Set(public),
        total_items: Set(items),
        total_value: Set(value),
        cover_image_url: Set(rng.chance(0.6).then(|| image(rng, "collections"))),
        last_item_added_at: Set(last),
        created_at: Set(Some(created)),
        updated_at: Set(Some(touched)),
    });
}
