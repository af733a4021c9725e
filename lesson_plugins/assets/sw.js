// Microscale service worker: keeps the Python runtime of a course so that a second visit starts
// Python from the cache, also offline. The build (lesson_plugins/publish.py) writes this file to the
// site root, so that its scope is the whole site also under a sub-path (https://user.github.io/repo/),
// and fills in MANIFEST below:
//   runtime: { url: sha256 }  the Pyodide files and the numpy wheel (versioned: never change)
//   python:  { url: sha256 }  the Python sources of this build's lessons
//   runtimeCache, pythonCache: cache names keyed by hashes of this build
// Everything else, every page above all, goes to the network untouched: a new version of the site
// is never hidden behind an old copy.
//
// All GitHub Pages project sites of a user share one origin, and with it Cache Storage, which any
// page of the origin can write to. So the cache names end with this site's scope (a course deletes
// only its own caches), and no cached copy is trusted: every hit is checked against the sha256 of
// this build's manifest before it is used, and deleted (then fetched again) when it differs.
const MANIFEST = /* MANIFEST */ null;

const PREFIX = "microscale-";
const SCOPE = self.registration.scope;
const cacheName = (name) => `${name}@${SCOPE}`;
const RUNTIME_CACHE = cacheName(MANIFEST.runtimeCache);
const PYTHON_CACHE = cacheName(MANIFEST.pythonCache);
const KEEP = new Set([RUNTIME_CACHE, PYTHON_CACHE]);
const absolute = (table) =>
  new Map(Object.entries(table).map(([url, sha]) => [new URL(url, self.registration.scope).href, sha]));
const RUNTIME = absolute(MANIFEST.runtime);
const PYTHON = absolute(MANIFEST.python);

// Folders of the files this worker answers for: everything else (pages, the theme, images) goes
// to the network without this worker even being started, where the browser has static routes
// (Chromium 123+, `InstallEvent.addRoutes`); elsewhere the fetch handler below lets it through.
const FOLDERS = [...new Set([...RUNTIME.keys(), ...PYTHON.keys()].map((u) => u.replace(/[^/]*$/, "")))];
const escapePattern = (text) => text.replace(/[\\:*?+(){}]/g, (c) => `\\${c}`);

// Keep everything at once. The page registers this worker once Python has started, so on a first
// visit these downloads mostly come from the HTTP cache, and never hold up Python.
self.addEventListener("install", (event) => {
  if (event.addRoutes) {
    const ours = FOLDERS.map((folder) => {
      const url = new URL(folder);
      return { urlPattern: { protocol: url.protocol.slice(0, -1), hostname: url.hostname,
        port: url.port, pathname: `${escapePattern(url.pathname)}*` } };
    });
    event.addRoutes({ condition: { not: { or: ours } }, source: "network" }).catch(() => {});
  }
  const keep = [
    ...[...RUNTIME].map(([url, sha256]) => cacheFirst(new Request(url), url, sha256)),
    ...[...PYTHON].map(([url, sha256]) => networkFirst(new Request(url), url, sha256)),
  ];
  event.waitUntil(Promise.allSettled(keep).then(() => self.skipWaiting()));
});

// A new build takes over at once and deletes the caches of this site's older builds, never those
// of another site on the origin. A cache of a build before scoped names ("microscale-python-HASH")
// is this site's when it holds one of this site's own URLs.
self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (!name.startsWith(PREFIX) || KEEP.has(name)) continue;
        if (name.endsWith(`@${SCOPE}`) || (!name.includes("@") && (await ours(name))))
          await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

async function ours(name) {
  const requests = await (await caches.open(name)).keys();
  return requests.some((request) => request.url.startsWith(SCOPE));
}

self.addEventListener("fetch", (event) => {
  if (event.request.method !== "GET") return;
  const url = event.request.url.split(/[?#]/)[0];
  if (RUNTIME.has(url)) event.respondWith(cacheFirst(event.request, url, RUNTIME.get(url)));
  else if (PYTHON.has(url)) event.respondWith(networkFirst(event.request, url, PYTHON.get(url)));
});

// A cached copy of `url` whose bytes have `sha256`, or null; a copy that does not is deleted.
// (Checking all 16.9 MB of the runtime costs tens of milliseconds: docs/guide/publish.md.)
async function checkedHit(cache, url, sha256) {
  const hit = await cache.match(url);
  if (!hit) return null;
  // The cached response itself, not a copy of its bytes: Chromium keeps the code it compiled
  // from a Cache Storage entry with the entry, and a new Response would compile Pyodide again.
  if ((await hex(await hit.clone().arrayBuffer())) === sha256) return hit;
  console.error(`Microscale: the cached ${url} does not have the expected sha256, deleted`);
  await cache.delete(url);
  return null;
}

// The Pyodide runtime: versioned, so a cached copy that has the sha256 of the manifest is always
// right. A copy is kept, or handed to the page, only when its bytes have the sha256 known at build
// time (this is how a CDN download is checked on the visits this worker serves: a module worker's
// import() cannot carry an integrity attribute; the Python worker checks a CDN's files again).
async function cacheFirst(request, url, sha256) {
  const cache = await caches.open(RUNTIME_CACHE);
  const hit = await checkedHit(cache, url, sha256);
  if (hit) return hit;
  const response = await fetch(request);
  if (!response.ok || response.type === "opaque") return response;
  const body = await response.arrayBuffer();
  if ((await hex(body)) !== sha256) {
    const reason = `Microscale: ${url} does not have the expected sha256, refused`;
    console.error(reason);
    return new Response(reason, { status: 502, statusText: "Integrity check failed" });
  }
  const copy = new Response(body, response);
  await cache.put(url, copy.clone());
  return copy;
}

// The lesson's Python sources: the network first, so a new build is used as soon as it is
// published; the cached copy of this build when the network fails.
async function networkFirst(request, url, sha256) {
  const cache = await caches.open(PYTHON_CACHE);
  let response;
  try {
    response = await fetch(request);
  } catch (error) {
    const hit = await checkedHit(cache, url, sha256);
    if (hit) return hit;
    throw error;
  }
  if (response.ok) {
    const body = await response.clone().arrayBuffer();
    if ((await hex(body)) === sha256) await cache.put(url, new Response(body, response));
  }
  return response;
}

async function hex(buffer) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", buffer));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}
