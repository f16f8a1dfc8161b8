console.log("a");
Promise.reject(42);
setTimeout(() => console.log("never"), 1);
