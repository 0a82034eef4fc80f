//! Indexes for the campaigns screen's default order (newest first), read off its plan on
//! PostgreSQL: `(user_id, created_at DESC, id)` for a user's own campaigns and
//! `(created_at DESC, id)` for an admin's view of every campaign, each matching the keyset
//! order `created_at DESC NULLS FIRST, id ASC` the gateway issues, so a page comes off the index
//! instead of sorting every campaign.

use crate::common::Indexes;

/// Adds the campaign order indexes.
pub const MIGRATION: Indexes = Indexes {
    name: "m20261207_000005_campaign_order_indexes",
    indexes: &[
        (
            "idx_campaigns_user_id_created_at_desc_id",
            "campaigns",
            "\"user_id\", \"created_at\" DESC, \"id\"",
        ),
        (
            "idx_campaigns_created_at_desc_id",
            "campaigns",
            "\"created_at\" DESC, \"id\"",
        ),
    ],
};
