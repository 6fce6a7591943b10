#!/usr/bin/env node
// The dashboard's HTTP server (`spamtrail serve`, the browser tests): Next's own request handler
// behind node:http, which stamps every request with the address of the peer that sent it
// (PEER_HEADER in lib/auth/client-address.ts), replacing any value a client sent. Next hands the
// app no other way to know who is connected, and X-Forwarded-For is whatever the client wrote
// unless a trusted proxy wrote it (SPAMTRAIL_TRUST_PROXY).
// Usage: node lib/cli/dashboard-server.mjs HOST PORT   (the checkout is the working directory)
import { createServer } from "node:http";
import next from "next";

const PEER_HEADER = "x-spamtrail-peer";
const [host = "127.0.0.1", portText = "3000"] = process.argv.slice(2);
const port = Number(portText);

const app = next({ dev: false, dir: process.cwd(), hostname: host, port });
const handle = app.getRequestHandler();
await app.prepare();

const server = createServer((request, response) => {
  request.headers[PEER_HEADER] = request.socket.remoteAddress ?? "";
  void handle(request, response);
});
server.on("error", (error) => {
  console.error(`spamtrail: the dashboard cannot listen on ${host}:${port}: ${error.message}`);
  process.exit(1);
});
server.listen(port, host, () => console.log(`spamtrail: dashboard listening on ${host}:${port}`));

// SIGTERM (systemd, Ctrl-C in serve): stop taking requests, let the open ones finish, then exit.
const stop = () => {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 5000).unref();
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
