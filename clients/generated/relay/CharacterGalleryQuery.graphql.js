/**
 * @generated SignedSource<<7984863fbba38958a309bac6ece769e4>>
 * @lightSyntaxTransform
 */

/* eslint-disable */

'use strict';

var node = (function(){
var v0 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "id",
  "storageKey": null
},
v1 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "name",
  "storageKey": null
},
v2 = [
  {
    "alias": null,
    "args": null,
    "concreteType": "CharacterCreationQuery",
    "kind": "LinkedField",
    "name": "characterCreation",
    "plural": false,
    "selections": [
      {
        "alias": null,
        "args": [
          {
            "kind": "Literal",
            "name": "first",
            "value": 20
          }
        ],
        "concreteType": "CharacterCreationCharacterConnection",
        "kind": "LinkedField",
        "name": "gallery",
        "plural": false,
        "selections": [
          {
            "alias": null,
            "args": null,
            "concreteType": "CharacterCreationCharacter",
            "kind": "LinkedField",
            "name": "nodes",
            "plural": true,
            "selections": [
              (v0/*:: as any*/),
              (v1/*:: as any*/),
              {
                "alias": null,
                "args": null,
                "kind": "ScalarField",
                "name": "tags",
                "storageKey": null
              },
              {
                "alias": null,
                "args": null,
                "kind": "ScalarField",
                "name": "imageUrl",
                "storageKey": null
              },
              {
                "alias": null,
                "args": null,
                "kind": "ScalarField",
                "name": "styleType",
                "storageKey": null
              },
              {
                "alias": null,
                "args": null,
                "concreteType": "CharacterCreationUser",
                "kind": "LinkedField",
                "name": "user",
                "plural": false,
                "selections": [
                  (v0/*:: as any*/),
                  (v1/*:: as any*/)
                ],
                "storageKey": null
              }
            ],
            "storageKey": null
          }
        ],
        "storageKey": "gallery(first:20)"
      }
    ],
    "storageKey": null
  }
];
return {
  "fragment": {
    "argumentDefinitions": [],
    "kind": "Fragment",
    "metadata": null,
    "name": "CharacterGalleryQuery",
    "selections": (v2/*:: as any*/),
    "type": "Query",
    "abstractKey": null
  },
  "kind": "Request",
  "operation": {
    "argumentDefinitions": [],
    "kind": "Operation",
    "name": "CharacterGalleryQuery",
    "selections": (v2/*:: as any*/)
  },
  "params": {
    "cacheID": "c38f46b861e1cc34eca6aff97ebe8e75",
    "id": null,
    "metadata": {},
    "name": "CharacterGalleryQuery",
    "operationKind": "query",
    "text": "query CharacterGalleryQuery {\n  characterCreation {\n    gallery(first: 20) {\n      nodes {\n        id\n        name\n        tags\n        imageUrl\n        styleType\n        user {\n          id\n          name\n        }\n      }\n    }\n  }\n}\n"
  }
};
})();

node.hash = "0e8c17a7054f28d07af3459696e3a4d7";

export default node;
