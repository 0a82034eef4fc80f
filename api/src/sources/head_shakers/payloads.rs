//! Payload types of the Head Shakers mutations that remove rows or change rows in bulk (see
//! [`crate::graphql::payload`]): each names what it removed and answers what it changed.

use async_graphql::dynamic::Type;

use crate::graphql::payload::{Changed, count_field, payload};
use crate::graphql::spec::Source;

const fn changed(field: &'static str, ty: &'static str, doc: &'static str) -> Changed {
    Changed {
        field,
        ty,
        union: false,
        doc,
    }
}

const fn target(ty: &'static str, doc: &'static str) -> Changed {
    Changed {
        field: "target",
        ty,
        union: true,
        doc,
    }
}

/// The payload types.
pub fn types(source: &'static Source) -> Vec<Type> {
    let user = |doc| changed("user", "HeadShakersUser", doc);
    let collection = |doc| changed("collection", "HeadShakersCollection", doc);
    let bobblehead = |doc| changed("bobblehead", "HeadShakersBobblehead", doc);
    let comment_target = || {
        target(
            "HeadShakersCommentTarget",
            "The commented content, with its new `commentCount`.",
        )
    };
    [
        payload(source, "HeadShakersUnlikePayload", "What `unlike` removed and changed.", Some("like"), &[target("HeadShakersLikeTarget", "The content that was liked, with its new `likeCount`.")]),
        payload(source, "HeadShakersDeleteCommentPayload", "What `deleteComment` removed and changed.", Some("comment"), &[comment_target()]),
        payload(source, "HeadShakersRejectCommentPayload", "What `rejectComment` removed and changed.", Some("comment"), &[comment_target()]),
        payload(source, "HeadShakersUnfollowPayload", "What `unfollow` removed and changed.", Some("follow"), &[
            user("The user no longer followed (when `userId` was given), with their new `followerCount`."),
            collection("The collection no longer followed (when `collectionId` was given)."),
        ]),
        payload(source, "HeadShakersUnblockUserPayload", "What `unblockUser` removed and changed.", Some("block"), &[user("The user no longer blocked.")]),
        payload(source, "HeadShakersRecordViewPayload", "What `recordView` changed.", None, &[target("HeadShakersViewTarget", "The viewed content, with its new `viewCount` where it has one.")]),
        payload(source, "HeadShakersMarkAllNotificationsReadPayload", "What `markAllNotificationsRead` changed.", None, &[user("The viewer, whose notifications now read `isRead: true`.")])
            .field(count_field("How many notifications were marked read.")),
        payload(source, "HeadShakersDeleteCollectionPayload", "What `deleteCollection` removed.", Some("collection"), &[user("The collection's owner.")]),
        payload(source, "HeadShakersDeleteSubCollectionPayload", "What `deleteSubCollection` removed and changed.", Some("sub-collection"), &[collection("The collection it belonged to.")]),
        payload(source, "HeadShakersDeleteBobbleheadPayload", "What `deleteBobblehead` removed and changed.", Some("bobblehead"), &[collection("Its collection, with its new `totalItems` and `totalValue`.")]),
        payload(source, "HeadShakersDeletePhotoPayload", "What `deletePhoto` removed and changed.", Some("photo"), &[bobblehead("The bobblehead it showed.")]),
        payload(source, "HeadShakersDeleteTagPayload", "What `deleteTag` removed.", Some("tag"), &[]),
        payload(source, "HeadShakersUntagBobbleheadPayload", "What `untagBobblehead` removed and changed.", Some("tag link"), &[
            bobblehead("The bobblehead the tag was taken off."),
            changed("tag", "HeadShakersTag", "The tag, with its new `usageCount`."),
        ]),
        payload(source, "HeadShakersDeleteFeaturePayload", "What `deleteFeature` removed.", Some("featured entry"), &[]),
    ]
    .into_iter()
    .map(Type::from)
    .collect()
}
