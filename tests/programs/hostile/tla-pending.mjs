// expect exit 13: /Warning: Detected unsettled top-level await/
console.log('waits forever');
await new Promise(() => {});
