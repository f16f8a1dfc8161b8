// expect exit 3: /callbacks run/
for (;;) await null;
