// Data filter: a temperature in kelvin in (as text), the same text out when it is a plausible
// reading, between 173.15 K and 373.15 K (-100 °C to 100 °C); anything else is a measurement
// error and gives "", which pelato does not publish: the reading is dropped.

const MIN_KELVIN = 173.15;
const MAX_KELVIN = 373.15;

export function exec_task(input: string): string {
  const kelvin = parseReading(input);
  if (kelvin >= MIN_KELVIN && kelvin <= MAX_KELVIN) return input; // unchanged; NaN fails both
  return "";
}

// The number in `text` (as in convert.ts: a task is one file) (surrounding whitespace allowed), or NaN when it is not exactly a
// decimal number: parseFloat alone would take "21.5abc" as 21.5.
function parseReading(text: string): f64 {
  const s = text.trim();
  let i = 0;
  if (i < s.length && (s.charAt(i) == "-" || s.charAt(i) == "+")) ++i;
  const start = i;
  while (i < s.length && isDigit(s, i)) ++i;
  let digits = i - start;
  if (i < s.length && s.charAt(i) == ".") {
    ++i;
    const fractionStart = i;
    while (i < s.length && isDigit(s, i)) ++i;
    digits += i - fractionStart;
  }
  if (digits == 0) return NaN;
  if (i < s.length && (s.charAt(i) == "e" || s.charAt(i) == "E")) {
    ++i;
    if (i < s.length && (s.charAt(i) == "-" || s.charAt(i) == "+")) ++i;
    const exponentStart = i;
    while (i < s.length && isDigit(s, i)) ++i;
    if (i == exponentStart) return NaN;
  }
  if (i != s.length) return NaN;
  const value = parseFloat(s);
  return isFinite(value) ? value : NaN;
}

function isDigit(s: string, i: i32): bool {
  const c = s.charCodeAt(i);
  return c >= 0x30 && c <= 0x39; // '0'..'9'
}
