// Small helpers shared by the widget modules: Python-compatible number text, and elements.

// repr(float) as Python writes it: shortest round-trip digits, exponent below 1e-4 and from 1e16.
export function pyRepr(value) {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return Object.is(value, -0) ? "-0.0" : "0.0";
  const [digits, exp] = value.toExponential().split("e");
  const e = Number(exp);
  if (e < -4 || e >= 16) {
    return `${digits}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  }
  const text = value.toFixed(Math.max(0, digits.replace(/[-.]/g, "").length - 1 - e));
  return text.includes(".") ? text : `${text}.0`;
}

// format(value, spec) for the specs lesson_plugins/formats.py accepts: [,][.N](f|e|g|%).
export function formatNumber(value, spec) {
  const m = /^(,?)(?:\.(\d+))?([efg%])$/.exec(spec || ".4g");
  const [, comma, digits, type] = m;
  const p = digits === undefined ? 6 : Number(digits);
  let text;
  if (type === "f") text = fixed(value, p);
  else if (type === "%") text = `${fixed(value * 100, p)}%`;
  else if (type === "e") text = exponent(value.toExponential(p));
  else text = general(value, Math.max(p, 1));
  return comma ? group(text) : text;
}

// toFixed rounds an exact tie (0.125 to 2 places) away from zero; Python rounds it to even.
function fixed(value, p) {
  const text = value.toFixed(p);
  if (Math.abs(value) >= 1e21) return text;
  const exact = Math.abs(value).toFixed(Math.min(100, p + 30));
  const cut = exact.length - Math.min(100, p + 30) + p; // the end of the first p decimals
  if (!/^50*$/.test(exact.slice(cut).replace(".", ""))) return text;
  const kept = exact.slice(0, cut).replace(/\.$/, "");
  return Number(kept.at(-1)) % 2 ? text : `${value < 0 ? "-" : ""}${kept}`;
}

function exponent(text) {
  return text.replace(/e([+-])(\d)$/, "e$10$2"); // Python writes at least two exponent digits
}

function general(value, p) {
  if (value === 0) return "0";
  const e = Number(value.toExponential(p - 1).split("e")[1]);
  const strip = (s) => (s.includes(".") ? s.replace(/\.?0+$/, "") : s);
  if (e < -4 || e >= p) {
    const [mantissa, exp] = value.toExponential(p - 1).split("e");
    return exponent(`${strip(mantissa)}e${exp}`);
  }
  return strip(value.toFixed(p - 1 - e));
}

function group(text) {
  return text.replace(
    /^(-?)(\d+)/,
    (_, sign, whole) => sign + whole.replace(/\B(?=(\d{3})+$)/g, ","),
  );
}

// el("tr", {class: "ms-bar"}, "text", child...) -> an element.
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}
