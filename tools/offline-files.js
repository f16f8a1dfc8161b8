// In the offline single file there is no server: the page's fetch() of its own lesson and
// scenario files is answered from copies bundled into the file (FILES is filled in by
// tools/build-single.mjs). Everything else still goes to the real fetch, which the file's
// CSP (connect-src 'none') refuses, so the page can never reach the network.
import { FILES } from 'streamlab:offline-files';

const TYPES = { json: 'application/json', md: 'text/markdown' };
const realFetch = window.fetch.bind(window);

window.fetch = (input, init) => {
  let url;
  try {
    url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url, location.href);
  } catch {
    return realFetch(input, init);
  }
  const m = /\/www\/((?:scenarios|lessons)\/[a-z0-9][a-z0-9-]*\.(json|md))$/.exec(url.pathname);
  if (m && Object.hasOwn(FILES, m[1])) {
    return Promise.resolve(new Response(FILES[m[1]], { status: 200, headers: { 'Content-Type': TYPES[m[2]] } }));
  }
  if (m) return Promise.resolve(new Response('not in the offline file', { status: 404 }));
  return realFetch(input, init);
};
