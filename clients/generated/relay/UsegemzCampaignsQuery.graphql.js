/**
 * @generated SignedSource<<4235bf8ff9b6ee1f6d3bb939767099f9>>
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
  "name": "status",
  "storageKey": null
},
v2 = [
  {
    "alias": null,
    "args": null,
    "concreteType": "UsegemzQuery",
    "kind": "LinkedField",
    "name": "usegemz",
    "plural": false,
    "selections": [
      {
        "alias": null,
        "args": [
          {
            "kind": "Literal",
            "name": "first",
            "value": 20
          },
          {
            "kind": "Literal",
            "name": "orderBy",
            "value": [
              "CREATED_AT_DESC"
            ]
          }
        ],
        "concreteType": "UsegemzCampaignConnection",
        "kind": "LinkedField",
        "name": "campaigns",
        "plural": false,
        "selections": [
          {
            "alias": null,
            "args": null,
            "concreteType": "UsegemzCampaign",
            "kind": "LinkedField",
            "name": "nodes",
            "plural": true,
            "selections": [
              (v0/*:: as any*/),
              {
                "alias": null,
                "args": null,
                "kind": "ScalarField",
                "name": "name",
                "storageKey": null
              },
              (v1/*:: as any*/),
              {
                "alias": null,
                "args": [
                  {
                    "kind": "Literal",
                    "name": "first",
                    "value": 5
                  }
                ],
                "concreteType": "UsegemzScrapingJobConnection",
                "kind": "LinkedField",
                "name": "scrapingJobs",
                "plural": false,
                "selections": [
                  {
                    "alias": null,
                    "args": null,
                    "concreteType": "UsegemzScrapingJob",
                    "kind": "LinkedField",
                    "name": "nodes",
                    "plural": true,
                    "selections": [
                      (v0/*:: as any*/),
                      {
                        "alias": null,
                        "args": null,
                        "kind": "ScalarField",
                        "name": "platform",
                        "storageKey": null
                      },
                      (v1/*:: as any*/),
                      {
                        "alias": null,
                        "args": null,
                        "kind": "ScalarField",
                        "name": "processedResults",
                        "storageKey": null
                      },
                      {
                        "alias": null,
                        "args": null,
                        "kind": "ScalarField",
                        "name": "progress",
                        "storageKey": null
                      }
                    ],
                    "storageKey": null
                  }
                ],
                "storageKey": "scrapingJobs(first:5)"
              }
            ],
            "storageKey": null
          }
        ],
        "storageKey": "campaigns(first:20,orderBy:[\"CREATED_AT_DESC\"])"
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
    "name": "UsegemzCampaignsQuery",
    "selections": (v2/*:: as any*/),
    "type": "Query",
    "abstractKey": null
  },
  "kind": "Request",
  "operation": {
    "argumentDefinitions": [],
    "kind": "Operation",
    "name": "UsegemzCampaignsQuery",
    "selections": (v2/*:: as any*/)
  },
  "params": {
    "cacheID": "678de302defd60923622f01dc9bacb89",
    "id": null,
    "metadata": {},
    "name": "UsegemzCampaignsQuery",
    "operationKind": "query",
    "text": "query UsegemzCampaignsQuery {\n  usegemz {\n    campaigns(first: 20, orderBy: [CREATED_AT_DESC]) {\n      nodes {\n        id\n        name\n        status\n        scrapingJobs(first: 5) {\n          nodes {\n            id\n            platform\n            status\n            processedResults\n            progress\n          }\n        }\n      }\n    }\n  }\n}\n"
  }
};
})();

node.hash = "5660659f02f1bfad45c4c9b414fe4eab";

export default node;
