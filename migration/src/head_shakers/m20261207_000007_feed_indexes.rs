//! Indexes the screens' orderings need, derived from their plans on PostgreSQL (HS-A21 asks for
//! composite indexes for multi-column queries):
//!
//! - `likes (user_id, created_at DESC, id)`: a user's latest likes (the likes feed) come off the
//!   index in the order the page asks for, so the per-user window stops after the page instead
//!   of sorting every like of the user;
//! - `bobbleheads (collection_id, created_at DESC, id)`: a collection's newest items (the home
//!   feed), likewise.
//!
//! An item's latest comments already have `comments (target_type, target_id, created_at)`.
//! Each matches the keyset order `created_at DESC NULLS FIRST, id ASC` the gateway issues (a
//! descending index column sorts nulls first), so cursor pages read from the index too.

use crate::common::Indexes;

/// Adds the feed indexes.
pub const MIGRATION: Indexes = Indexes {
    name: "m20261207_000007_feed_indexes",
    indexes: &[
        (
            "idx_likes_user_id_created_at_desc_id",
            "likes",
            "\"user_id\", \"created_at\" DESC, \"id\"",
        ),
        (
            "idx_bobbleheads_collection_id_created_at_desc_id",
            "bobbleheads",
            "\"collection_id\", \"created_at\" DESC, \"id\"",
        ),
    ],
};
