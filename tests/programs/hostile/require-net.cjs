// expect exit 2: /require-net.cjs:2:\d+\nERR_UNSUPPORTED: node:net is not available/
const net = require('net');
