setTimeout(42);
