// Form fields for the challenges: a label, the input, a hint, and a place for the reason a
// value was refused (aria-invalid + aria-describedby, as the experiment forms do).
import { h, newId } from '../dom.js';

// The field around an input: its label, its hint and the place for the reason it was refused.
function labelled(id, label, input, hint) {
  const error = h('span', { class: 'field-error', id: `${id}-err`, role: 'alert' });
  const el = h(
    'div',
    { class: 'field' },
    h('label', { for: id }, label),
    input,
    hint ? h('span', { class: 'hint', id: `${id}-hint` }, hint) : null,
    error,
  );
  return { el, error };
}

export function numberField({ name, label, value = '', hint = '', placeholder = '' }) {
  const id = newId('ch');
  const input = h('input', {
    type: 'text',
    id,
    name,
    value,
    inputmode: 'decimal',
    autocomplete: 'off',
    placeholder,
    'aria-describedby': `${id}-hint ${id}-err`,
    dataset: { field: name },
  });
  const { el, error } = labelled(id, label, input, hint);
  return {
    el,
    input,
    error,
    get: () => input.value,
    set: (v) => {
      input.value = v ?? '';
    },
  };
}

export function selectField({ name, label, value, options, hint = '' }) {
  const id = newId('ch');
  const input = h(
    'select',
    { id, name, 'aria-describedby': `${id}-hint ${id}-err`, dataset: { field: name } },
    options.map((o) => h('option', { value: o.id, selected: o.id === value }, o.label)),
  );
  const { el, error } = labelled(id, label, input, hint);
  return {
    el,
    input,
    error,
    get: () => input.value,
    set: (v) => {
      input.value = v;
    },
  };
}

// A multiple-choice question: one radio per option, in a fieldset with the question as legend.
export function choiceField({ name, question, options, value = null }) {
  const group = newId('ch');
  const error = h('span', { class: 'field-error', role: 'alert' });
  const radios = options.map((o) =>
    h('input', { type: 'radio', name: group, value: o.id, checked: o.id === value, dataset: { choice: o.id } }),
  );
  const el = h(
    'fieldset',
    { class: 'choice', dataset: { field: name } },
    h('legend', {}, question),
    options.map((o, k) => h('label', { class: 'choice-option' }, radios[k], ' ', o.label)),
    error,
  );
  return {
    el,
    input: el,
    error,
    get: () => radios.find((r) => r.checked)?.value ?? '',
    set: (v) =>
      radios.forEach((r) => {
        r.checked = r.value === v;
      }),
  };
}

// Shows each field's error (or clears it); returns true when there were none.
export function showErrors(fields, errors) {
  for (const [name, f] of Object.entries(fields)) {
    const message = errors[name] ?? '';
    f.error.textContent = message;
    if (f.input.tagName === 'FIELDSET') continue;
    if (message) f.input.setAttribute('aria-invalid', 'true');
    else f.input.removeAttribute('aria-invalid');
  }
  return !Object.keys(errors).length;
}

export function formValues(fields) {
  return Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, f.get()]));
}
