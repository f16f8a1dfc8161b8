const c = structuredClone({ a: [1, { b: new Map([["k", new Set([1])]]) }], d: new Date(5) });
console.log(c, c.a[1].b.get("k").has(1));
const enc = new TextEncoder().encode("hé");
console.log(enc, new TextDecoder().decode(enc), Buffer.from(enc).toString("hex"));
try { structuredClone({ f() {} }); } catch (e) { console.log(e.name); }
