// Deed-O: the viewer's inbox, each group with its members and last message.
import { graphql } from "react-relay";

export const inbox = graphql`
  query DeedOInboxQuery {
    deedO {
      groups(first: 20) {
        nodes {
          id name
          memberUsers { id name }
          lastMessage { id text timestamp sender { id name } }
        }
      }
    }
  }
`;
