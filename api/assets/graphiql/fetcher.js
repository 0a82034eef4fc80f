// GraphiQL's fetcher for the gateway: queries and mutations through GraphiQL's own HTTP
// fetcher, subscriptions as a graphql-sse event stream (distinct connections mode) on the same
// URL. The stream is a POST with the headers of GraphiQL's headers editor, so a subscription
// runs as the viewer the `Authorization` header names, which a WebSocket fetcher would not
// send (it only has connection parameters).
(function (root) {
  "use strict";

  // The selected operation of the request is a subscription.
  function isSubscription(params, opts) {
    const doc = opts && opts.documentAST;
    if (doc && doc.definitions) {
      const ops = doc.definitions.filter((d) => d.kind === "OperationDefinition");
      const op = params.operationName
        ? ops.find((d) => d.name && d.name.value === params.operationName)
        : ops.length === 1 ? ops[0] : undefined;
      return !!op && op.operation === "subscription";
    }
    return /^\s*subscription\b/.test(String(params.query || "").replace(/#[^\n]*\n/g, ""));
  }

  // The `next` payloads of a text/event-stream response, until `complete` or the end.
  async function* events(response) {
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, "\n");
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let event = "message";
          const data = [];
          for (const line of block.split("\n")) {
            if (line.startsWith(":")) continue;
            const colon = line.indexOf(":");
            const field = colon < 0 ? line : line.slice(0, colon);
            let text = colon < 0 ? "" : line.slice(colon + 1);
            if (text.startsWith(" ")) text = text.slice(1);
            if (field === "event") event = text;
            if (field === "data") data.push(text);
          }
          if (event === "complete") return;
          if (event === "next" && data.length) yield JSON.parse(data.join("\n"));
        }
      }
    } finally {
      // GraphiQL's stop button ends the iteration: close the stream, which ends the operation.
      reader.cancel().catch(() => {});
    }
  }

  async function* subscribe(url, params, opts) {
    const headers = Object.assign(
      { "content-type": "application/json", accept: "text/event-stream" },
      (opts && opts.headers) || {}
    );
    const response = await fetch(url, { method: "POST", headers, body: JSON.stringify(params) });
    const type = response.headers.get("content-type") || "";
    if (!type.startsWith("text/event-stream")) {
      // Refused before it started (bad token, malformed request): a single JSON answer.
      yield await response.json();
      return;
    }
    yield* events(response);
  }

  // The fetcher for `url`, with `http` answering everything but subscriptions.
  root.gatewayFetcher = function (url, http) {
    return (params, opts) => (isSubscription(params, opts) ? subscribe(url, params, opts) : http(params, opts));
  };
})(typeof window !== "undefined" ? window : globalThis);
