// expect exit 2: /ERR_UNSUPPORTED: node:fs is not available in Streamlab/
await import('node:fs');
