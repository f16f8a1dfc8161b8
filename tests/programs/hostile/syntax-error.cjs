// expect exit 2: /syntax-error.cjs:2\n.*\n\s*\^\n\nSyntaxError: /
const x = ;
