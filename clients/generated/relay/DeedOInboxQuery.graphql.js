/**
 * @generated SignedSource<<d0d2bfb53b9e2f5065d1d4776d1a84da>>
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
  (v0/*:: as any*/),
  (v1/*:: as any*/)
],
v3 = [
  {
    "alias": null,
    "args": null,
    "concreteType": "DeedOQuery",
    "kind": "LinkedField",
    "name": "deedO",
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
        "concreteType": "DeedOGroupConnection",
        "kind": "LinkedField",
        "name": "groups",
        "plural": false,
        "selections": [
          {
            "alias": null,
            "args": null,
            "concreteType": "DeedOGroup",
            "kind": "LinkedField",
            "name": "nodes",
            "plural": true,
            "selections": [
              (v0/*:: as any*/),
              (v1/*:: as any*/),
              {
                "alias": null,
                "args": null,
                "concreteType": "DeedOUser",
                "kind": "LinkedField",
                "name": "memberUsers",
                "plural": true,
                "selections": (v2/*:: as any*/),
                "storageKey": null
              },
              {
                "alias": null,
                "args": null,
                "concreteType": "DeedOMessage",
                "kind": "LinkedField",
                "name": "lastMessage",
                "plural": false,
                "selections": [
                  (v0/*:: as any*/),
                  {
                    "alias": null,
                    "args": null,
                    "kind": "ScalarField",
                    "name": "text",
                    "storageKey": null
                  },
                  {
                    "alias": null,
                    "args": null,
                    "kind": "ScalarField",
                    "name": "timestamp",
                    "storageKey": null
                  },
                  {
                    "alias": null,
                    "args": null,
                    "concreteType": "DeedOUser",
                    "kind": "LinkedField",
                    "name": "sender",
                    "plural": false,
                    "selections": (v2/*:: as any*/),
                    "storageKey": null
                  }
                ],
                "storageKey": null
              }
            ],
            "storageKey": null
          }
        ],
        "storageKey": "groups(first:20)"
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
    "name": "DeedOInboxQuery",
    "selections": (v3/*:: as any*/),
    "type": "Query",
    "abstractKey": null
  },
  "kind": "Request",
  "operation": {
    "argumentDefinitions": [],
    "kind": "Operation",
    "name": "DeedOInboxQuery",
    "selections": (v3/*:: as any*/)
  },
  "params": {
    "cacheID": "e10a9a17644f6a8071e44155c3cc83d1",
    "id": null,
    "metadata": {},
    "name": "DeedOInboxQuery",
    "operationKind": "query",
    "text": "query DeedOInboxQuery {\n  deedO {\n    groups(first: 20) {\n      nodes {\n        id\n        name\n        memberUsers {\n          id\n          name\n        }\n        lastMessage {\n          id\n          text\n          timestamp\n          sender {\n            id\n            name\n          }\n        }\n      }\n    }\n  }\n}\n"
  }
};
})();

node.hash = "1e613485d0f7dea12fce0d8685c72c82";

export default node;
