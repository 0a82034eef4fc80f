//! Follows, comments, likes, views, searches, notifications, featured content and reports.

use std::collections::HashSet;

use chrono::{Duration, NaiveDateTime};
use entity::head_shakers as hs;
use entity::head_shakers::sea_orm_active_enums::{
    CommentTargetType, ContentReportReason, ContentReportStatus, ContentReportTargetType,
    ContentViewsTargetType, FeatureType, FeaturedContentType, FollowType, LikeTargetType,
    NotificationRelatedType as Rel, NotificationType, ResultType,
};
use sea_orm::ActiveValue::Set;
use serde_json::json;
use uuid::Uuid;

use super::words::{AGENTS, COMMENTS, QUERIES, REFERRERS, REPLIES, THEMES};
use super::{Batch, Note, Rng, after, between, epoch, image, ip};

/// Adds every interaction among the chunk's active users.
pub(super) fn build(b: &mut Batch) {
    let active = b.active();
    if active.is_empty() {
        return;
    }
    follows(b, &mut b.rng(3), &active);
    comments(b, &mut b.rng(4), &active);
    likes(b, &mut b.rng(5), &active);
    views(b, &mut b.rng(6), &active);
    searches(b, &mut b.rng(7), &active);
    featured(b, &mut b.rng(8), &active);
    reports(b, &mut b.rng(9), &active);
    let mut rng = b.rng(10);
    for &u in &active {
        if rng.chance(0.5) {
            let at = between(
                &mut rng,
                b.users[u].created,
                b.users[u].created + Duration::hours(1),
            );
            let notice = Notice {
                kind: NotificationType::System,
                title: "Welcome to Head Shakers!".to_owned(),
                message: Some(
                    "Start your first collection and add a bobblehead or two.".to_owned(),
                ),
                related: None,
                from: None,
                url: "/collections/new".to_owned(),
            };
            notify(b, &mut rng, u, notice, at);
        }
    }
}

/// A notification about to be written.
struct Notice {
    kind: NotificationType,
    title: String,
    message: Option<String>,
    related: Option<(Rel, Uuid)>,
    from: Option<usize>,
    url: String,
}

/// Notifies user `to`.
fn notify(b: &mut Batch, rng: &mut Rng, to: usize, n: Notice, at: NaiveDateTime) {
    let read = rng.chance(0.6);
    let (related_type, related_id) = match n.related {
        Some((t, id)) => (Some(t), Some(id)),
        None => (None, None),
    };
    b.rows.notifications.push(hs::notifications::ActiveModel {
        id: Set(rng.uuid()),
        user_id: Set(b.users[to].id),
        r#type: Set(n.kind),
        title: Set(n.title),
        message: Set(n.message),
        related_type: Set(related_type),
        related_id: Set(related_id),
        related_user_id: Set(n.from.map(|f| b.users[f].id)),
        action_url: Set(Some(n.url)),
        is_read: Set(read),
        is_email_sent: Set(rng.chance(0.25)),
        read_at: Set(read.then(|| after(rng, at))),
        created_at: Set(Some(at)),
    });
}

/// Visible bobbleheads and public collections and sub-collections.
fn pools(b: &Batch) -> (Vec<usize>, Vec<usize>, Vec<usize>) {
    let bobbles = (0..b.bobbles.len())
        .filter(|&i| b.bobbles[i].visible)
        .collect();
    let colls = (0..b.colls.len()).filter(|&c| b.colls[c].public).collect();
    let subs = (0..b.subs.len())
        .filter(|&s| b.subs[s].public && b.colls[b.subs[s].coll].public)
        .collect();
    (bobbles, colls, subs)
}

/// User follows (no target) and collection follows (target = collection, following = owner).
fn follows(b: &mut Batch, rng: &mut Rng, active: &[usize]) {
    let (_, colls, _) = pools(b);
    let mut seen = HashSet::new();
    for &u in active {
        let push = |b: &mut Batch, rng: &mut Rng, v: usize, target: Option<Uuid>, at| {
            b.rows.follows.push(hs::follows::ActiveModel {
                id: Set(rng.uuid()),
                follower_id: Set(b.users[u].id),
                following_id: Set(b.users[v].id),
                follow_type: Set(if target.is_some() {
                    FollowType::Collection
                } else {
                    FollowType::User
                }),
                target_id: Set(target),
                created_at: Set(Some(at)),
                updated_at: Set(Some(at)),
            });
        };
        let n = if b.first + u == 0 { 5 } else { rng.range(0, 6) };
        for _ in 0..n {
            let v = active[rng.below(active.len())];
            if v == u || b.blocked(u, v) || !seen.insert((u, v, usize::MAX)) {
                continue;
            }
            let at = after(rng, b.users[u].created.max(b.users[v].created));
            push(b, rng, v, None, at);
            if rng.chance(0.6) {
                let notice = Notice {
                    kind: NotificationType::Follow,
                    title: format!("{} started following you", b.users[u].display),
                    message: None,
                    related: Some((Rel::User, b.users[u].id)),
                    from: Some(u),
                    url: format!("/users/{}", b.users[u].username),
                };
                notify(b, rng, v, notice, at);
            }
            if rng.chance(0.3) {
                let target = b.users[v].id;
                b.activity(rng, u, "user_followed", Some(("user", target)), None, at);
            }
        }
        for _ in 0..rng.range(0, 3) {
            if colls.is_empty() {
                break;
            }
            let c = colls[rng.below(colls.len())];
            let owner = b.colls[c].owner;
            if owner == u || b.blocked(u, owner) || !seen.insert((u, owner, c)) {
                continue;
            }
            let cid = b.colls[c].id;
            let at = after(rng, b.users[u].created.max(b.colls[c].created));
            push(b, rng, owner, Some(cid), at);
            if rng.chance(0.5) {
                let notice = Notice {
                    kind: NotificationType::Follow,
                    title: format!("{} followed your collection", b.users[u].display),
                    message: Some(b.colls[c].name.clone()),
                    related: Some((Rel::Collection, cid)),
                    from: Some(u),
                    url: format!("/collections/{cid}"),
                };
                notify(b, rng, owner, notice, at);
            }
            if rng.chance(0.3) {
                let notice = Notice {
                    kind: NotificationType::FollowingUpdate,
                    title: format!("New activity in {}", b.colls[c].name),
                    message: Some(format!(
                        "{} updated a collection you follow.",
                        b.users[owner].display
                    )),
                    related: Some((Rel::Collection, cid)),
                    from: Some(owner),
                    url: format!("/collections/{cid}"),
                };
                let at = after(rng, at);
                notify(b, rng, u, notice, at);
            }
        }
    }
}

/// Writes one comment and tallies it on its bobblehead.
#[allow(clippy::too_many_arguments)]
fn comment(
    b: &mut Batch,
    rng: &mut Rng,
    u: usize,
    target: usize,
    on_bobble: bool,
    parent: Option<Uuid>,
    created: NaiveDateTime,
    deleted: bool,
) -> Uuid {
    let id = rng.uuid();
    let edited_at = (!deleted && rng.chance(0.1)).then(|| after(rng, created));
    let deleted_at = deleted.then(|| after(rng, created));
    let (target_type, target_id) = if on_bobble {
        b.bobbles[target].comments += 1;
        (CommentTargetType::Bobblehead, b.bobbles[target].id)
    } else {
        (CommentTargetType::Collection, b.colls[target].id)
    };
    let text = if parent.is_some() {
        rng.pick(REPLIES)
    } else {
        rng.pick(COMMENTS)
    };
    b.rows.comments.push(hs::comments::ActiveModel {
        id: Set(id),
        user_id: Set(b.users[u].id),
        target_type: Set(target_type),
        target_id: Set(target_id),
        parent_comment_id: Set(parent),
        content: Set((*text).to_owned()),
        like_count: Set(0),
        is_edited: Set(edited_at.is_some()),
        is_deleted: Set(deleted),
        // Demo comments predate their owners' moderation choices: all approved.
        is_approved: Set(true),
        edited_at: Set(edited_at),
        deleted_at: Set(deleted_at),
        created_at: Set(Some(created)),
        updated_at: Set(Some(deleted_at.or(edited_at).unwrap_or(created))),
    });
    b.notes.push(Note {
        id,
        owner: u,
        target,
        on_bobble,
        deleted,
        created,
        likes: 0,
    });
    if rng.chance(0.3) {
        b.activity(
            rng,
            u,
            "comment_posted",
            Some(("comment", id)),
            None,
            created,
        );
    }
    id
}

/// Top-level comments on others' visible bobbleheads and public collections, then replies on
/// the same target. Only comments on collections are ever soft-deleted.
fn comments(b: &mut Batch, rng: &mut Rng, active: &[usize]) {
    let (bobbles, colls, _) = pools(b);
    for &u in active {
        for _ in 0..b.count(rng, (0, 5), (32, 53)) {
            let on_bobble = !bobbles.is_empty() && (colls.is_empty() || rng.chance(0.65));
            let (target, owner, since, name) = if on_bobble {
                let i = bobbles[rng.below(bobbles.len())];
                (
                    i,
                    b.bobbles[i].owner,
                    b.bobbles[i].created,
                    b.bobbles[i].name.clone(),
                )
            } else if !colls.is_empty() {
                let c = colls[rng.below(colls.len())];
                (
                    c,
                    b.colls[c].owner,
                    b.colls[c].created,
                    b.colls[c].name.clone(),
                )
            } else {
                break;
            };
            if owner == u || b.users[owner].no_comments || b.blocked(u, owner) {
                continue;
            }
            let created = after(rng, b.users[u].created.max(since));
            let deleted = !on_bobble && rng.chance(0.3);
            let id = comment(b, rng, u, target, on_bobble, None, created, deleted);
            if rng.chance(0.6) {
                let notice = Notice {
                    kind: NotificationType::Comment,
                    title: format!("{} commented on {name}", b.users[u].display),
                    message: None,
                    related: Some((Rel::Comment, id)),
                    from: Some(u),
                    url: format!("/comments/{id}"),
                };
                notify(b, rng, owner, notice, created);
            }
        }
    }
    for p in 0..b.notes.len() {
        if !rng.chance(0.35) {
            continue;
        }
        for _ in 0..rng.range(1, 3) {
            let r = active[rng.below(active.len())];
            let (pid, powner, target, on_bobble, pcreated) = {
                let n = &b.notes[p];
                (n.id, n.owner, n.target, n.on_bobble, n.created)
            };
            if r == powner || b.blocked(r, powner) {
                continue;
            }
            let created = after(rng, pcreated.max(b.users[r].created));
            let deleted = !on_bobble && rng.chance(0.2);
            let id = comment(b, rng, r, target, on_bobble, Some(pid), created, deleted);
            if rng.chance(0.6) {
                let notice = Notice {
                    kind: NotificationType::Comment,
                    title: format!("{} replied to your comment", b.users[r].display),
                    message: None,
                    related: Some((Rel::Comment, id)),
                    from: Some(r),
                    url: format!("/comments/{id}"),
                };
                notify(b, rng, powner, notice, created);
            }
        }
    }
}

/// Likes on others' visible bobbleheads, public collections and live comments, unique per
/// user and target.
fn likes(b: &mut Batch, rng: &mut Rng, active: &[usize]) {
    let (bobbles, colls, _) = pools(b);
    let notes: Vec<usize> = (0..b.notes.len())
        .filter(|&n| !b.notes[n].deleted)
        .collect();
    let mut seen = HashSet::new();
    for &u in active {
        for kind in 0..3u8 {
            let (pool, tries) = match kind {
                0 => (&bobbles, b.count(rng, (0, 8), (50, 111))),
                1 => (&colls, b.count(rng, (0, 3), (5, 21))),
                _ => (&notes, b.count(rng, (0, 3), (10, 41))),
            };
            for _ in 0..tries {
                if pool.is_empty() {
                    break;
                }
                let t = pool[rng.below(pool.len())];
                let (id, owner, since, target_type, rel, what) = match kind {
                    0 => {
                        let x = &b.bobbles[t];
                        (
                            x.id,
                            x.owner,
                            x.created,
                            LikeTargetType::Bobblehead,
                            Rel::Bobblehead,
                            x.name.clone(),
                        )
                    }
                    1 => {
                        let x = &b.colls[t];
                        (
                            x.id,
                            x.owner,
                            x.created,
                            LikeTargetType::Collection,
                            Rel::Collection,
                            x.name.clone(),
                        )
                    }
                    _ => {
                        let x = &b.notes[t];
                        (
                            x.id,
                            x.owner,
                            x.created,
                            LikeTargetType::Comment,
                            Rel::Comment,
                            "your comment".to_owned(),
                        )
                    }
                };
                if owner == u || b.blocked(u, owner) || !seen.insert((u, kind, t)) {
                    continue;
                }
                match kind {
                    0 => b.bobbles[t].likes += 1,
                    1 => {}
                    _ => b.notes[t].likes += 1,
                }
                let at = after(rng, b.users[u].created.max(since));
                b.rows.likes.push(hs::likes::ActiveModel {
                    id: Set(rng.uuid()),
                    user_id: Set(b.users[u].id),
                    target_type: Set(target_type),
                    target_id: Set(id),
                    created_at: Set(Some(at)),
                    updated_at: Set(Some(at)),
                });
                if rng.chance(0.35) {
                    let notice = Notice {
                        kind: NotificationType::Like,
                        title: format!("{} liked {what}", b.users[u].display),
                        message: None,
                        related: Some((rel, id)),
                        from: Some(u),
                        url: format!("/likes/{id}"),
                    };
                    notify(b, rng, owner, notice, at);
                }
                if kind == 0 && rng.chance(0.2) {
                    b.activity(
                        rng,
                        u,
                        "bobblehead_liked",
                        Some(("bobblehead", id)),
                        None,
                        at,
                    );
                }
            }
        }
    }
}

/// One content view, by an active user or anonymous.
fn view(
    b: &mut Batch,
    rng: &mut Rng,
    active: &[usize],
    kind: ContentViewsTargetType,
    target: Uuid,
    since: NaiveDateTime,
) {
    let viewer = (!rng.chance(0.3)).then(|| active[rng.below(active.len())]);
    let floor = viewer.map_or(since, |v| since.max(b.users[v].created));
    let agent = rng.below(AGENTS.len());
    b.rows.content_views.push(hs::content_views::ActiveModel {
        id: Set(rng.uuid()),
        viewer_id: Set(viewer.map(|v| b.users[v].id)),
        target_type: Set(kind),
        target_id: Set(target),
        ip_address: Set(Some(ip(rng))),
        user_agent: Set(Some(AGENTS[agent].to_owned())),
        referrer_url: Set(rng.pick(REFERRERS).map(str::to_owned)),
        view_duration: Set(Some(rng.range(3, 600) as i32)),
        viewed_at: Set(Some(after(rng, floor))),
    });
}

/// Views of visible bobbleheads (tallied), public collections and sub-collections and profiles.
fn views(b: &mut Batch, rng: &mut Rng, active: &[usize]) {
    let (bobbles, colls, subs) = pools(b);
    for i in bobbles {
        for _ in 0..rng.range(0, 5) {
            let (id, since) = (b.bobbles[i].id, b.bobbles[i].created);
            view(
                b,
                rng,
                active,
                ContentViewsTargetType::Bobblehead,
                id,
                since,
            );
            b.bobbles[i].views += 1;
        }
    }
    for c in colls {
        for _ in 0..rng.range(0, 4) {
            let (id, since) = (b.colls[c].id, b.colls[c].created);
            view(
                b,
                rng,
                active,
                ContentViewsTargetType::Collection,
                id,
                since,
            );
        }
    }
    for s in subs {
        for _ in 0..rng.range(0, 3) {
            let (id, since) = (b.subs[s].id, b.subs[s].created);
            view(
                b,
                rng,
                active,
                ContentViewsTargetType::SubCollection,
                id,
                since,
            );
        }
    }
    for &u in active {
        for _ in 0..rng.range(0, 3) {
            let (id, since) = (b.users[u].id, b.users[u].created);
            view(b, rng, active, ContentViewsTargetType::Profile, id, since);
        }
    }
}

/// Searches by users and anonymous visitors, some with a clicked result.
fn searches(b: &mut Batch, rng: &mut Rng, active: &[usize]) {
    let (bobbles, colls, _) = pools(b);
    let anonymous = (active.len() / 5).max(1);
    let searchers = active
        .iter()
        .flat_map(|&u| std::iter::repeat_n(Some(u), rng.range(0, 3) as usize))
        .chain(std::iter::repeat_n(None, anonymous))
        .collect::<Vec<_>>();
    for user in searchers {
        let click = match rng.below(5) {
            0 | 1 if !bobbles.is_empty() => Some((
                ResultType::Bobblehead,
                b.bobbles[bobbles[rng.below(bobbles.len())]].id,
            )),
            2 if !colls.is_empty() => Some((
                ResultType::Collection,
                b.colls[colls[rng.below(colls.len())]].id,
            )),
            3 => Some((
                ResultType::User,
                b.users[active[rng.below(active.len())]].id,
            )),
            _ => None,
        };
        let floor = user.map_or(epoch() - Duration::days(180), |u| b.users[u].created);
        let filters = rng.chance(0.4).then(|| {
            json!({
                "category": rng.pick(THEMES).category,
                "sort": rng.pick(&["relevance", "newest", "most_liked", "price_desc"]),
            })
        });
        let (clicked_type, clicked_id) = match click {
            Some((t, id)) => (Some(t), Some(id)),
            None => (None, None),
        };
        b.rows.search_queries.push(hs::search_queries::ActiveModel {
            id: Set(rng.uuid()),
            user_id: Set(user.map(|u| b.users[u].id)),
            session_id: Set(rng.chance(0.8).then(|| rng.uuid())),
            query: Set(rng.pick(QUERIES).to_string()),
            filters: Set(filters),
            result_count: Set(Some(rng.range(i64::from(clicked_id.is_some()), 180) as i32)),
            clicked_result_id: Set(clicked_id),
            clicked_result_type: Set(clicked_type),
            ip_address: Set(Some(ip(rng))),
            searched_at: Set(Some(after(rng, floor))),
        });
    }
}

/// Featured content curated by the demo user.
fn featured(b: &mut Batch, rng: &mut Rng, active: &[usize]) {
    let (bobbles, colls, subs) = pools(b);
    let now = epoch();
    for order in 0..(active.len() / 40).max(3) {
        let (kind, id, since, title) = match rng.below(4) {
            0 if !bobbles.is_empty() => {
                let x = &b.bobbles[bobbles[rng.below(bobbles.len())]];
                (
                    FeaturedContentType::Bobblehead,
                    x.id,
                    x.created,
                    format!("Spotlight: {}", x.name),
                )
            }
            1 if !colls.is_empty() => {
                let x = &b.colls[colls[rng.below(colls.len())]];
                (
                    FeaturedContentType::Collection,
                    x.id,
                    x.created,
                    format!("Collection of the Week: {}", x.name),
                )
            }
            2 if !subs.is_empty() => {
                let x = &b.subs[subs[rng.below(subs.len())]];
                let name = &b.colls[x.coll].name;
                (
                    FeaturedContentType::SubCollection,
                    x.id,
                    x.created,
                    format!("Shelf Spotlight from {name}"),
                )
            }
            _ => {
                let x = &b.users[active[rng.below(active.len())]];
                (
                    FeaturedContentType::User,
                    x.id,
                    x.created,
                    format!("Collector Profile: {}", x.display),
                )
            }
        };
        let feature = match kind {
            FeaturedContentType::Collection => FeatureType::CollectionOfWeek,
            _ => rng
                .pick(&[
                    FeatureType::HomepageBanner,
                    FeatureType::EditorPick,
                    FeatureType::Trending,
                ])
                .clone(),
        };
        let start = between(rng, since.max(now - Duration::days(90)), now);
        let end = rng
            .chance(0.7)
            .then(|| start + Duration::days(rng.range(7, 45)));
        let created = start - Duration::days(rng.range(1, 5));
        b.rows
            .featured_content
            .push(hs::featured_content::ActiveModel {
                id: Set(rng.uuid()),
                content_type: Set(kind),
                content_id: Set(id),
                feature_type: Set(feature),
                title: Set(Some(title)),
                description: Set(Some("Hand-picked by the Head Shakers team.".to_owned())),
                image_url: Set(Some(image(rng, "featured"))),
                curator_id: Set(Some(b.demo)),
                sort_order: Set(order as i32),
                is_active: Set(end.is_none_or(|e| e > now) && rng.chance(0.9)),
                start_date: Set(Some(start)),
                end_date: Set(end),
                created_at: Set(Some(created)),
                updated_at: Set(Some(created.max(between(rng, created, now)))),
            });
    }
}

/// Reports on content of other users, moderated by the demo user once reviewed.
fn reports(b: &mut Batch, rng: &mut Rng, active: &[usize]) {
    let (bobbles, colls, subs) = pools(b);
    for _ in 0..(active.len() / 6).max(2) {
        let reporter = active[rng.below(active.len())];
        let (kind, id, owner, since) = match rng.below(5) {
            0 if !bobbles.is_empty() => {
                let x = &b.bobbles[bobbles[rng.below(bobbles.len())]];
                (
                    ContentReportTargetType::Bobblehead,
                    x.id,
                    x.owner,
                    x.created,
                )
            }
            1 if !colls.is_empty() => {
                let x = &b.colls[colls[rng.below(colls.len())]];
                (
                    ContentReportTargetType::Collection,
                    x.id,
                    x.owner,
                    x.created,
                )
            }
            2 if !subs.is_empty() => {
                let x = &b.subs[subs[rng.below(subs.len())]];
                (
                    ContentReportTargetType::SubCollection,
                    x.id,
                    b.colls[x.coll].owner,
                    x.created,
                )
            }
            3 if !b.notes.is_empty() => {
                let x = &b.notes[rng.below(b.notes.len())];
                (ContentReportTargetType::Comment, x.id, x.owner, x.created)
            }
            _ => {
                let u = active[rng.below(active.len())];
                (
                    ContentReportTargetType::User,
                    b.users[u].id,
                    u,
                    b.users[u].created,
                )
            }
        };
        if owner == reporter {
            continue;
        }
        let reason = rng
            .pick(&[
                ContentReportReason::Spam,
                ContentReportReason::Spam,
                ContentReportReason::Harassment,
                ContentReportReason::InappropriateContent,
                ContentReportReason::CopyrightViolation,
                ContentReportReason::Misinformation,
                ContentReportReason::Other,
            ])
            .clone();
        let status = rng
            .pick(&[
                ContentReportStatus::Pending,
                ContentReportStatus::Pending,
                ContentReportStatus::Reviewed,
                ContentReportStatus::Resolved,
                ContentReportStatus::Dismissed,
            ])
            .clone();
        let created = after(rng, since.max(b.users[reporter].created));
        let handled = status != ContentReportStatus::Pending;
        let closed = matches!(
            status,
            ContentReportStatus::Resolved | ContentReportStatus::Dismissed
        );
        let resolved_at = closed.then(|| after(rng, created));
        let updated = resolved_at.unwrap_or_else(|| {
            if handled {
                after(rng, created)
            } else {
                created
            }
        });
        b.rows
            .content_reports
            .push(hs::content_reports::ActiveModel {
                id: Set(rng.uuid()),
                reporter_id: Set(Some(b.users[reporter].id)),
                target_type: Set(kind),
                target_id: Set(id),
                reason: Set(reason),
                description: Set(rng.chance(0.7).then(|| {
                    rng.pick(&[
                        "Listing photos look copied from an auction site.",
                        "Posting the same trade offer on every item.",
                        "Rude replies in the comments.",
                        "The year and manufacturer are wrong on purpose.",
                        "Looks like a counterfeit being passed off as original.",
                    ])
                    .to_string()
                })),
                moderator_id: Set(handled.then_some(b.demo)),
                moderator_notes: Set(handled.then(|| {
                    match status {
                        ContentReportStatus::Resolved => {
                            "Confirmed; content edited and user warned."
                        }
                        ContentReportStatus::Dismissed => "No violation found.",
                        _ => "Looked into it; waiting on the owner's reply.",
                    }
                    .to_owned()
                })),
                status: Set(Some(status)),
                resolved_at: Set(resolved_at),
                created_at: Set(Some(created)),
                updated_at: Set(Some(updated)),
            });
    }
}
