import { EventEmitter } from "node:events";
const e = new EventEmitter();
await null;
e.emit("error", new Error("no listener"));
