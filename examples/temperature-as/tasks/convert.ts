// Temp data conversion: a reading in degrees Celsius in (as text, e.g. "21.5"), the same
// reading in kelvin out with two decimals ("294.65"). Input that is not a number gives "",
// which pelato does not publish: the reading is dropped.

export function exec_task(input: string): string {
  const celsius = parseReading(input);
  if (isNaN(celsius)) return "";
  return withTwoDecimals(celsius + 273.15);
}

// AssemblyScript has no toFixed: round to hundredths and print the two parts.
function withTwoDecimals(value: f64): string {
  const hundredths = <i64>Math.round(Math.abs(value) * 100);
  const fraction = <i32>(hundredths % 100);
  const sign = value < 0 && hundredths != 0 ? "-" : "";
  return sign + (hundredths / 100).toString() + "." + (fraction < 10 ? "0" : "") + fraction.toString();
}

// The number in `text` (surrounding whitespace allowed), or NaN when it is not exactly a
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
