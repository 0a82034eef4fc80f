//! Indexes for the default order of lists (newest first by `created_at`, then the key; see
//! the gateway's `order::Ordering::parse`) on the tables that grow, read off their plans on
//! PostgreSQL: each matches the keyset order `<time> DESC NULLS FIRST, id ASC` the gateway
//! issues, so a page (or a parent's window of children) comes off the index instead of a sort.

use crate::common::Indexes;

/// Adds the default-order indexes.
pub const MIGRATION: Indexes = Indexes {
    name: "m20261207_000008_default_order_indexes",
    indexes: &[
        (
            "idx_likes_created_at_desc_id",
            "likes",
            "\"created_at\" DESC, \"id\"",
        ),
        (
            "idx_collections_created_at_desc_id",
            "collections",
            "\"created_at\" DESC, \"id\"",
        ),
        (
            "idx_follows_created_at_desc_id",
            "follows",
            "\"created_at\" DESC, \"id\"",
        ),
        (
            "idx_bobblehead_tags_bobblehead_id_created_at_desc_id",
            "bobblehead_tags",
            "\"bobblehead_id\", \"created_at\" DESC, \"id\"",
        ),
        (
            "idx_content_views_viewed_at_desc_id",
            "content_views",
            "\"viewed_at\" DESC, \"id\"",
        ),
        (
            "idx_comments_created_at_id",
            "comments",
            "\"created_at\", \"id\"",
        ),
    ],
};
