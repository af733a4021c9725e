// The reader's progress: one versioned localStorage entry, and the hash the quizzes check with.
// No DOM here (node can import this module; tests/quiz compares `hash` with the Python one).
//
// Stored shape: {format: "microscale-progress", version: 1, lessons: {ID: {answers: {QUIZ: SEL}, done}}}
// A lesson entry exists once the lesson was opened; `done` once every question was answered right;
// `answers` keeps the reader's right answer of each quiz so that a reload shows it again.
// Anything else under the key (corrupt JSON, another app's data) is ignored and replaced.

export const KEY = "microscale.progress.v1";
const FORMAT = "microscale-progress";

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
const empty = () => ({ format: FORMAT, version: 1, lessons: {} });

// A clean copy of `data` if it is progress of this format and version, else null.
export function sanitize(data) {
  if (!isObject(data) || data.format !== FORMAT || data.version !== 1) return null;
  if (!isObject(data.lessons)) return null;
  const lessons = {};
  for (const [id, entry] of Object.entries(data.lessons)) {
    if (!isObject(entry)) continue;
    const answers = {};
    for (const [quiz, sel] of Object.entries(isObject(entry.answers) ? entry.answers : {})) {
      if (typeof sel === "string") answers[quiz] = sel;
    }
    lessons[id] = { answers, done: entry.done === true };
  }
  return { format: FORMAT, version: 1, lessons };
}

let memory = null; // used when localStorage is unavailable (some private modes, file://)

export function save(data) {
  memory = data;
  try {
    localStorage.setItem(KEY, JSON.stringify(data));
  } catch {
    // storage unavailable or full: progress lasts as long as the page
  }
}

export function load() {
  let raw = null;
  try {
    raw = localStorage.getItem(KEY);
  } catch {
    return memory ?? empty();
  }
  if (raw === null) return empty();
  let data = null;
  try {
    data = sanitize(JSON.parse(raw));
  } catch {
    // not JSON: replaced below
  }
  if (data === null) save((data = empty()));
  return data;
}

// The entry of lesson `id` in `data`, created if missing.
export function lesson(data, id) {
  data.lessons[id] ??= { answers: {}, done: false };
  return data.lessons[id];
}

export function reset() {
  memory = null;
  try {
    localStorage.removeItem(KEY);
  } catch {
    // nothing stored
  }
}

export const exportText = () => JSON.stringify(load(), null, 2);

// Replace the progress with the one in `text`; false (and nothing changed) if it is not ours.
export function importText(text) {
  let data = null;
  try {
    data = sanitize(JSON.parse(text));
  } catch {
    return false;
  }
  if (data !== null) save(data);
  return data !== null;
}
