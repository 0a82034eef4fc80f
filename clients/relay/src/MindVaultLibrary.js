// Mind-vault: the viewer's library of summaries with their tags.
import { graphql } from "react-relay";

export const library = graphql`
  query MindVaultLibraryQuery {
    mindVault {
      summaries(first: 20) {
        nodes {
          id title thumbnailUrl processingStatus
          videoSummaryTags(first: 5) { nodes { id tag { id name } } }
        }
      }
    }
  }
`;
