// Head Shakers: the home feed, a user's likes with their polymorphic targets, a bobblehead
// page, and liking (Relay naming: operations `<Module><Kind>`, fragments `<Module>_<prop>`).
import { graphql } from "react-relay";

export const feed = graphql`
  query HeadShakersHomeQuery {
    headShakers {
      collections(first: 20, where: { isPublic: { eq: true } }, orderBy: [UPDATED_AT_DESC]) {
        edges { cursor node { ...HeadShakersHome_collection } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`;

export const collection = graphql`
  fragment HeadShakersHome_collection on HeadShakersCollection {
    id name likeCount viewerHasLiked
    owner { id username followerCount viewerFollows }
    bobbleheads(first: 10, orderBy: [CREATED_AT_DESC]) {
      nodes {
        id name likeCount viewerHasLiked
        tagLinks(first: 10) { nodes { id tag { id name color } } }
        comments(first: 3, orderBy: [CREATED_AT_DESC]) {
          nodes { id content createdAt author { id username displayName } }
        }
      }
    }
  }
`;

export const likes = graphql`
  query HeadShakersHomeLikesQuery($user: UUID!) {
    headShakers {
      user(rowId: $user) {
        id
        likes(first: 50, orderBy: [CREATED_AT_DESC]) {
          nodes { id targetType target { ...HeadShakersHome_target } }
        }
      }
    }
  }
`;

export const target = graphql`
  fragment HeadShakersHome_target on HeadShakersLikeTarget {
    __typename
    ... on Node { id }
    ... on HeadShakersBobblehead { name owner { id username } }
    ... on HeadShakersCollection { name owner { id username } }
    ... on HeadShakersComment { content author { id username } }
  }
`;

export const like = graphql`
  mutation HeadShakersHomeLikeMutation($id: UUID!) {
    headShakers { like(targetType: BOBBLEHEAD, targetId: $id) { id rowId } }
  }
`;

export const node = graphql`
  query HeadShakersHomeNodeQuery($id: ID!) {
    node(id: $id) { id ...HeadShakersHome_target @alias(as: "target") }
  }
`;
