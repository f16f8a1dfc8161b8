// expect exit 2: /import-fs.mjs:2:\d+\nERR_UNSUPPORTED: node:fs is not available in Streamlab/
import { readFileSync } from 'node:fs';
console.log(readFileSync);
