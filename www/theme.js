// Light and dark themes: the system's preference unless the learner picked one with the
// toggle (remembered in localStorage). Charts read colours from CSS variables, so they are
// told to redraw when the theme changes.
const KEY = 'streamlab-theme';

function stored() {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null; // storage can be blocked (file://, privacy settings)
  }
}

export function currentTheme() {
  const chosen = document.documentElement.dataset.theme;
  if (chosen === 'light' || chosen === 'dark') return chosen;
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function setTheme(theme) {
  document.documentElement.dataset.theme = theme;
  try {
    localStorage.setItem(KEY, theme);
  } catch {
    // not remembered, still applied
  }
  document.dispatchEvent(new CustomEvent('streamlab:theme', { detail: { theme } }));
}

// Wires a toggle button: its label says what pressing it does.
export function initTheme(button) {
  const saved = stored();
  if (saved === 'light' || saved === 'dark') document.documentElement.dataset.theme = saved;
  const label = () => {
    const next = currentTheme() === 'dark' ? 'light' : 'dark';
    button.textContent = next === 'dark' ? 'Dark theme' : 'Light theme';
    button.setAttribute('aria-label', `Switch to the ${next} theme`);
  };
  button.addEventListener('click', () => {
    setTheme(currentTheme() === 'dark' ? 'light' : 'dark');
    label();
  });
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
    label();
    document.dispatchEvent(new CustomEvent('streamlab:theme', { detail: { theme: currentTheme() } }));
  });
  label();
}
