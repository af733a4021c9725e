// Code exercises (lesson_plugins/blocks/exercise.py): an editor, Run and Check, hints, the
// solution, Reset. Loaded by quiz.js only on a page that has an exercise.
//
// Until an exercise comes near the viewport (or its starter code gets the focus, by Tab or a
// click), the page shows the build's plain <pre> of the starter, focusable: the editor
// (editor.js, CodeMirror), the controls and the exercises' Python start only then, so a phone
// that never scrolls to the exercise pays for none of them. The editor takes the starter's place,
// and its focus. Hints and the solution wait in a <template> until the reader asks for them.
//
// The reader's code runs in a Python worker of the exercises' own (runtime.js ownWorker: the
// same worker.js as the widgets', a second instance), so that an endless loop never holds up the
// page's sliders. A run past the exercise's time limit ends the worker; a fresh one boots.
// The worker calls lesson_plugins/grader.py (in the sources zip): the request is the page's (JSON
// text) plus `action` and `code`, the reply a grader.Reply (tests/exercise checks that this file reads no other keys).
// A pass is recorded in the reader's progress by quiz.js (the "ms-passed" event); the code
// is kept per exercise in localStorage.
import { onPage, ownWorker, t } from "../runtime.js";
import * as progress from "../progress.js";

let editorModule = null; // editor.js and CodeMirror, imported at the first exercise shown
const loadEditor = () => (editorModule ??= import("./editor.js"));

const style = document.createElement("link");
style.rel = "stylesheet";
style.href = new URL("exercise.css", import.meta.url).href;
document.head.append(style);

// The exercises' Python --------------------------------------------------------------------------

const python = { state: "loading", started: null, waiting: new Map(), nextId: 1, reason: "" };
const shown = new Set(); // the exercises on the page with their editor

function setState(state, reason = "") {
  Object.assign(python, { state, reason });
  if (state === "ready" && !performance.getEntriesByName("microscale-exercise-ready").length)
    performance.mark("microscale-exercise-ready"); // benchmarks/bench_exercise.py: first Run
  shown.forEach((exercise) => exercise.python());
}

function start() {
  setState("loading");
  try {
    python.started = ownWorker((data) => {
      if (data.type === "ready") return setState("ready");
      if (data.type === "failed")
        return setState("failed", data.key ? t(data.key, data) : data.reason || "no worker");
      const request = python.waiting.get(data.id);
      python.waiting.delete(data.id);
      if (data.type === "result") request?.resolve(data.value);
      else request?.reject(Object.assign(new Error(data.message), { traceback: data.traceback }));
    });
  } catch (error) {
    setState("failed", error.message);
  }
}

class TimeLimit extends Error {}

// The reply to `request`; rejects with TimeLimit (and restarts Python) after `seconds`.
function send(request, seconds) {
  const id = python.nextId++;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      python.waiting.delete(id);
      python.started.worker.terminate();
      reject(new TimeLimit());
      start();
    }, seconds * 1000);
    const settle = (then) => (value) => {
      clearTimeout(timer);
      then(value);
    };
    python.waiting.set(id, { resolve: settle(resolve), reject: settle(reject) });
    const fn = "_microscale_grader:grade"; // lesson_plugins/grader.py, in the sources zip
    python.started.post({ type: "call", id, fn, kind: "exercise", args: { request } });
  });
}

// One exercise ----------------------------------------------------------------------------------

const codeKey = (id) => `${progress.storageKey()}.code.${id}`; // this course's own

function stored(id) {
  try {
    return localStorage.getItem(codeKey(id));
  } catch {
    return null;
  }
}

function store(id, code) {
  try {
    if (code === null) localStorage.removeItem(codeKey(id));
    else localStorage.setItem(codeKey(id), code);
  } catch {
    // no storage: the code lasts as long as the page
  }
}

function element(tag, attributes = {}, text = "") {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
  el.textContent = text;
  return el;
}

class Exercise {
  // The editor and controls of `section`, in the place of its starter <pre>.
  constructor(section, createEditor) {
    this.section = section;
    this.id = section.dataset.msExercise;
    this.data = JSON.parse(section.querySelector("template.ms-exercise-data").content.textContent);
    this.attempts = 0;
    this.busy = false;
    const starter = section.querySelector(".ms-exercise-starter");
    const focused = starter?.contains(document.activeElement);
    const title = section.querySelector(".ms-exercise-title span:last-child").textContent;
    const ui = (this.ui = element("div", { class: "ms-exercise-ui" }));
    const label = element("p", { class: "ms-exercise-label", id: `${this.id}-label` });
    label.textContent = t("exercise_editor", { title });
    const host = element("div", { class: "ms-exercise-editor" });
    const buttons = element("div", { class: "ms-exercise-buttons" });
    const button = (key, primary, onClick) => {
      const b = element(
        "button",
        { type: "button", class: "md-button md-button--primary" },
        t(key),
      );
      if (!primary) b.classList.add("ms-secondary");
      b.addEventListener("click", onClick);
      buttons.append(b);
      return b;
    };
    this.run = button("exercise_run", true, () => this.submit("run"));
    this.check = button("exercise_check", true, () => this.submit("check"));
    const extra = section.querySelector("template.ms-exercise-extra")?.content;
    this.hints = [...(extra?.querySelectorAll(".ms-exercise-hints li") ?? [])];
    this.hintsShown = 0;
    if (this.hints.length) this.hint = button("exercise_hint", false, () => this.showHint());
    this.solution = extra?.querySelector(".ms-exercise-solution");
    if (this.solution) button("exercise_solution", false, () => this.showSolution());
    button("exercise_reset", false, () => this.reset());
    this.status = element("p", { class: "ms-exercise-status", role: "status" });
    this.feedback = element("p", { class: "ms-exercise-feedback" });
    // What the code printed, and its traceback: a log, read out as it comes.
    this.output = element("pre", {
      class: "ms-exercise-output",
      role: "log",
      tabindex: "0",
      "aria-label": t("exercise_output"),
      hidden: "",
    });
    ui.append(label, host, buttons, this.status, this.feedback, this.output);
    (starter ?? section.querySelector("template")).before(ui);
    try {
      this.editor = createEditor(host, {
        doc: stored(this.id) ?? this.data.starter,
        labelledBy: label.id,
        changed: (code) => store(this.id, code === this.data.starter ? null : code),
      });
    } catch (error) {
      ui.remove(); // the static starter and its note stay
      throw error;
    }
    starter?.remove();
    section.querySelector(".ms-exercise-note")?.remove();
    if (focused) this.editor.focus();
    this.updateHint();
    if (this.passedBefore()) this.say(t("exercise_passed_before"), "passed");
    this.python();
  }

  passedBefore() {
    const lesson = document.querySelector(".ms-lesson-header[data-ms-lesson]")?.dataset.msLesson;
    return lesson ? progress.load().lessons[lesson]?.answers[this.id] === "passed" : false;
  }

  say(text, state) {
    this.status.textContent = text;
    if (state) this.section.dataset.msState = state;
  }

  // Run and Check work once the exercises' Python is ready, one run at a time.
  python() {
    const idle = python.state === "ready" && ![...shown].some((x) => x.busy);
    this.run.disabled = this.check.disabled = !idle;
    if (this.busy || this.section.dataset.msState) return;
    if (python.state === "failed") this.say(t("python_failed", { reason: python.reason }));
    else this.say(t(python.state === "ready" ? "exercise_ready" : "exercise_loading"));
  }

  async submit(action) {
    if (this.busy || python.state !== "ready") return;
    this.busy = true;
    shown.forEach((x) => x.python());
    this.say(t("exercise_running"), "running");
    this.feedback.textContent = "";
    // The page's request is JSON text, passed on as it is (JavaScript would write 1.0 as 1).
    const code = JSON.stringify(this.editor.text());
    const request = `{"action":"${action}","code":${code},${this.data.request.slice(1)}`;
    try {
      this.show(action, await send(request, this.data.time_limit));
    } catch (error) {
      if (error instanceof TimeLimit)
        this.say(t("exercise_timeout", { seconds: this.data.time_limit }), "stopped");
      else {
        console.error("microscale: the exercise's Python failed", error, error.traceback ?? "");
        this.say(t("python_error", { message: error.message }), "error");
      }
      this.output.hidden = true;
    } finally {
      this.busy = false;
      shown.forEach((x) => x.python());
    }
  }

  show(action, reply) {
    const printed = [reply.stdout, reply.stderr, reply.error].filter(Boolean).join("\n");
    this.output.textContent = printed;
    this.output.hidden = !printed;
    if (action === "check") this.attempts += 1;
    const args = { ...reply, entry: JSON.parse(this.data.request).entry };
    const said = {
      ran: "exercise_ran",
      error: reply.line ? "exercise_error" : "exercise_error_noline",
      missing: "exercise_missing",
      failed: "exercise_failed",
      raised: "exercise_raised",
      passed: "exercise_passed",
    }[reply.status];
    this.say(t(said, args), reply.status);
    this.feedback.textContent = reply.feedback;
    if (reply.status === "passed") {
      this.section.dispatchEvent(new CustomEvent("ms-passed", { bubbles: true }));
    }
  }

  updateHint() {
    if (!this.hint) return;
    this.hint.hidden = this.hintsShown === this.hints.length;
    const index = this.hintsShown + 1;
    this.hint.textContent = t("exercise_hint", { index, total: this.hints.length });
  }

  // The next hint, out of its template into a list after the controls.
  showHint() {
    const li = this.hints[this.hintsShown];
    if (!li) return;
    this.hintsShown += 1;
    this.hintList ??= element("ol", { class: "ms-exercise-hints" });
    if (!this.hintList.isConnected) this.ui.after(this.hintList);
    this.hintList.append(li);
    this.updateHint();
    li.setAttribute("tabindex", "-1");
    li.focus(); // read out, and the next Tab goes on from the hint
  }

  showSolution() {
    const left = this.data.solution_after - this.attempts;
    if (left > 0) return this.say(t("exercise_solution_after", { count: left }));
    if (!this.solution.isConnected) (this.hintList ?? this.ui).after(this.solution);
    const pre = this.solution.querySelector("pre");
    pre.setAttribute("tabindex", "0");
    pre.focus();
  }

  reset() {
    this.editor.replace(this.data.starter);
    store(this.id, null);
    this.output.hidden = true;
    this.feedback.textContent = "";
    delete this.section.dataset.msState;
    this.say(t("exercise_reset_done"));
  }
}

// Exercises on the page ------------------------------------------------------------------------

const mounting = new WeakSet();
let near = null; // the IntersectionObserver of this page's exercises not yet shown

// The exercises' Python (with the first exercise), and the editor and controls of `section` (once).
async function mount(section) {
  if (mounting.has(section)) return;
  mounting.add(section);
  near?.unobserve(section);
  if (!python.started) start(); // first: it boots while the editor loads
  try {
    const { createEditor } = await loadEditor();
    if (!section.isConnected) return; // the reader went on to another page meanwhile
    shown.add(new Exercise(section, createEditor));
  } catch (error) {
    console.error("microscale: an exercise failed to attach", error);
  }
}

onPage((root) => {
  shown.clear();
  near?.disconnect();
  near = window.IntersectionObserver
    ? new IntersectionObserver(
        (entries) => entries.forEach((entry) => entry.isIntersecting && mount(entry.target)),
        { rootMargin: "100% 0px" }, // a screen ahead, above and below
      )
    : null;
  for (const section of root.querySelectorAll(".ms-exercise:not([data-ms-attached])")) {
    section.setAttribute("data-ms-attached", "");
    const starter = section.querySelector(".ms-exercise-starter");
    if (starter) {
      const code = stored(section.dataset.msExercise); // what the editor will hold
      if (code !== null) starter.querySelector("code").textContent = code;
      starter.tabIndex = 0;
      starter.addEventListener("focusin", () => mount(section), { once: true });
    }
    if (near) near.observe(section);
    else mount(section);
  }
});
