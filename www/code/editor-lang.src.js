// JavaScript for the code editor (the Lezer grammar and CodeMirror's language package): a chunk
// of its own, evaluated in a task after the editor's core, so that neither is a long task.
export { javascript } from '@codemirror/lang-javascript';
