// Chat client for the WebSocket API behind CloudFront (one hostname: the page and the socket).
// Everything from the wire is shown with textContent, never parsed as HTML.
"use strict";
(() => {
  /** API Gateway closes a socket after 10 minutes without a client message: ping well before. */
  const PING_INTERVAL_MS = 5 * 60 * 1000;
  /** Reconnect backoff: 1 s, doubling, capped at 30 s, with jitter so tabs do not retry together. */
  const BACKOFF_FIRST_MS = 1000;
  const BACKOFF_MAX_MS = 30 * 1000;
  /** API Gateway's frame limit is 32 KB; the page sends one frame per message. */
  const MAX_FRAME_BYTES = 32 * 1024;

  /**
   * The chat protocol version this page speaks (lambdas/contract/auth-subprotocol.ts): in version 2
   * every frame is typed by the server and a peer's text only ever arrives inside a `chat` frame.
   * The token, if any, travels beside it.
   */
  const CHAT_SUBPROTOCOL = "wscf.v2";

  /** Where the socket is: set from settings.json, which the deployment serves beside this page. */
  let endpoint;
  const statusEl = document.getElementById("status");
  const logEl = document.getElementById("log");
  const form = document.getElementById("composer");
  const input = document.getElementById("message");
  const sendButton = document.getElementById("send");
  const feedbackEl = document.getElementById("composer-feedback");
  const roomEl = document.getElementById("room");
  const helpEl = document.getElementById("composer-help");

  let socket;
  let attempt = 0;
  let pingTimer;
  let reconnectTimer;
  let connectionId = "";

  function setStatus(state, text) {
    statusEl.dataset.state = state;
    statusEl.textContent = text;
    sendButton.disabled = state !== "open";
  }

  /** One line of the log; `from` names a peer before its text. */
  function append(text, kind, from) {
    const item = document.createElement("li");
    if (kind) item.className = kind;
    const time = document.createElement("time");
    const now = new Date();
    time.dateTime = now.toISOString();
    time.textContent = now.toLocaleTimeString();
    item.append(time);
    if (from !== undefined) {
      const name = document.createElement("span");
      name.className = "from";
      name.textContent = from;
      item.append(name);
    }
    item.append(document.createTextNode(text));
    logEl.append(item);
    logEl.scrollTop = logEl.scrollHeight;
  }

  /** Pings are routed to $default, whose reply also tells this page its connection id. */
  function ping() {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ action: "ping" }));
  }

  function schedulePing() {
    clearInterval(pingTimer);
    pingTimer = setInterval(ping, PING_INTERVAL_MS);
  }

  /** Who wrote a chat message: its subject (with auth), else "you" or the sender's connection id; "server" for a backend's publish. */
  function senderName(from) {
    if (from.server === true) return "server";
    if (typeof from.subject === "string") return from.subject;
    return from.connectionId === connectionId ? "you" : String(from.connectionId);
  }

  /**
   * Version 2: every frame the server sends is a JSON object with a `type`, and a peer's text only
   * ever arrives inside a `chat` frame, so nothing a peer writes can pass for a server frame. A
   * frame without a `type` is API Gateway's own answer (`{"message": "Too Many Requests", …}`),
   * which no peer can send in this version. Anything else is not trusted, and not shown.
   */
  function receive(text) {
    let frame;
    try {
      frame = JSON.parse(text);
    } catch {
      return;
    }
    if (!frame || typeof frame !== "object" || Array.isArray(frame)) return;
    switch (frame.type) {
      case "chat":
        if (typeof frame.data === "string" && frame.from && typeof frame.from === "object") append(frame.data, "chat", senderName(frame.from));
        return;
      // A room's message: shown only while this page is in that room (an unsubscribe may cross one in flight).
      case "message":
        if (frame.channel === channelOf(room) && typeof frame.data === "string" && frame.from && typeof frame.from === "object") {
          append(frame.data, "chat", senderName(frame.from));
        }
        return;
      case "subscribed":
        if (frame.channel === channelOf(room)) append(`Joined room ${room}.`, "notice");
        return;
      case "unsubscribed":
      case "published":
        return;
      case "usage":
        if (typeof frame.connectionId === "string") {
          connectionId = frame.connectionId;
          setStatus("open", `Connected as ${connectionId}`);
        }
        return;
      case "error":
        append(`Error: ${String(frame.message ?? frame.code ?? "unknown")}`, "error");
        return;
      case "broadcast-accepted":
      case "broadcast-segment":
        trackBroadcast(frame);
        return;
      case undefined:
        if (frame.message === "Internal server error") append("Error: the server failed to handle a message", "error");
        else if (typeof frame.message === "string") append(`Error: ${frame.message}`, "error");
        return;
    }
  }

  /** Large broadcasts are split into segments: their reports, summed per broadcast. */
  const broadcasts = new Map();

  /**
   * One acknowledgement, then a report per segment attempt; the summary once every queued segment
   * has ended. A dead-lettered segment gave up: its connections may not have the message, whatever
   * its counts say, so it is a failure of the broadcast, never a part "delivered to 0". A segment
   * the server could not queue never reports: the acknowledgement says how many were queued.
   */
  function trackBroadcast(report) {
    const tally = broadcasts.get(report.broadcastId) ?? {
      segments: report.segments,
      expected: report.segments,
      ended: new Set(),
      delivered: 0,
      pruned: 0,
      failed: 0,
      lost: 0,
    };
    broadcasts.set(report.broadcastId, tally);
    if (report.type === "broadcast-accepted") {
      // A server older than `queued` queued every part or answered an error instead.
      if (Number.isInteger(report.queued)) tally.expected = report.queued;
      const unqueued = tally.segments - tally.expected;
      const notice =
        unqueued > 0 ? ` ${unqueued} of them could not be queued: their connections will not get it (sending again would repeat it to the others).` : "";
      append(`Sending to ${report.recipients} connections in ${report.segments} parts…${notice}`, unqueued > 0 ? "error" : "notice");
    } else {
      // "retrying": SQS delivers that segment again, and its next report counts instead.
      if (report.status === "retrying" || tally.ended.has(report.segment)) return;
      tally.ended.add(report.segment);
      tally.delivered += report.delivered;
      tally.pruned += report.pruned;
      tally.failed += report.failed;
      if (report.status === "dead-lettered") tally.lost += 1;
    }
    if (tally.ended.size < tally.expected) return;
    broadcasts.delete(report.broadcastId);
    const unqueued = tally.segments - tally.expected;
    const problems = [
      tally.lost > 0 ? `; ${tally.lost} of ${tally.segments} parts failed: their connections may not have got it` : "",
      unqueued > 0 ? `; ${unqueued} of ${tally.segments} parts could not be queued: their connections did not get it` : "",
    ].join("");
    const failed = tally.failed > 0 ? `, ${tally.failed} could not be reached` : "";
    append(`Delivered to ${tally.delivered} connections${failed}${problems}.`, tally.failed > 0 || problems !== "" ? "error" : "notice");
  }

  /**
   * A token handed over in the URL fragment (`#token=…`): a fragment never reaches a server or a
   * log. It is taken out of the address bar (and so out of history and bookmarks) at once.
   */
  function takeToken() {
    const rest = new URLSearchParams(location.hash.slice(1));
    const token = rest.get("token");
    if (token === null) return undefined;
    // The rest of the fragment (a room) stays.
    rest.delete("token");
    const fragment = rest.toString();
    history.replaceState(null, "", location.pathname + location.search + (fragment ? `#${fragment}` : ""));
    return token || undefined;
  }
  const token = takeToken();

  /**
   * A room from the address (`#room=lobby`): this page then subscribes to the channel `room/<name>`
   * and publishes what is typed there; without one it chats with everyone (sendmessage). Names
   * follow the channel grammar (lambdas/contract/channels.ts); anything else is no room.
   */
  const ROOM_NAME = /^[A-Za-z0-9_-]{1,64}$/;
  function roomFromAddress() {
    const name = new URLSearchParams(location.hash.slice(1)).get("room");
    return name !== null && ROOM_NAME.test(name) ? name : undefined;
  }
  function channelOf(name) {
    return name === undefined ? undefined : `room/${name}`;
  }
  let room = roomFromAddress();

  /** Shows which room the page is in, and whom a message reaches. */
  function showRoom() {
    roomEl.textContent = room === undefined ? "Room: everyone" : `Room: ${room}`;
    helpEl.textContent =
      room === undefined ? "Everyone connected sees what you send. Press Enter to send." : `Everyone in room ${room} sees what you send. Press Enter to send.`;
  }
  showRoom();

  function sendAction(action, channel) {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ action, channel }));
  }

  /** The address names another room: leave the old one, join the new one (a new socket joins in its open handler). */
  window.addEventListener("hashchange", () => {
    const next = roomFromAddress();
    if (next === room) return;
    if (room !== undefined) sendAction("unsubscribe", channelOf(room));
    room = next;
    showRoom();
    if (room !== undefined) sendAction("subscribe", channelOf(room));
    else append("Left the room: chatting with everyone.", "notice");
  });

  function connect() {
    clearTimeout(reconnectTimer);
    setStatus("connecting", attempt === 0 ? "Connecting…" : `Reconnecting (attempt ${attempt + 1})…`);
    // Browsers cannot set headers on a WebSocket: the token goes as a second offered subprotocol.
    socket = new WebSocket(endpoint, token ? [CHAT_SUBPROTOCOL, token] : [CHAT_SUBPROTOCOL]);
    socket.addEventListener("open", () => {
      attempt = 0;
      setStatus("open", "Connected");
      append("Connected.", "notice");
      schedulePing();
      ping();
      // Memberships go with the connection: join the room again on every (re)connect.
      if (room !== undefined) sendAction("subscribe", channelOf(room));
    });
    socket.addEventListener("message", (event) => {
      if (typeof event.data === "string") receive(event.data);
    });
    socket.addEventListener("close", (event) => {
      clearInterval(pingTimer);
      connectionId = "";
      if (event.code === 1009) append("The last message was too big for the server.", "error");
      const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** attempt) * (0.75 + Math.random() * 0.5);
      attempt += 1;
      const seconds = Math.max(1, Math.round(delay / 1000));
      append(`Disconnected (code ${event.code}). Reconnecting in ${seconds} s.`, "notice");
      setStatus("waiting", `Offline, retrying in ${seconds} s`);
      reconnectTimer = setTimeout(connect, delay);
    });
  }

  /** Says what is wrong with the message being typed (or clears it); the input keeps every character. */
  function setFeedback(text) {
    feedbackEl.textContent = text;
    if (text) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  }

  function frameOf(text) {
    return room === undefined
      ? JSON.stringify({ action: "sendmessage", data: text })
      : JSON.stringify({ action: "publish", channel: channelOf(room), data: text });
  }

  /** Too long for one frame: says by how much, instead of cutting the text as `maxlength` would. */
  function tooLongFeedback(text) {
    const bytes = new TextEncoder().encode(frameOf(text)).length;
    if (bytes <= MAX_FRAME_BYTES) return "";
    const kb = (n) => (n / 1024).toFixed(1);
    return `Too long to send: ${kb(bytes)} KB, and a message may be at most ${kb(MAX_FRAME_BYTES)} KB. Shorten it by ${kb(bytes - MAX_FRAME_BYTES)} KB.`;
  }

  input.addEventListener("input", () => setFeedback(tooLongFeedback(input.value)));

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    const problem = text ? tooLongFeedback(text) : "Type a message first: there is nothing to send.";
    setFeedback(problem);
    if (problem) {
      input.focus();
      return;
    }
    if (!socket || socket.readyState !== WebSocket.OPEN) return;
    socket.send(frameOf(text));
    schedulePing(); // a message counts as activity: the next ping can wait a full interval
    input.value = "";
    input.focus();
  });

  window.addEventListener("online", () => {
    if (endpoint && (!socket || socket.readyState === WebSocket.CLOSED)) {
      attempt = 0;
      connect();
    }
  });

  /** The socket's URL from settings.json (the stack writes it with the API mapping key; R1, R3). */
  async function loadEndpoint() {
    const response = await fetch("settings.json", { cache: "no-cache" });
    if (!response.ok) throw new Error(`settings.json answered ${response.status}`);
    const { websocketPath } = await response.json();
    if (typeof websocketPath !== "string" || websocketPath === "") throw new Error("settings.json names no websocketPath");
    return `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}/${encodeURIComponent(websocketPath)}`;
  }

  loadEndpoint().then(
    (url) => {
      endpoint = url;
      connect();
    },
    (error) => {
      setStatus("waiting", "Cannot start");
      append(`Cannot start: ${error.message}. Reload the page to try again.`, "error");
    },
  );
})();
