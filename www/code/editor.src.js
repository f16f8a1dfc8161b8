// The code editor: CodeMirror 6 set up for the Code view. build.sh bundles this file with
// esbuild (tools/build-editor.mjs) into www/vendor/code-editor/editor.js and its chunks;
// code-view.js imports it only when a learner opens a Code view, so the page's first load
// carries none of it.
//
//   const ed = await createEditor(parent, { doc, label, onEdit });
//   ed.text(); ed.replace(text); ed.markError(line, col, message); ed.clearMarks(); ed.destroy();
//   ed.showRunning(line | null)   the line behind the player's current event (program-player.js)
//
// Keyboard: Tab and Shift+Tab indent; Esc then Tab (or Shift+Tab) moves the focus out of the
// editor, and Ctrl+M (Alt+Shift+M on macOS) switches Tab between indenting and moving focus.
// Colours come from CSS variables (www/code/code.css), so the page's light and dark themes
// apply without rebuilding the editor.
//
// The editor lives in a shadow root of `parent`: CodeMirror writes its styles at run time, and
// the page's CSP (style-src 'self') refuses a <style> element, while a shadow root takes them as
// constructed stylesheets (adoptedStyleSheets, the CSSOM), which the CSP allows. CSS variables
// inherit into it, so the page's theme still reaches the editor.
import { EditorState, Compartment, StateEffect, StateField, Transaction } from '@codemirror/state';
import {
  EditorView,
  keymap,
  lineNumbers,
  highlightActiveLine,
  highlightActiveLineGutter,
  drawSelection,
  Decoration,
} from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { bracketMatching, indentOnInput, syntaxHighlighting, HighlightStyle } from '@codemirror/language';
import { closeBrackets, closeBracketsKeymap } from '@codemirror/autocomplete';
import { searchKeymap } from '@codemirror/search';
import { setDiagnostics, lintGutter } from '@codemirror/lint';
import { tags as t } from '@lezer/highlight';

// Token colours by CSS variable: code.css gives each theme its values (contrast checked).
const highlight = HighlightStyle.define([
  { tag: [t.keyword, t.controlKeyword, t.moduleKeyword, t.operatorKeyword], color: 'var(--tok-keyword)' },
  { tag: [t.string, t.special(t.string), t.regexp], color: 'var(--tok-string)' },
  { tag: [t.number, t.bool, t.null, t.atom], color: 'var(--tok-number)' },
  { tag: [t.comment, t.lineComment, t.blockComment], color: 'var(--tok-comment)', fontStyle: 'italic' },
  { tag: [t.definition(t.variableName), t.function(t.definition(t.variableName))], color: 'var(--tok-def)' },
  { tag: [t.className, t.definition(t.className)], color: 'var(--tok-class)' },
  { tag: [t.propertyName, t.function(t.propertyName)], color: 'var(--tok-property)' },
  { tag: t.invalid, color: 'var(--bad)' },
]);

const MONO = 'ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace';

function baseTheme(dark) {
  return EditorView.theme(
    {
      '&': { color: 'var(--fg)', backgroundColor: 'var(--code-bg)', fontSize: '0.9rem', maxHeight: '32rem' },
      '.cm-scroller': { fontFamily: MONO, lineHeight: '1.45', overflow: 'auto' },
      '.cm-content': { caretColor: 'var(--fg)' },
      '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--fg)' },
      '.cm-gutters': {
        backgroundColor: 'var(--bg-2)',
        color: 'var(--fg-muted)',
        borderRight: '1px solid var(--border)',
      },
      '.cm-activeLine': { backgroundColor: 'var(--code-active)' },
      '.cm-activeLineGutter': { backgroundColor: 'var(--code-active)', color: 'var(--fg)' },
      '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': {
        backgroundColor: 'var(--code-selection)',
      },
      '&.cm-focused .cm-matchingBracket': {
        backgroundColor: 'var(--code-bracket)',
        outline: '1px solid var(--fg-muted)',
      },
      '.cm-errorLine': { backgroundColor: 'var(--code-error-line)' },
      '.cm-runningLine': {
        backgroundColor: 'var(--code-running-line)',
        boxShadow: 'inset 3px 0 0 var(--accent)',
      },
      '&.cm-focused': { outline: '3px solid var(--accent)', outlineOffset: '1px' },
    },
    { dark },
  );
}

// One marked line (a line decoration with `className`), set by its effect (a line's start, or
// null to clear) and gone when the text changes: the text no longer matches what it marked.
function lineMark(className) {
  const effect = StateEffect.define();
  const field = StateField.define({
    create: () => Decoration.none,
    update(deco, tr) {
      if (tr.docChanged) return Decoration.none;
      for (const e of tr.effects) {
        if (e.is(effect)) {
          deco =
            e.value === null ? Decoration.none : Decoration.set([Decoration.line({ class: className }).range(e.value)]);
        }
      }
      return deco;
    },
    provide: (f) => EditorView.decorations.from(f),
  });
  return { effect, field };
}

// The line an error names, and the line behind the player's current event.
const { effect: markLine, field: errorLines } = lineMark('cm-errorLine');
const { effect: runLine, field: runningLines } = lineMark('cm-runningLine');

function isDark() {
  const chosen = document.documentElement.dataset.theme;
  if (chosen === 'dark' || chosen === 'light') return chosen === 'dark';
  return matchMedia('(prefers-color-scheme: dark)').matches;
}

const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

// The EditorView inside a parent given to createEditor (tests read its whole document this
// way: the DOM holds only the lines in view).
export function viewOf(parent) {
  const dom = parent?.shadowRoot?.querySelector('.cm-editor');
  return dom ? EditorView.findFromDOM(dom) : null;
}

// onEdit(): called after a change the learner made (not after replace()).
export async function createEditor(parent, { doc = '', label = 'Code', onEdit } = {}) {
  const theme = new Compartment();
  let replacing = false;
  const root = parent.shadowRoot ?? parent.attachShadow({ mode: 'open' });
  // The language in a task (and a chunk) of its own; then the state; then the view.
  const { javascript } = await import('./editor-lang.src.js');
  await nextTask();
  const state = EditorState.create({
    doc,
    extensions: [
      lineNumbers(),
      lintGutter(),
      highlightActiveLineGutter(),
      history(),
      drawSelection(),
      indentOnInput(),
      syntaxHighlighting(highlight),
      bracketMatching(),
      closeBrackets(),
      highlightActiveLine(),
      // Long lines wrap: on a phone a line cut at the edge hides code, and a marked error's
      // column would scroll the starts of the lines out of view.
      EditorView.lineWrapping,
      keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...searchKeymap, ...historyKeymap, indentWithTab]),
      javascript(),
      errorLines,
      runningLines,
      theme.of(baseTheme(isDark())),
      EditorView.contentAttributes.of({ 'aria-label': label }),
      EditorView.updateListener.of((u) => {
        if (u.docChanged && !replacing) onEdit?.();
      }),
    ],
  });
  // The state and the view in two tasks: each is tens of ms the first time (cold code).
  await nextTask();
  const view = new EditorView({ parent: root, root, state });

  const onTheme = () => view.dispatch({ effects: theme.reconfigure(baseTheme(isDark())) });
  document.addEventListener('streamlab:theme', onTheme);

  // The document position of line:col (1-based), clamped into the text.
  const position = (line, col = 1) => {
    const d = view.state.doc;
    const l = d.line(Math.min(Math.max(1, line), d.lines));
    return { line: l, pos: Math.min(l.from + Math.max(0, col - 1), l.to) };
  };

  return {
    view,
    text: () => view.state.doc.toString(),
    // Replaces the whole text (the form's new code, Reset, a shared link): undoable unless
    // `history` is false (the first text), and not reported as the learner's edit.
    replace(text, { history = true } = {}) {
      replacing = true;
      try {
        view.dispatch({
          changes: { from: 0, to: view.state.doc.length, insert: text },
          annotations: history ? [] : [Transaction.addToHistory.of(false)],
        });
      } finally {
        replacing = false;
      }
    },
    // Gives an empty editor its first text a few lines per task, outside the undo history:
    // parsing and drawing a whole program at once is a long task on a slow machine.
    async load(text, { linesPerTask = 8 } = {}) {
      const parts = String(text).split(/(?<=\n)/);
      for (let i = 0; i < parts.length; i += linesPerTask) {
        replacing = true;
        try {
          view.dispatch({
            changes: { from: view.state.doc.length, insert: parts.slice(i, i + linesPerTask).join('') },
            annotations: Transaction.addToHistory.of(false),
          });
        } finally {
          replacing = false;
        }
        await nextTask();
      }
    },
    // Marks line:col as the error's place (a lint diagnostic plus a line background), moves the
    // cursor there and scrolls it into view; focuses the editor unless told not to.
    markError(line, col, message, { focus = true } = {}) {
      const { line: l, pos } = position(line, col);
      view.dispatch(
        setDiagnostics(view.state, [
          { from: pos, to: Math.max(pos, Math.min(l.to, pos + 1)), severity: 'error', message },
        ]),
        {
          selection: { anchor: pos },
          effects: [markLine.of(l.from), EditorView.scrollIntoView(pos, { y: 'center' })],
        },
      );
      if (focus) view.focus();
    },
    clearMarks() {
      view.dispatch(setDiagnostics(view.state, []), { effects: markLine.of(null) });
    },
    // Shows `line` (1-based) as the one running, scrolled into view without moving the cursor or
    // the focus; null clears it. A line past the end (the text was edited) shows nothing.
    showRunning(line) {
      const d = view.state.doc;
      if (line === null || !(line >= 1 && line <= d.lines)) {
        view.dispatch({ effects: runLine.of(null) });
        return;
      }
      const l = d.line(line);
      view.dispatch({ effects: [runLine.of(l.from), EditorView.scrollIntoView(l.from, { y: 'nearest' })] });
    },
    // The line shown as running (for tests), or null.
    runningLine() {
      const iter = view.state.field(runningLines).iter();
      return iter.value ? view.state.doc.lineAt(iter.from).number : null;
    },
    // The line numbers marked as errors now (for tests and the view's status).
    markedLines() {
      const out = [];
      const iter = view.state.field(errorLines).iter();
      while (iter.value) {
        out.push(view.state.doc.lineAt(iter.from).number);
        iter.next();
      }
      return out;
    },
    focus: () => view.focus(),
    destroy() {
      document.removeEventListener('streamlab:theme', onTheme);
      view.destroy();
    },
  };
}
