console.log(1);
process.nextTick(() => { console.log("tick"); process.exit(5); console.log("no"); });
setTimeout(() => console.log("never"), 1);
