// Reading what a learner typed into a number field. Each reader returns
// { value } or { error } so a form can mark the field with the reason and run nothing.

// A finite number within [min, max]; `integer` refuses fractions. Empty text is an error
// unless `optional`, then the value is null.
export function readNumber(
  text,
  { min = -Infinity, max = Infinity, integer = false, optional = false, label = 'value' } = {},
) {
  const s = String(text ?? '')
    .trim()
    .replace(/[_\s]/g, '');
  if (s === '') return optional ? { value: null } : { error: `${label}: enter a number` };
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s))
    return { error: `${label}: "${s.slice(0, 20)}" is not a number` };
  const value = Number(s);
  if (!Number.isFinite(value)) return { error: `${label}: too large` };
  if (integer && !Number.isInteger(value)) return { error: `${label}: a whole number` };
  if (value < min) return { error: `${label}: at least ${min}` };
  if (value > max) return { error: `${label}: at most ${max}` };
  return { value };
}

// Reads every field of `spec` ({ name: [text, options] }) at once: { values, errors }.
export function readAll(spec) {
  const values = {};
  const errors = {};
  for (const [name, [text, options]] of Object.entries(spec)) {
    const r = readNumber(text, options);
    if (r.error) errors[name] = r.error;
    else values[name] = r.value;
  }
  return { values, errors };
}
