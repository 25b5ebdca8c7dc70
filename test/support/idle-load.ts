/**
 * A load generator in a process of its own (run by Node): opens `idle` silent keep-alive
 * connections, then times `requests` sequential `GET /` on one fresh connection, and prints
 * `{ p50, p99, max, idleOpen }` as JSON. In a process of its own so that the client's own cost
 * of thousands of sockets is not counted against the server (on Deno and Bun the test process
 * emulates node:net). Usage: `node test/support/idle-load.ts PORT IDLE REQUESTS`.
 * @module
 */
import { connect, type Socket } from "node:net";
import process from "node:process";

const [port, idleCount, requests] = process.argv.slice(2).map(Number) as [number, number, number];

function open(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: "127.0.0.1" }, () => resolve(socket));
    socket.once("error", reject);
  });
}

function timedGet(socket: Socket): Promise<number> {
  const began = performance.now();
  return new Promise((resolve) => {
    let text = "";
    const onData = (chunk: Buffer): void => {
      text += chunk.toString("latin1");
      if (text.endsWith("Hello, World!")) {
        socket.off("data", onData);
        resolve(performance.now() - began);
      }
    };
    socket.on("data", onData);
    socket.write("GET / HTTP/1.1\r\nHost: s\r\n\r\n");
  });
}

const idle: Socket[] = [];
for (let i = 0; i < idleCount; i += 250) {
  idle.push(...await Promise.all(Array.from({ length: Math.min(250, idleCount - i) }, open)));
}
const fresh = await open();
const times: number[] = [];
for (let i = 0; i < requests; i++) times.push(await timedGet(fresh));
times.sort((a, b) => a - b);
const at = (q: number): number => times[Math.min(times.length - 1, Math.ceil(times.length * q) - 1)]!;
const idleOpen = idle.filter((socket) => !socket.destroyed && !socket.readableEnded).length;
console.log(JSON.stringify({ p50: at(0.5), p99: at(0.99), max: at(1), idleOpen }));
process.exit(0);
