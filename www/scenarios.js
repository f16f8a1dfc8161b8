// Named scenarios live as files in www/scenarios/NAME.json. Names are checked before they
// become part of a URL, so a lesson or attribute cannot point the fetch anywhere else.
const NAME = /^[a-z0-9][a-z0-9-]{0,79}$/;
const cache = new Map();

export function isScenarioName(name) {
  return typeof name === 'string' && NAME.test(name);
}

// Resolves to a fresh copy of the named scenario (callers may edit it).
export async function loadScenario(name) {
  if (!isScenarioName(name)) throw new Error(`not a scenario name: ${JSON.stringify(String(name))}`);
  if (!cache.has(name)) {
    const url = new URL(`./scenarios/${name}.json`, import.meta.url);
    const load = fetch(url).then(async (res) => {
      if (!res.ok) throw new Error(`no scenario named "${name}" (HTTP ${res.status})`);
      return res.json();
    });
    cache.set(name, load);
    load.catch(() => cache.delete(name));
  }
  return structuredClone(await cache.get(name));
}

// A scenario given either by name or as an object (or JSON text).
export async function resolveScenario(scenarioOrName) {
  if (typeof scenarioOrName === 'string' && isScenarioName(scenarioOrName)) {
    return loadScenario(scenarioOrName);
  }
  if (typeof scenarioOrName === 'string') return JSON.parse(scenarioOrName);
  return structuredClone(scenarioOrName);
}
