// Tiny DOM builder: elements are made with createElement and text with textContent, never
// by parsing HTML strings, so nothing a scenario or lesson says can become markup here.

// h('div', {class: 'x', onclick: fn, 'aria-label': 'y'}, child, 'text', [more])
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (key === 'class') {
      el.className = value;
    } else if (key === 'style') {
      // Through the CSSOM, not a style attribute: the CSP has no 'unsafe-inline'.
      el.style.cssText = value;
    } else if (key === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (key === 'value' || key === 'checked' || key === 'selected') {
      el[key] = value;
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

// Replaces an element's children.
export function fill(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

let uid = 0;
// A page-unique id for label/aria wiring between elements made here.
export function newId(prefix = 'sl') {
  uid += 1;
  return `${prefix}-${uid}`;
}
