console.log('numbers', 1, -0, 1.5, NaN, Infinity, 10n);
console.log('strings %s and %s', 'a', 42, 'extra');
console.log('%d %i %f %j %o %O %%', 4.7, 4.7, '4.7', { a: [1, 2] }, [1, { b: 2 }], { c: 3 });
console.log([1, 2, 3], [], [[1, [2, [3, [4]]]]], new Array(3), ['a', 'b']);
console.log({}, { a: 1, 'b-c': 2, nested: { x: { y: { z: 1 } } } }, { s: "it's" });
console.log([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27]);
console.log(['apple', 'banana', 'cherry', 'date', 'elderberry', 'fig', 'grape', 'honeydew']);
console.log(
  null,
  undefined,
  true,
  Symbol('s'),
  function named() {},
  () => {},
  class K {},
);
console.log(new Map([['k', { v: 1 }]]), new Set(['x']), Promise.resolve(1));
class Point {
  constructor() {
    this.x = 1;
    this.y = 2;
  }
}
console.log(new Point(), [new Point()], Object.create(null));
const o = { name: 'loop' };
o.self = o;
console.log(o);
console.info('info');
console.warn('warn', { w: 1 });
console.error('error %s', 'e');
console.log({ long: 'x'.repeat(60), longer: 'y'.repeat(60), list: [1, 2, 3] });
