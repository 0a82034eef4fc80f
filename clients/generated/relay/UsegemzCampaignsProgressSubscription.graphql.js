/**
 * @generated SignedSource<<382e0ea2a7ef58ba910f036d8ec8c6b7>>
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
    "alias": null,
    "args": [
      {
        "kind": "Variable",
        "name": "jobId",
        "variableName": "id"
      }
    ],
    "concreteType": "UsegemzJobProgress",
    "kind": "LinkedField",
    "name": "usegemzJobProgress",
    "plural": false,
    "selections": [
      {
        "alias": null,
        "args": null,
        "kind": "ScalarField",
        "name": "jobId",
        "storageKey": null
      },
      {
        "alias": null,
        "args": null,
        "kind": "ScalarField",
        "name": "status",
        "storageKey": null
      },
      {
        "alias": null,
        "args": null,
        "kind": "ScalarField",
        "name": "progress",
        "storageKey": null
      },
      {
        "alias": null,
        "args": null,
        "kind": "ScalarField",
        "name": "processedResults",
        "storageKey": null
      }
    ],
    "storageKey": null
  }
];
return {
  "fragment": {
    "argumentDefinitions": (v0/*:: as any*/),
    "kind": "Fragment",
    "metadata": null,
    "name": "UsegemzCampaignsProgressSubscription",
    "selections": (v1/*:: as any*/),
    "type": "Subscription",
    "abstractKey": null
  },
  "kind": "Request",
  "operation": {
    "argumentDefinitions": (v0/*:: as any*/),
    "kind": "Operation",
    "name": "UsegemzCampaignsProgressSubscription",
    "selections": (v1/*:: as any*/)
  },
  "params": {
    "cacheID": "36564277d9eb3b32b6897ee82899ff13",
    "id": null,
    "metadata": {},
    "name": "UsegemzCampaignsProgressSubscription",
    "operationKind": "subscription",
    "text": "subscription UsegemzCampaignsProgressSubscription(\n  $id: UUID!\n) {\n  usegemzJobProgress(jobId: $id) {\n    jobId\n    status\n    progress\n    processedResults\n  }\n}\n"
  }
};
})();

node.hash = "b138848b1f2b1b2f4fcc9d400216320b";

export default node;
