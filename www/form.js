// The parameter form of one experiment. It edits a copy of the scenario and reports each
// change; the experiment asks the core whether the scenario is valid and, when not, calls
// showError so the reason appears at the field it names.
import { h, fill, newId } from './dom.js';
import { fieldsFor, displayValue, applyValue, isSetIn, fieldForMessage } from './fields.js';

export class ParamForm {
  // onChange(scenario): the scenario after an edit (a fresh object each time).
  // omit: scenario paths not to offer (a sweep sets those itself).
  constructor(scenario, { onChange, debounceMs = 250, omit = [] }) {
    this.omit = new Set(omit);
    this.original = structuredClone(scenario);
    this.scenario = structuredClone(scenario);
    this.onChange = onChange;
    this.debounceMs = debounceMs;
    this.inputs = new Map(); // path -> { input, error }
    this.timer = 0;
    this.el = h('form', { class: 'params', novalidate: true, onsubmit: (e) => e.preventDefault() });
    this.render();
  }

  render() {
    this.inputs.clear();
    const more = h('div', { class: 'param-groups' });
    const main = h('div', { class: 'param-groups' });
    for (const group of fieldsFor(this.scenario)) {
      group.fields = group.fields.filter((f) => !this.omit.has(f.path));
      const primary = group.fields.filter((f) => isSetIn(this.original, f.path));
      const rest = group.fields.filter((f) => !primary.includes(f));
      if (!group.fields.length) continue;
      if (primary.length) main.append(this.fieldset(group, primary, false));
      if (rest.length) more.append(this.fieldset(group, rest, true));
    }
    const moreBox = h(
      'details',
      { class: 'more-params' },
      h('summary', {}, 'More parameters'),
      more,
      h(
        'p',
        { class: 'transform-tools' },
        h(
          'button',
          {
            type: 'button',
            class: 'small',
            onclick: () => this.addTransform(),
            disabled: this.scenario.connect === 'write-loop',
          },
          'Add a transform',
        ),
      ),
    );
    if (this.moreOpen) moreBox.open = true;
    moreBox.addEventListener('toggle', () => {
      this.moreOpen = moreBox.open;
    });
    this.formError = h('p', { class: 'form-error', role: 'alert', hidden: true });
    fill(
      this.el,
      main,
      moreBox,
      this.formError,
      h(
        'p',
        { class: 'form-tools' },
        h('button', { type: 'button', class: 'small', onclick: () => this.reset() }, 'Reset parameters'),
      ),
    );
  }

  fieldset(group, fields, inMore) {
    const set = h('fieldset', { class: 'param-group' }, h('legend', {}, group.legend));
    for (const field of fields) set.append(this.field(field));
    if (inMore && group.transform !== undefined) {
      set.append(
        h(
          'button',
          { type: 'button', class: 'small', onclick: () => this.removeTransform(group.transform) },
          `Remove t${group.transform}`,
        ),
      );
    }
    return set;
  }

  field(field) {
    const id = newId('param');
    const errId = `${id}-err`;
    const hintId = `${id}-hint`;
    const value = displayValue(this.scenario, field);
    let input;
    if (field.kind === 'bool') {
      input = h('input', { type: 'checkbox', id, checked: value, 'aria-describedby': errId });
    } else if (field.kind === 'select') {
      input = h(
        'select',
        { id, 'aria-describedby': errId },
        field.options.map(([v, label]) => h('option', { value: v, selected: v === value }, label)),
      );
    } else {
      const numeric = field.kind !== 'text';
      input = h('input', {
        type: 'text',
        id,
        value,
        inputmode: numeric ? 'decimal' : null,
        autocomplete: 'off',
        spellcheck: 'false',
        'aria-describedby': `${field.hint ? hintId : ''} ${errId}`.trim(),
      });
    }
    input.dataset.path = field.path;
    const error = h('span', { class: 'field-error', id: errId, role: 'alert' });
    this.inputs.set(field.path, { input, error });
    const reshapes = field.kind === 'select' && (field.path === 'connect' || field.chunkKind);
    input.addEventListener(field.kind === 'bool' || field.kind === 'select' ? 'change' : 'input', () => {
      applyValue(this.scenario, field, field.kind === 'bool' ? input.checked : input.value);
      if (reshapes) {
        this.render();
        this.inputs.get(field.path)?.input.focus();
      }
      this.changed(reshapes ? 0 : this.debounceMs);
    });
    const label = h('label', { for: id }, field.label);
    const hint = field.hint ? h('small', { class: 'hint', id: hintId }, field.hint) : null;
    return field.kind === 'bool'
      ? h('div', { class: 'field field-bool' }, input, label, error)
      : h('div', { class: 'field' }, label, input, hint, error);
  }

  changed(delay) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.onChange(structuredClone(this.scenario)), delay);
  }

  addTransform() {
    this.scenario.transforms = [...(this.scenario.transforms ?? []), { highWaterMark: 16 }];
    this.moreOpen = true;
    this.render();
    this.changed(0);
  }

  removeTransform(i) {
    this.scenario.transforms.splice(i, 1);
    if (!this.scenario.transforms.length) delete this.scenario.transforms;
    this.render();
    this.changed(0);
  }

  reset() {
    this.scenario = structuredClone(this.original);
    this.render();
    this.changed(0);
  }

  // Replaces the scenario (e.g. from outside) without reporting a change.
  setScenario(scenario) {
    this.scenario = structuredClone(scenario);
    this.render();
  }

  // Shows the core's message at the field it names (or above the form), or clears it.
  showError(message) {
    for (const { input, error } of this.inputs.values()) {
      input.removeAttribute('aria-invalid');
      error.textContent = '';
    }
    this.formError.hidden = true;
    if (!message) return null;
    const path = fieldForMessage(message, [...this.inputs.keys()]);
    const at = path && this.inputs.get(path);
    if (at) {
      at.input.setAttribute('aria-invalid', 'true');
      at.error.textContent = message;
      const details = at.input.closest('details');
      if (details) details.open = true;
    } else {
      this.formError.textContent = message;
      this.formError.hidden = false;
    }
    return path;
  }
}
