/**
 * The raw ceiling on Node: `node:net` (the socket API wirecore's Node adapter uses) with no HTTP
 * at all — count the request heads in each read, write that many canned responses in one write
 * (bench/peers/raw-response.ts). No wirecore on Node can be faster than this on the same machine.
 *
 *   node bench/peers/raw-node.ts --port 3000
 */
import { createServer, type Socket } from "node:net";
import process from "node:process";
import { peerArgs } from "./args.ts";
import { CannedResponses, HeadCounter } from "./raw-response.ts";

const { port, idleTimeoutSeconds } = peerArgs(process.argv.slice(2));
const canned = new CannedResponses();

const server = createServer({ noDelay: true }, (socket: Socket) => {
  const heads = new HeadCounter();
  socket.setTimeout(idleTimeoutSeconds * 1000, () => socket.destroy());
  socket.on("data", (data: Buffer) => {
    const n = heads.count(data);
    if (n > 0) socket.write(canned.take(n));
  });
  socket.on("error", () => socket.destroy());
});
server.listen(port, "127.0.0.1", () => {
  const address = server.address();
  const bound = typeof address === "object" && address !== null ? address.port : port;
  console.log(`listening on http://127.0.0.1:${bound}`);
});
