// Character Creation: the public gallery with each character's owner.
import { graphql } from "react-relay";

export const gallery = graphql`
  query CharacterGalleryQuery {
    characterCreation {
      gallery(first: 20) { nodes { id name tags imageUrl styleType user { id name } } }
    }
  }
`;
