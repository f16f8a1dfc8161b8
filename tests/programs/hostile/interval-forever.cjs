// expect exit 3: /callbacks run/
setInterval(() => {}, 1);
