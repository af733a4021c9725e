// Code exercises (lesson_plugins/blocks/exercise.py): an editor, Run and Check, hints, the
// solution, Reset. Loaded by quiz.js only on a page that has an exercise.
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
import { createEditor } from "./editor.js";

const style = document.createElement("link");
style.rel = "stylesheet";
style.href = new URL("exercise.css", import.meta.url).href;
document.head.append(style);

// The exercises' Python --------------------------------------------------------------------------

const python = { state: "loading", started: null, waiting: new Map(), nextId: 1, reason: "" };
const shown = new Set(); // the exercises on the page shown

function setState(state, reason = "") {
  Object.assign(python, { state, reason });
  if (state === "ready" && !performance.getEntriesByName("microscale-exercise-ready").length)
    performance.mark("microscale-exercise-ready"); // benchmarks/bench_site.py: first possible Run
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
  constructor(section) {
    this.section = section;
    this.id = section.dataset.msExercise;
    this.data = JSON.parse(section.querySelector("template.ms-exercise-data").content.textContent);
    this.attempts = 0;
    this.busy = false;
    for (const el of section.querySelectorAll(".ms-exercise-starter, .ms-exercise-note"))
      el.hidden = true;
    const title = section.querySelector(".ms-exercise-title span:last-child").textContent;
    const ui = element("div", { class: "ms-exercise-ui" });
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
    this.hints = [...section.querySelectorAll(".ms-exercise-hints li")];
    if (this.hints.length) this.hint = button("exercise_hint", false, () => this.showHint());
    this.solution = section.querySelector(".ms-exercise-solution");
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
    section.querySelector(".ms-exercise-hints, .ms-exercise-solution, template")?.before(ui);
    this.editor = createEditor(host, {
      doc: stored(this.id) ?? this.data.starter,
      labelledBy: label.id,
      changed: (code) => store(this.id, code === this.data.starter ? null : code),
    });
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
    const next = this.hints.findIndex((li) => li.hidden);
    this.hint.hidden = next < 0;
    this.hint.textContent = t("exercise_hint", { index: next + 1, total: this.hints.length });
  }

  showHint() {
    const li = this.hints.find((hint) => hint.hidden);
    if (!li) return;
    li.hidden = false;
    li.closest("ol").classList.add("ms-shown");
    this.updateHint();
    li.setAttribute("tabindex", "-1");
    li.focus(); // read out, and the next Tab goes on from the hint
  }

  showSolution() {
    const left = this.data.solution_after - this.attempts;
    if (left > 0) return this.say(t("exercise_solution_after", { count: left }));
    this.solution.hidden = false;
    this.solution.querySelector("pre").setAttribute("tabindex", "0");
    this.solution.querySelector("pre").focus();
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

onPage((root) => {
  shown.clear();
  for (const section of root.querySelectorAll(".ms-exercise:not([data-ms-attached])")) {
    section.setAttribute("data-ms-attached", "");
    try {
      shown.add(new Exercise(section));
    } catch (error) {
      console.error("microscale: an exercise failed to attach", error);
      section.querySelector(".ms-exercise-note")?.removeAttribute("hidden");
    }
  }
  if (shown.size && !python.started) start();
});
