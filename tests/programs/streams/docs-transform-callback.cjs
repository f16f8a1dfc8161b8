// Node 20 docs, stream.md, transform._transform(): the two equivalent _transform bodies
// (this.push(data); callback() and callback(null, data)), each on a Transform that is read.
const { Transform } = require('stream');

for (const [name, _transform] of [
  ['push', function(data, encoding, callback) {
    this.push(data);
    callback();
  }],
  ['callback', function(data, encoding, callback) {
    callback(null, data);
  }],
]) {
  const transform = new Transform();
  transform._transform = _transform;
  transform.on('data', (d) => console.log(name, d.toString()));
  transform.on('end', () => console.log(name, 'end'));
  transform.write('a');
  transform.end('b');
}
