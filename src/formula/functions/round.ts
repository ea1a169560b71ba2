/**
 * round(x[, digits]): half away from zero on the decimal value as written, so
 * round(1.005, 2) = 1.01 even though the double nearest 1.005 is a hair
 * below it. The shortest decimal string of x (what JavaScript prints) is
 * rounded digit by digit, then read back as a number.
 */

/** Rounds `x` to `digits` decimal places (negative digits round to tens, hundreds, …). */
export function roundDecimal(x: number, digits: number): number {
  if (x === 0 || !Number.isFinite(x)) return x === 0 ? 0 : x;
  const [mantissa, exponentText] = Math.abs(x).toString().split("e");
  const [whole = "", fraction = ""] = (mantissa ?? "").split(".");
  const all = whole + fraction;
  const leadingZeros = all.length - all.replace(/^0+/, "").length;
  const significant = all.slice(leadingZeros);
  // `pointAt`: how many of the significant digits stand before the decimal point.
  const pointAt = whole.length - leadingZeros + Number(exponentText ?? 0);
  const keep = pointAt + digits;
  if (keep >= significant.length) return x;
  if (keep < 0) return 0;
  let kept = significant.slice(0, keep);
  if (significant.charCodeAt(keep) >= 53) kept = increment(kept);
  if (kept === "" || /^0*$/.test(kept)) return 0;
  const magnitude = Number(`${kept}e${-digits}`);
  return x < 0 ? -magnitude : magnitude;
}

/** Adds one to a string of decimal digits ("" counts as 0). */
function increment(digits: string): string {
  const chars = digits.split("");
  for (let i = chars.length - 1; i >= 0; i--) {
    if (chars[i] !== "9") {
      chars[i] = String(Number(chars[i]) + 1);
      return chars.join("");
    }
    chars[i] = "0";
  }
  return `1${chars.join("")}`;
}
