// Entry of the offline single-file build (tools/build-single.mjs): the site's files that the
// page fetches are bundled in, served to it from memory, then the page itself starts.
import './offline-files.js';
import '../www/app.js';
