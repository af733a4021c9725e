// Small helpers shared by the widget modules: Python-compatible number text, the precomputed
// table's layout, and elements. Pure functions (tests/contract runs them under Node and compares
// every answer with Python's).

// repr(float) as Python writes it: the shortest digits that read back as the same double (as
// JavaScript's own), fixed from 1e-4 to below 1e16, else with an exponent of at least two digits.
export function pyRepr(value) {
  if (Number.isNaN(value)) return "nan";
  if (!Number.isFinite(value)) return value < 0 ? "-inf" : "inf";
  const sign = value < 0 || Object.is(value, -0) ? "-" : "";
  const [mantissa, exp] = Math.abs(value).toExponential().split("e");
  const digits = mantissa.replace(".", "");
  const e = Number(exp);
  if (e < -4 || e >= 16) return `${sign}${mantissa}${exponent(e)}`;
  if (e < 0) return `${sign}0.${"0".repeat(-e - 1)}${digits}`;
  return `${sign}${digits.slice(0, e + 1).padEnd(e + 1, "0")}.${digits.slice(e + 1) || "0"}`;
}

// format(value, spec) as Python writes it, for the specs lesson_plugins/formats.py accepts:
// [,][.N](f|e|g|%). Python rounds the exact binary value of the double half to even (0.25 is
// exact, a true tie: ".1f" gives "0.2"; 0.35 is a little below 0.35: "0.3"), writes every digit
// of a large number (1e21 with ",.0f" is 1,000,000,000,000,000,000,000) and keeps the sign of
// a negative zero ("-0.0"). Number.prototype.toFixed does none of these, so the digits come from
// the exact decimal expansion of the double, in BigInt.
export function formatNumber(value, spec) {
  const m = /^(,?)(?:\.(\d+))?([efg%])$/.exec(spec);
  if (!m) throw new Error(`microscale: unsupported number format ${JSON.stringify(spec)}`);
  const [, comma, digits, type] = m;
  const precision = digits === undefined ? 6 : Number(digits);
  const x = type === "%" ? value * 100 : value; // Python multiplies the double by 100 too
  const negative = x < 0 || Object.is(x, -0);
  let text;
  if (Number.isNaN(x)) text = "nan";
  else if (!Number.isFinite(x)) text = "inf";
  else if (type === "e") text = scientific(Math.abs(x), precision);
  else if (type === "g") text = general(Math.abs(x), Math.max(precision, 1));
  else text = fixed(Math.abs(x), precision);
  if (comma) text = text.replace(/^\d+/, (whole) => whole.replace(/\B(?=(\d{3})+$)/g, ","));
  return `${negative ? "-" : ""}${text}${type === "%" ? "%" : ""}`;
}

const bits = new DataView(new ArrayBuffer(8));

// A finite double x >= 0 as [digits, scale]: x = digits / 10**scale exactly (x = m * 2**e with a
// whole m, and 2**-n = 5**n / 10**n).
function exact(x) {
  bits.setFloat64(0, x);
  const high = bits.getUint32(0);
  const biased = high >>> 20;
  let m = (BigInt(high & 0xfffff) << 32n) | BigInt(bits.getUint32(4));
  if (biased) m |= 1n << 52n; // a normal number's implicit leading bit
  const e = biased ? biased - 1075 : -1074;
  return e >= 0 ? [m << BigInt(e), 0] : [m * 5n ** BigInt(-e), -e];
}

// n / d rounded to a whole number, a tie to the even neighbour.
function divide(n, d) {
  const q = n / d;
  const twice = 2n * (n % d);
  return twice > d || (twice === d && q % 2n === 1n) ? q + 1n : q;
}

// x >= 0 with p decimals.
function fixed(x, p) {
  const [digits, scale] = exact(x);
  const n =
    p >= scale ? digits * 10n ** BigInt(p - scale) : divide(digits, 10n ** BigInt(scale - p));
  const text = n.toString().padStart(p + 1, "0");
  return p ? `${text.slice(0, -p)}.${text.slice(-p)}` : text;
}

// x >= 0 rounded to n significant digits: [their text, the power of ten of the first one].
function significant(x, n) {
  if (x === 0) return ["0".repeat(n), 0];
  const [digits, scale] = exact(x);
  const length = digits.toString().length;
  const drop = length - n;
  let rounded = drop > 0 ? divide(digits, 10n ** BigInt(drop)) : digits * 10n ** BigInt(-drop);
  let power = length - 1 - scale;
  if (rounded.toString().length > n) {
    rounded /= 10n; // 99.96 to 3 digits is 100.0: 10**n exactly
    power += 1;
  }
  return [rounded.toString(), power];
}

function exponent(power) {
  return `e${power < 0 ? "-" : "+"}${String(Math.abs(power)).padStart(2, "0")}`;
}

function scientific(x, p) {
  const [d, power] = significant(x, p + 1);
  return `${d[0]}${p ? `.${d.slice(1)}` : ""}${exponent(power)}`;
}

// Python's "g": p significant digits, fixed when -4 <= exponent < p, trailing zeros dropped.
function general(x, p) {
  const [d, power] = significant(x, p);
  const strip = (whole, fraction) => {
    const kept = fraction.replace(/0+$/, "");
    return kept ? `${whole}.${kept}` : whole;
  };
  if (power < -4 || power >= p) return strip(d[0], d.slice(1)) + exponent(power);
  if (power < 0) return strip("0", "0".repeat(-power - 1) + d);
  return strip(d.slice(0, power + 1), d.slice(power + 1));
}

// A slider's grid (lesson_plugins/formats.py): how many values min, min + step, ... max holds, and
// the position of `value` on it. The browser steps <input type=range> in decimal arithmetic, as
// formats.grid does, so both quotients are whole numbers up to the rounding of the doubles.
export function gridCount(min, max, step) {
  return Math.round((max - min) / step) + 1;
}

export function gridPosition(value, min, step) {
  return Math.round((value - min) / step);
}

// The result at one combination of control positions, from a precomputed table as
// lesson_plugins/widgets.py writes it: {common, each}, each in row-major order (widgets.index).
export function precomputed(states, positions, counts) {
  const index = positions.reduce((i, position, k) => i * counts[k] + position, 0);
  return { ...states.common, ...states.each[index] };
}

// el("li", {class: "ms-bar"}, "text", child...) -> an element.
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}
