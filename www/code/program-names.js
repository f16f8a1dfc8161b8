// The file names a lesson's `program:` and `expected:` keys accept: plain names of files beside
// the lesson (no folders, nothing a URL could turn into another place).
export const PROGRAM_NAME = /^[a-z0-9][a-z0-9-]{0,80}\.(mjs|cjs|js)$/;
export const EXPECTED_NAME = /^[a-z0-9][a-z0-9-]{0,80}\.txt$/;
