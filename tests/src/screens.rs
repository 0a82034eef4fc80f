//! The screens the benchmark measures: Head Shakers' home feed, a user's latest likes with
//! their polymorphic targets and a point lookup (which the plan test explains too), and one
//! main screen of every other source.

/// 20 public collections → owner → 10 bobbleheads → tag names, 3 latest comments → authors.
pub const HOME_FEED: &str = r#"{ headShakers { collections(first: 20, where: { isPublic: { eq: true } }, orderBy: [UPDATED_AT_DESC]) { nodes {
    name likeCount viewerHasLiked owner { username followerCount viewerFollows }
    bobbleheads(first: 10, orderBy: [CREATED_AT_DESC]) { nodes { name likeCount viewerHasLiked
        tagLinks(first: 10) { nodes { tag { name color } } }
        comments(first: 3, orderBy: [CREATED_AT_DESC]) { nodes { content author { username displayName } } } } } } } } }"#;

/// A user's (`$user`) 50 latest likes with their targets and the targets' owners.
pub const LIKES_FEED: &str = r#"query($user: UUID!) { headShakers { user(rowId: $user) { likes(first: 50, orderBy: [CREATED_AT_DESC]) { nodes { targetType target {
    ... on HeadShakersBobblehead { name owner { username } }
    ... on HeadShakersCollection { name owner { username } }
    ... on HeadShakersComment { content author { username } } } } } } } }"#;

/// One bobblehead (`$id`) with its counters and owner.
pub const LOOKUP: &str = r#"query($id: UUID!) { headShakers { bobblehead(rowId: $id) { name likeCount commentCount owner { username } } } }"#;

/// Likes a bobblehead (`$id`).
pub const LIKE_BOBBLEHEAD: &str = r#"mutation($id: UUID!) { headShakers { like(targetType: BOBBLEHEAD, targetId: $id) { rowId } } }"#;

/// usegemz: the viewer's latest campaigns with their scraping jobs.
pub const CAMPAIGNS: &str = r#"{ usegemz { campaigns(first: 20, orderBy: [CREATED_AT_DESC]) { nodes { name status
    scrapingJobs(first: 5) { nodes { platform status processedResults progress } } } } } }"#;

/// Character Creation: the public gallery with each character's owner.
pub const GALLERY: &str = r#"{ characterCreation { gallery(first: 20) { nodes { name tags imageUrl styleType user { name } } } } }"#;

/// Mind-vault: the viewer's library of summaries with their tags.
pub const LIBRARY: &str = r#"{ mindVault { summaries(first: 20) { nodes { title thumbnailUrl processingStatus
    videoSummaryTags(first: 5) { nodes { tag { name } } } } } } }"#;

/// Deed-O: the viewer's inbox, each group with its members and last message.
pub const INBOX: &str = r#"{ deedO { groups(first: 20) { nodes { name memberUsers { name }
    lastMessage { text timestamp sender { name } } } } } }"#;
