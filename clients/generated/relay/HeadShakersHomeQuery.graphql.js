/**
 * @generated SignedSource<<be3d5235c4dcf49b500e514f72f652ea>>
 * @lightSyntaxTransform
 */

/* eslint-disable */

'use strict';

var node = (function(){
var v0 = [
  {
    "kind": "Literal",
    "name": "first",
    "value": 20
  },
  {
    "kind": "Literal",
    "name": "orderBy",
    "value": [
      "UPDATED_AT_DESC"
    ]
  },
  {
    "kind": "Literal",
    "name": "where",
    "value": {
      "isPublic": {
        "eq": true
      }
    }
  }
],
v1 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "cursor",
  "storageKey": null
},
v2 = {
  "alias": null,
  "args": null,
  "concreteType": "PageInfo",
  "kind": "LinkedField",
  "name": "pageInfo",
  "plural": false,
  "selections": [
    {
      "alias": null,
      "args": null,
      "kind": "ScalarField",
      "name": "hasNextPage",
      "storageKey": null
    },
    {
      "alias": null,
      "args": null,
      "kind": "ScalarField",
      "name": "endCursor",
      "storageKey": null
    }
  ],
  "storageKey": null
},
v3 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "id",
  "storageKey": null
},
v4 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "name",
  "storageKey": null
},
v5 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "likeCount",
  "storageKey": null
},
v6 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "viewerHasLiked",
  "storageKey": null
},
v7 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "username",
  "storageKey": null
},
v8 = {
  "kind": "Literal",
  "name": "first",
  "value": 10
},
v9 = {
  "kind": "Literal",
  "name": "orderBy",
  "value": [
    "CREATED_AT_DESC"
  ]
};
return {
  "fragment": {
    "argumentDefinitions": [],
    "kind": "Fragment",
    "metadata": null,
    "name": "HeadShakersHomeQuery",
    "selections": [
      {
        "alias": null,
        "args": null,
        "concreteType": "HeadShakersQuery",
        "kind": "LinkedField",
        "name": "headShakers",
        "plural": false,
        "selections": [
          {
            "alias": null,
            "args": (v0/*:: as any*/),
            "concreteType": "HeadShakersCollectionConnection",
            "kind": "LinkedField",
            "name": "collections",
            "plural": false,
            "selections": [
              {
                "alias": null,
                "args": null,
                "concreteType": "HeadShakersCollectionEdge",
                "kind": "LinkedField",
                "name": "edges",
                "plural": true,
                "selections": [
                  (v1/*:: as any*/),
                  {
                    "alias": null,
                    "args": null,
                    "concreteType": "HeadShakersCollection",
                    "kind": "LinkedField",
                    "name": "node",
                    "plural": false,
                    "selections": [
                      {
                        "args": null,
                        "kind": "FragmentSpread",
                        "name": "HeadShakersHome_collection"
                      }
                    ],
                    "storageKey": null
                  }
                ],
                "storageKey": null
              },
              (v2/*:: as any*/)
            ],
            "storageKey": "collections(first:20,orderBy:[\"UPDATED_AT_DESC\"],where:{\"isPublic\":{\"eq\":true}})"
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
    "argumentDefinitions": [],
    "kind": "Operation",
    "name": "HeadShakersHomeQuery",
    "selections": [
      {
        "alias": null,
        "args": null,
        "concreteType": "HeadShakersQuery",
        "kind": "LinkedField",
        "name": "headShakers",
        "plural": false,
        "selections": [
          {
            "alias": null,
            "args": (v0/*:: as any*/),
            "concreteType": "HeadShakersCollectionConnection",
            "kind": "LinkedField",
            "name": "collections",
            "plural": false,
            "selections": [
              {
                "alias": null,
                "args": null,
                "concreteType": "HeadShakersCollectionEdge",
                "kind": "LinkedField",
                "name": "edges",
                "plural": true,
                "selections": [
                  (v1/*:: as any*/),
                  {
                    "alias": null,
                    "args": null,
                    "concreteType": "HeadShakersCollection",
                    "kind": "LinkedField",
                    "name": "node",
                    "plural": false,
                    "selections": [
                      (v3/*:: as any*/),
                      (v4/*:: as any*/),
                      (v5/*:: as any*/),
                      (v6/*:: as any*/),
                      {
                        "alias": null,
                        "args": null,
                        "concreteType": "HeadShakersUser",
                        "kind": "LinkedField",
                        "name": "owner",
                        "plural": false,
                        "selections": [
                          (v3/*:: as any*/),
                          (v7/*:: as any*/),
                          {
                            "alias": null,
                            "args": null,
                            "kind": "ScalarField",
                            "name": "followerCount",
                            "storageKey": null
                          },
                          {
                            "alias": null,
                            "args": null,
                            "kind": "ScalarField",
                            "name": "viewerFollows",
                            "storageKey": null
                          }
                        ],
                        "storageKey": null
                      },
                      {
                        "alias": null,
                        "args": [
                          (v8/*:: as any*/),
                          (v9/*:: as any*/)
                        ],
                        "concreteType": "HeadShakersBobbleheadConnection",
                        "kind": "LinkedField",
                        "name": "bobbleheads",
                        "plural": false,
                        "selections": [
                          {
                            "alias": null,
                            "args": null,
                            "concreteType": "HeadShakersBobblehead",
                            "kind": "LinkedField",
                            "name": "nodes",
                            "plural": true,
                            "selections": [
                              (v3/*:: as any*/),
                              (v4/*:: as any*/),
                              (v5/*:: as any*/),
                              (v6/*:: as any*/),
                              {
                                "alias": null,
                                "args": [
                                  (v8/*:: as any*/)
                                ],
                                "concreteType": "HeadShakersBobbleheadTagConnection",
                                "kind": "LinkedField",
                                "name": "tagLinks",
                                "plural": false,
                                "selections": [
                                  {
                                    "alias": null,
                                    "args": null,
                                    "concreteType": "HeadShakersBobbleheadTag",
                                    "kind": "LinkedField",
                                    "name": "nodes",
                                    "plural": true,
                                    "selections": [
                                      (v3/*:: as any*/),
                                      {
                                        "alias": null,
                                        "args": null,
                                        "concreteType": "HeadShakersTag",
                                        "kind": "LinkedField",
                                        "name": "tag",
                                        "plural": false,
                                        "selections": [
                                          (v3/*:: as any*/),
                                          (v4/*:: as any*/),
                                          {
                                            "alias": null,
                                            "args": null,
                                            "kind": "ScalarField",
                                            "name": "color",
                                            "storageKey": null
                                          }
                                        ],
                                        "storageKey": null
                                      }
                                    ],
                                    "storageKey": null
                                  }
                                ],
                                "storageKey": "tagLinks(first:10)"
                              },
                              {
                                "alias": null,
                                "args": [
                                  {
                                    "kind": "Literal",
                                    "name": "first",
                                    "value": 3
                                  },
                                  (v9/*:: as any*/)
                                ],
                                "concreteType": "HeadShakersCommentConnection",
                                "kind": "LinkedField",
                                "name": "comments",
                                "plural": false,
                                "selections": [
                                  {
                                    "alias": null,
                                    "args": null,
                                    "concreteType": "HeadShakersComment",
                                    "kind": "LinkedField",
                                    "name": "nodes",
                                    "plural": true,
                                    "selections": [
                                      (v3/*:: as any*/),
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
                                        "kind": "ScalarField",
                                        "name": "createdAt",
                                        "storageKey": null
                                      },
                                      {
                                        "alias": null,
                                        "args": null,
                                        "concreteType": "HeadShakersUser",
                                        "kind": "LinkedField",
                                        "name": "author",
                                        "plural": false,
                                        "selections": [
                                          (v3/*:: as any*/),
                                          (v7/*:: as any*/),
                                          {
                                            "alias": null,
                                            "args": null,
                                            "kind": "ScalarField",
                                            "name": "displayName",
                                            "storageKey": null
                                          }
                                        ],
                                        "storageKey": null
                                      }
                                    ],
                                    "storageKey": null
                                  }
                                ],
                                "storageKey": "comments(first:3,orderBy:[\"CREATED_AT_DESC\"])"
                              }
                            ],
                            "storageKey": null
                          }
                        ],
                        "storageKey": "bobbleheads(first:10,orderBy:[\"CREATED_AT_DESC\"])"
                      }
                    ],
                    "storageKey": null
                  }
                ],
                "storageKey": null
              },
              (v2/*:: as any*/)
            ],
            "storageKey": "collections(first:20,orderBy:[\"UPDATED_AT_DESC\"],where:{\"isPublic\":{\"eq\":true}})"
          }
        ],
        "storageKey": null
      }
    ]
  },
  "params": {
    "cacheID": "46ef813f7e6a45052da539e43bfea085",
    "id": null,
    "metadata": {},
    "name": "HeadShakersHomeQuery",
    "operationKind": "query",
    "text": "query HeadShakersHomeQuery {\n  headShakers {\n    collections(first: 20, where: {isPublic: {eq: true}}, orderBy: [UPDATED_AT_DESC]) {\n      edges {\n        cursor\n        node {\n          ...HeadShakersHome_collection\n          id\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n}\n\nfragment HeadShakersHome_collection on HeadShakersCollection {\n  id\n  name\n  likeCount\n  viewerHasLiked\n  owner {\n    id\n    username\n    followerCount\n    viewerFollows\n  }\n  bobbleheads(first: 10, orderBy: [CREATED_AT_DESC]) {\n    nodes {\n      id\n      name\n      likeCount\n      viewerHasLiked\n      tagLinks(first: 10) {\n        nodes {\n          id\n          tag {\n            id\n            name\n            color\n          }\n        }\n      }\n      comments(first: 3, orderBy: [CREATED_AT_DESC]) {\n        nodes {\n          id\n          content\n          createdAt\n          author {\n            id\n            username\n            displayName\n          }\n        }\n      }\n    }\n  }\n}\n"
  }
};
})();

node.hash = "18c9e6306e081db1ef8f7f46813d372f";

export default node;
