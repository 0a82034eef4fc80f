/**
 * @generated SignedSource<<13f6976df9c755a6e49ab55c41ccc8ed>>
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
    "args": null,
    "concreteType": "HeadShakersMutation",
    "kind": "LinkedField",
    "name": "headShakers",
    "plural": false,
    "selections": [
      {
        "alias": null,
        "args": [
          {
            "kind": "Variable",
            "name": "targetId",
            "variableName": "id"
          },
          {
            "kind": "Literal",
            "name": "targetType",
            "value": "BOBBLEHEAD"
          }
        ],
        "concreteType": "HeadShakersLike",
        "kind": "LinkedField",
        "name": "like",
        "plural": false,
        "selections": [
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "id",
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "rowId",
            "storageKey": null
          }
        ],
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
    "name": "HeadShakersHomeLikeMutation",
    "selections": (v1/*:: as any*/),
    "type": "Mutation",
    "abstractKey": null
  },
  "kind": "Request",
  "operation": {
    "argumentDefinitions": (v0/*:: as any*/),
    "kind": "Operation",
    "name": "HeadShakersHomeLikeMutation",
    "selections": (v1/*:: as any*/)
  },
  "params": {
    "cacheID": "c74825dd3e842c4de8180647ab8c043c",
    "id": null,
    "metadata": {},
    "name": "HeadShakersHomeLikeMutation",
    "operationKind": "mutation",
    "text": "mutation HeadShakersHomeLikeMutation(\n  $id: UUID!\n) {\n  headShakers {\n    like(targetType: BOBBLEHEAD, targetId: $id) {\n      id\n      rowId\n    }\n  }\n}\n"
  }
};
})();

node.hash = "cd8cba9c928f63fb77c864e2f37243a8";

export default node;
