// Quizzes (the lesson's comprehension check), the lesson header's state and the course index.
// Plain DOM, no Pyodide: it works as soon as the page is shown, and again after every
// navigation.instant page swap (runtime.js onPage).
import { onPage, t } from "./runtime.js";
import * as progress from "./progress.js";

// Does `sel` (the reader's choice: "1", "0,2", or a number as typed) answer `quiz` right?
// Choice quizzes carry hash(salt:right answers); numeric ones the answer and tolerance XOR-ed
// with hash(salt:n) (see lesson_plugins/blocks/quiz.py).
function isRight(quiz, sel) {
  const { msKind: kind, msSalt: salt, msKey: key } = quiz.dataset;
  if (kind !== "numeric") return progress.hash(`${salt}:${sel}`) === key;
  const x = Number(sel);
  if (sel === "" || !Number.isFinite(x)) return false;
  const pad = progress.hash(`${salt}:n`);
  const bytes = atob(key);
  let text = "";
  for (let i = 0; i < bytes.length; i++) {
    text += String.fromCharCode(bytes.charCodeAt(i) ^ parseInt(pad.substr((i % 7) * 2, 2), 16));
  }
  const [answer, tolerance] = text.split(" ").map(Number);
  return Math.abs(x - answer) <= tolerance + 1e-9 * Math.max(1, Math.abs(answer));
}

// The quiz is a form; its feedback and explanation wait in a <template> until shown (quiz.py).
function attachQuiz(quiz, check) {
  const inputs = [...quiz.querySelectorAll("input")];
  const status = quiz.querySelector(".ms-quiz-status");
  const numeric = quiz.dataset.msKind === "numeric";
  const selection = () =>
    numeric ? inputs[0].value.trim() : inputs.filter((i) => i.checked).map((i) => i.value).join(",");

  // What the last answer copied in from the template: its feedback, the explanation.
  let shown = [];
  const show = (right) => {
    const said = [t(right ? "quiz_right" : "quiz_wrong")];
    for (const old of shown) old.remove();
    shown = [];
    // A feedback (data-ms-for: its answer) goes under its answer, the explanation under the status.
    for (const part of quiz.querySelector("template").content.children) {
      const i = part.dataset.msFor;
      if (i ? inputs[i].checked || (numeric && !right) : right) {
        const copy = part.cloneNode(true);
        shown.push(copy);
        (i ? inputs[i].parentElement : status).after(copy);
        if (i) said.push(copy.textContent.replace(/\s+/g, " ").trim());
      }
    }
    quiz.dataset.msState = right ? "right" : "wrong";
    status.textContent = said.join(" ");
  };

  const answer = () => {
    const sel = selection();
    if (sel === "") {
      status.textContent = t(numeric ? "quiz_enter_number" : "quiz_choose");
      return;
    }
    const right = isRight(quiz, sel);
    show(right);
    if (right) check.record(quiz.dataset.msQuiz, sel);
  };
  quiz.addEventListener("submit", (event) => {
    event.preventDefault();
    answer();
  });
  if (quiz.dataset.msKind === "single") quiz.addEventListener("change", answer);

  const saved = check.saved(quiz);
  if (saved !== undefined) {
    if (numeric) inputs[0].value = saved;
    else for (const input of inputs) input.checked = saved.split(",").includes(input.value);
    show(true);
  }
}

// The page's quizzes as one comprehension check; saved under the page's lesson, if it is one.
// Code exercises (assets/exercise/) say "ms-passed"; those with data-ms-check count in the check.
function attachCheck(quizzes, exercises = []) {
  const header = document.querySelector(".ms-lesson-header[data-ms-lesson]");
  const id = header?.dataset.msLesson;
  const xp = Number(header?.dataset.msXp ?? 0);
  let data = progress.load();
  if (id) {
    progress.lesson(data, id);
    progress.save(data);
  }
  let answers = id ? progress.entry(data, id).answers : Object.create(null);
  const summary = document.createElement("p");
  summary.className = "ms-quiz-summary";
  summary.setAttribute("role", "status");
  const checks = [...quizzes, ...exercises.filter((x) => x.dataset.msCheck)];
  checks.at(-1)?.after(summary);

  // A stored answer counts only when it passes the check: an answer saved before the author
  // changed which option is right, or one planted by an import, is not taken on trust.
  const savedRight = (quiz) => {
    const sel = progress.answer({ answers }, quiz.dataset.msQuiz);
    return sel !== undefined && isRight(quiz, sel) ? sel : undefined;
  };
  const update = () => {
    // A quiz counts when its stored answer passes the check; an exercise when its pass is stored.
    const passed = (c) =>
      c.dataset.msQuiz !== undefined
        ? savedRight(c) !== undefined
        : progress.answer({ answers }, c.dataset.msCheck) !== undefined;
    const right = checks.filter(passed).length;
    const done = right === checks.length;
    if (checks.length) {
      summary.textContent = t("quiz_summary", { right, total: checks.length });
      if (done && id) summary.textContent += ` ${t("quiz_complete", { xp })}`;
    }
    if (!id) return;
    const entry = progress.lesson(data, id);
    if (done && !entry.done) {
      entry.done = true;
      progress.save(data);
    }
    header.querySelector(".ms-lesson-state").textContent = entry.done ? t("lesson_done") : "";
  };
  const check = {
    saved: savedRight,
    record(quiz, sel) {
      if (id) {
        data = progress.load(); // another tab may have saved meanwhile
        answers = Object.assign(Object.create(null), answers, progress.lesson(data, id).answers);
        progress.lesson(data, id).answers = answers;
      }
      answers[quiz] = sel;
      if (id) progress.save(data);
      update();
    },
  };
  for (const quiz of quizzes) attachQuiz(quiz, check);
  for (const x of exercises)
    x.addEventListener("ms-passed", () => check.record(x.dataset.msExercise, "passed"));
  update();
}

function attachCourse(course) {
  const message = course.querySelector(".ms-course-message");
  const total = course.querySelector(".ms-course-total");
  const file = course.querySelector("[data-ms-import-file]");
  const render = () => {
    const data = progress.load();
    let earned = 0;
    for (const item of course.querySelectorAll("[data-ms-lesson]")) {
      const entry = progress.entry(data, item.dataset.msLesson);
      const state = entry?.done ? "done" : entry ? "started" : "not_started";
      if (entry?.done) earned += Number(item.dataset.msXp);
      item.dataset.msState = state;
      item.querySelector(".ms-course-state").textContent = t(`course_${state}`);
      const exercises = item.dataset.msExercises?.split(" ") ?? [];
      const passed = exercises.filter((x) => entry?.answers[x] === "passed").length;
      if (exercises.length)
        item.querySelector(".ms-course-state").textContent +=
          ` · ${t("course_exercises", { passed, total: exercises.length })}`;
    }
    total.textContent = t("course_total", { earned, total: total.dataset.msTotal });
  };
  course.querySelector("[data-ms-export]").addEventListener("click", () => {
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([progress.exportText()], { type: "application/json" }));
    link.download = "microscale-progress.json";
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  });
  course.querySelector("[data-ms-import]").addEventListener("click", () => file.click());
  file.addEventListener("change", async () => {
    const text = file.files[0] ? await file.files[0].text() : "";
    const outcome = progress.importText(text);
    message.textContent = t(
      { imported: "course_imported", invalid: "course_import_failed" }[outcome] ??
        "course_import_not_saved",
    );
    file.value = "";
    render();
  });
  course.querySelector("[data-ms-reset]").addEventListener("click", () => {
    if (!window.confirm(t("course_reset_confirm"))) return;
    progress.reset();
    message.textContent = t("course_reset_done");
    render();
  });
  render();
}

onPage(() => {
  const quizzes = [...document.querySelectorAll(".ms-quiz[data-ms-quiz]:not([data-ms-attached])")];
  const header = document.querySelector(".ms-lesson-header:not([data-ms-attached])");
  const exercises = [...document.querySelectorAll(".ms-exercise:not([data-ms-counted])")];
  for (const el of [...quizzes, header]) el?.setAttribute("data-ms-attached", "");
  for (const el of exercises) el.setAttribute("data-ms-counted", "");
  if (quizzes.length || header || exercises.length) attachCheck(quizzes, exercises);
  if (exercises.length) import("./exercise/exercise.js"); // the editor: only where needed
  for (const course of document.querySelectorAll(".ms-course:not([data-ms-attached])")) {
    course.setAttribute("data-ms-attached", "");
    attachCourse(course);
  }
});
