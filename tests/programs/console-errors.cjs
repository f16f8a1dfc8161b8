const e = new Error("boom");
console.log(e);
console.log({ e });
class MyErr extends Error {}
console.log(new MyErr("mine"));
class Named extends Error { constructor(m) { super(m); this.name = "Named"; } }
console.log(new Named("n"));
const c = new Error("with code"); c.code = "E_X";
console.log(c);
try { setTimeout("nope"); } catch (err) { console.log(err.code, err.message); console.log(err); }
console.log([new Error("in array")]);
console.log(new TypeError("t").toString(), String(new RangeError("r")));
console.log(Object.assign(Object.create(null), {a: 1}));
console.log([undefined, null], { u: undefined }, [function () {}], { f() {} }, { g: async () => {} });
console.log(new Date(0), /re/g, [new Date(86400000)]);
console.log("%o", { a: { b: { c: { d: { e: 1 } } } } });
console.log(Array.from({ length: 120 }, (_, i) => i));
console.log("a\nb", ["a\nb"], ["it's"], ['say "hi"'], ["both ' and \""]);
console.log(new Array(5), [1, , 3], [1, 2, 3].map(String));
console.log(Number.MAX_SAFE_INTEGER, 1e21, 1e-7, 0.1 + 0.2);
console.log(Symbol.iterator, { [Symbol("k")]: 1 });
console.log({ get x() { return 1; }, set y(v) {}, get z() { return 1; }, set z(v) {} });
process.exitCode = 4;
