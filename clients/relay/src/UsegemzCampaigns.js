// usegemz: campaigns with their scraping jobs, and a job's live progress.
import { graphql } from "react-relay";

export const campaigns = graphql`
  query UsegemzCampaignsQuery {
    usegemz {
      campaigns(first: 20, orderBy: [CREATED_AT_DESC]) {
        nodes {
          id name status
          scrapingJobs(first: 5) { nodes { id platform status processedResults progress } }
        }
      }
    }
  }
`;

export const progress = graphql`
  subscription UsegemzCampaignsProgressSubscription($id: UUID!) {
    usegemzJobProgress(jobId: $id) { jobId status progress processedResults }
  }
`;
