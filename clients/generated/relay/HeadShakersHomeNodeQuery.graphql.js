/**
 * @generated SignedSource<<4ab56fe7589a98ba5eb9e064947dc80a>>
 * @lightSyntaxTransform
 */

/* eslint-disable */

'use strict';

var node = (function(){
var v0 = [
  {
    "defaultValue": null,
    "kind": "LocalArgument",
    "name": "id"
  }
],
v1 = [
  {
    "kind": "Variable",
    "name": "id",
    "variableName": "id"
  }
],
v2 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "id",
  "storageKey": null
},
v3 = [
  (v2/*:: as any*/),
  {
    "alias": null,
    "args": null,
    "kind": "ScalarField",
    "name": "username",
    "storageKey": null
  }
],
v4 = [
  {
    "alias": null,
    "args": null,
    "kind": "ScalarField",
    "name": "name",
    "storageKey": null
  },
  {
    "alias": null,
    "args": null,
    "concreteType": "HeadShakersUser",
    "kind": "LinkedField",
    "name": "owner",
    "plural": false,
    "selections": (v3/*:: as any*/),
    "storageKey": null
  }
];
return {
  "fragment": {
    "argumentDefinitions": (v0/*:: as any*/),
    "kind": "Fragment",
    "metadata": null,
    "name": "HeadShakersHomeNodeQuery",
    "selections": [
      {
        "alias": null,
        "args": (v1/*:: as any*/),
        "concreteType": null,
        "kind": "LinkedField",
        "name": "node",
        "plural": false,
        "selections": [
          (v2/*:: as any*/),
          {
            "fragment": {
              "kind": "InlineFragment",
              "selections": [
                {
                  "args": null,
                  "kind": "FragmentSpread",
                  "name": "HeadShakersHome_target"
                }
              ],
              "type": "HeadShakersLikeTarget",
              "abstractKey": "__isHeadShakersLikeTarget"
            },
            "kind": "AliasedInlineFragmentSpread",
            "name": "target"
          }
        ],
        "storageKey": null
      }
    ],
    "type": "Query",
    "abstractKey": null
  },
  "kind": "Request",
  "operation": {
    "argumentDefinitions": (v0/*:: as any*/),
    "kind": "Operation",
    "name": "HeadShakersHomeNodeQuery",
    "selections": [
      {
        "alias": null,
        "args": (v1/*:: as any*/),
        "concreteType": null,
        "kind": "LinkedField",
        "name": "node",
        "plural": false,
        "selections": [
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "__typename",
            "storageKey": null
          },
          (v2/*:: as any*/),
          {
            "kind": "InlineFragment",
            "selections": [
              {
                "kind": "TypeDiscriminator",
                "abstractKey": "__isNode"
              },
              {
                "kind": "InlineFragment",
                "selections": (v4/*:: as any*/),
                "type": "HeadShakersBobblehead",
                "abstractKey": null
              },
              {
                "kind": "InlineFragment",
                "selections": (v4/*:: as any*/),
                "type": "HeadShakersCollection",
                "abstractKey": null
              },
              {
                "kind": "InlineFragment",
                "selections": [
                  {
                    "alias": null,
                    "args": null,
                    "kind": "ScalarField",
                    "name": "content",
                    "storageKey": null
                  },
                  {
                    "alias": null,
                    "args": null,
                    "concreteType": "HeadShakersUser",
                    "kind": "LinkedField",
                    "name": "author",
                    "plural": false,
                    "selections": (v3/*:: as any*/),
                    "storageKey": null
                  }
                ],
                "type": "HeadShakersComment",
                "abstractKey": null
              }
            ],
            "type": "HeadShakersLikeTarget",
            "abstractKey": "__isHeadShakersLikeTarget"
          }
        ],
        "storageKey": null
      }
    ]
  },
  "params": {
    "cacheID": "dd4a1e2bff01a8059646db9a5cd1e49f",
    "id": null,
    "metadata": {},
    "name": "HeadShakersHomeNodeQuery",
    "operationKind": "query",
    "text": "query HeadShakersHomeNodeQuery(\n  $id: ID!\n) {\n  node(id: $id) {\n    __typename\n    id\n    ...HeadShakersHome_target\n  }\n}\n\nfragment HeadShakersHome_target on HeadShakersLikeTarget {\n  __isHeadShakersLikeTarget: __typename\n  __typename\n  ... on Node {\n    __isNode: __typename\n    id\n  }\n  ... on HeadShakersBobblehead {\n    name\n    owner {\n      id\n      username\n    }\n  }\n  ... on HeadShakersCollection {\n    name\n    owner {\n      id\n      username\n    }\n  }\n  ... on HeadShakersComment {\n    content\n    author {\n      id\n      username\n    }\n  }\n}\n"
  }
};
})();

node.hash = "6c02d727adc30d54537baa862cda3283";

export default node;
