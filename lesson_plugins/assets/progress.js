// The reader's progress: one versioned localStorage entry per course, and the hash the quizzes
// check with. No DOM needed (node imports it: tests/quiz compares `hash` with the Python one).
//
// Stored shape: {format: "microscale-progress", version: 1, lessons: {ID: {answers: {QUIZ: SEL}, done}}}
// A lesson entry exists once the lesson was opened; `done` once every question was answered right;
// `answers` keeps the reader's right answer of each quiz so that a reload shows it again.
// Anything else under the key (corrupt JSON, another app's data) is ignored and replaced.
// GitHub Pages sites of one user share an origin, so the key names the site root's path
// ("microscale.progress.v1:/repo/"); progress under the older LEGACY_KEY is copied once.
// Null-prototype objects: an id such as "constructor" is never an inherited property.

export const LEGACY_KEY = "microscale.progress.v1";
const FORMAT = "microscale-progress";

// The key of the course at `root` (the site root's URL).
export const keyFor = (root) => `${LEGACY_KEY}:${new URL(root).pathname}`;

// The site root of this page: sw.js sits there, at ms-config's `sw` (relative to this folder).
function siteRoot() {
  const element = globalThis.document?.getElementById("ms-config");
  const sw = element && JSON.parse(element.textContent).sw;
  return sw ? new URL(".", new URL(sw, import.meta.url)).href : null;
}

let key = null;
// This page's key (the legacy one where no site root is known: node, a page without config).
export function storageKey() {
  if (key === null) {
    const root = siteRoot();
    key = root ? keyFor(root) : LEGACY_KEY;
  }
  return key;
}

// cyrb53, 53 bits as 14 hex digits; the same function as hash53 in lesson_plugins/blocks/quiz.py.
export function hash(text) {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h2 & 0x1fffff).toString(16).padStart(6, "0") + (h1 >>> 0).toString(16).padStart(8, "0");
}

const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const table = () => Object.create(null);
const has = (object, name) => Object.prototype.hasOwnProperty.call(object, name);
const empty = () => ({ format: FORMAT, version: 1, lessons: table() });

// A clean copy of `data` if it is progress of this format and version, else null.
export function sanitize(data) {
  if (!isObject(data) || data.format !== FORMAT || data.version !== 1) return null;
  if (!isObject(data.lessons)) return null;
  const lessons = table();
  for (const [id, entry] of Object.entries(data.lessons)) {
    if (!isObject(entry)) continue;
    const answers = table();
    for (const [quiz, sel] of Object.entries(isObject(entry.answers) ? entry.answers : {})) {
      if (typeof sel === "string") answers[quiz] = sel;
    }
    lessons[id] = { answers, done: entry.done === true };
  }
  return { format: FORMAT, version: 1, lessons };
}

let memory = null; // used when localStorage is unavailable (some private modes, file://)

// Keep `data`; false when it lasts only as long as the page (no storage, or over its quota).
export function save(data) {
  memory = data;
  try {
    localStorage.setItem(storageKey(), JSON.stringify(data));
    return true;
  } catch {
    return false;
  }
}

function parse(raw) {
  try {
    return sanitize(JSON.parse(raw));
  } catch {
    return null; // not JSON
  }
}

export function load() {
  let raw = null;
  let legacy = null;
  try {
    raw = localStorage.getItem(storageKey());
    if (raw === null && storageKey() !== LEGACY_KEY) legacy = localStorage.getItem(LEGACY_KEY);
  } catch {
    return memory ?? empty();
  }
  if (raw === null) {
    const migrated = legacy === null ? null : parse(legacy);
    if (migrated !== null) save(migrated);
    return migrated ?? empty();
  }
  let data = parse(raw);
  if (data === null) save((data = empty()));
  return data;
}

// The entry of lesson `id` in `data`, created if missing.
export function lesson(data, id) {
  if (!has(data.lessons, id)) data.lessons[id] = { answers: table(), done: false };
  return data.lessons[id];
}

// The entry of lesson `id` in `data`, or undefined: never an inherited property.
export const entry = (data, id) => (has(data.lessons, id) ? data.lessons[id] : undefined);

// The reader's stored answer of quiz `quiz` in a lesson entry, or undefined.
export const answer = (lessonEntry, quiz) =>
  has(lessonEntry.answers, quiz) ? lessonEntry.answers[quiz] : undefined;

// Forget this course's progress (an empty entry: nothing is migrated again).
export function reset() {
  memory = null;
  save(empty());
}

export const exportText = () => JSON.stringify(load(), null, 2);

// Replace the progress with the one in `text`: "imported", "invalid" (not ours; nothing changed)
// or "not_saved" (ours, but the browser refused to store it, e.g. over its storage quota).
export function importText(text) {
  const data = parse(text);
  if (data === null) return "invalid";
  return save(data) ? "imported" : "not_saved";
}
