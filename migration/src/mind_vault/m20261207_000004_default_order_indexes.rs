//! Indexes for the default order of lists (newest first by `created_at`, then the key; see
//! the gateway's `order::Ordering::parse`) on the tables that grow, read off their plans on
//! PostgreSQL: each matches the keyset order `<time> DESC NULLS FIRST, id ASC` the gateway
//! issues, so a page (or a parent's window of children) comes off the index instead of a sort.

use crate::common::Indexes;

/// Adds the default-order indexes.
pub const MIGRATION: Indexes = Indexes {
    name: "m20261207_000004_default_order_indexes",
    indexes: &[(
        "idx_video_summary_user_id_created_at_desc_id",
        "video_summary",
        "\"user_id\", \"created_at\" DESC, \"id\"",
    )],
};
