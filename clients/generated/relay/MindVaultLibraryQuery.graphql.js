/**
 * @generated SignedSource<<55af138dea9fd4e63867cf0cc52136e2>>
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
v1 = [
  {
    "alias": null,
    "args": null,
    "concreteType": "MindVaultQuery",
    "kind": "LinkedField",
    "name": "mindVault",
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
        "concreteType": "MindVaultVideoSummaryConnection",
        "kind": "LinkedField",
        "name": "summaries",
        "plural": false,
        "selections": [
          {
            "alias": null,
            "args": null,
            "concreteType": "MindVaultVideoSummary",
            "kind": "LinkedField",
            "name": "nodes",
            "plural": true,
            "selections": [
              (v0/*:: as any*/),
              {
                "alias": null,
                "args": null,
                "kind": "ScalarField",
                "name": "title",
                "storageKey": null
              },
              {
                "alias": null,
                "args": null,
                "kind": "ScalarField",
                "name": "thumbnailUrl",
                "storageKey": null
              },
              {
                "alias": null,
                "args": null,
                "kind": "ScalarField",
                "name": "processingStatus",
                "storageKey": null
              },
              {
                "alias": null,
                "args": [
                  {
                    "kind": "Literal",
                    "name": "first",
                    "value": 5
                  }
                ],
                "concreteType": "MindVaultVideoSummaryTagConnection",
                "kind": "LinkedField",
                "name": "videoSummaryTags",
                "plural": false,
                "selections": [
                  {
                    "alias": null,
                    "args": null,
                    "concreteType": "MindVaultVideoSummaryTag",
                    "kind": "LinkedField",
                    "name": "nodes",
                    "plural": true,
                    "selections": [
                      (v0/*:: as any*/),
                      {
                        "alias": null,
                        "args": null,
                        "concreteType": "MindVaultTag",
                        "kind": "LinkedField",
                        "name": "tag",
                        "plural": false,
                        "selections": [
                          (v0/*:: as any*/),
                          {
                            "alias": null,
                            "args": null,
                            "kind": "ScalarField",
                            "name": "name",
                            "storageKey": null
                          }
                        ],
                        "storageKey": null
                      }
                    ],
                    "storageKey": null
                  }
                ],
                "storageKey": "videoSummaryTags(first:5)"
              }
            ],
            "storageKey": null
          }
        ],
        "storageKey": "summaries(first:20)"
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
    "name": "MindVaultLibraryQuery",
    "selections": (v1/*:: as any*/),
    "type": "Query",
    "abstractKey": null
  },
  "kind": "Request",
  "operation": {
    "argumentDefinitions": [],
    "kind": "Operation",
    "name": "MindVaultLibraryQuery",
    "selections": (v1/*:: as any*/)
  },
  "params": {
    "cacheID": "22a447007779f1067f46db508edbc2d6",
    "id": null,
    "metadata": {},
    "name": "MindVaultLibraryQuery",
    "operationKind": "query",
    "text": "query MindVaultLibraryQuery {\n  mindVault {\n    summaries(first: 20) {\n      nodes {\n        id\n        title\n        thumbnailUrl\n        processingStatus\n        videoSummaryTags(first: 5) {\n          nodes {\n            id\n            tag {\n              id\n              name\n            }\n          }\n        }\n      }\n    }\n  }\n}\n"
  }
};
})();

node.hash = "4fe8bf4a17ada252ea1cdf1964ed49d3";

export default node;
