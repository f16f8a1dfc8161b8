// expect exit 3: /callbacks waiting at once/
for (let i = 0; i < 1e8; i++) setTimeout(() => {}, 1000);
