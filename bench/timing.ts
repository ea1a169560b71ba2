/**
 * Timing helpers. Every implementation under test is called through the same
 * call site in `loop`, so once warmed up with all of them that site is
 * megamorphic and no implementation is inlined into the loop — each pays for
 * a real call, as a service calling a compiled formula does.
 */

/** Something that keeps results alive so V8 cannot drop the work. */
export const sink = { value: 0 };

/** The median of a list of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? 0)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Calls `fn` on inputs[i % inputs.length] `iterations` times, consuming every result. */
function loop<T>(fn: (input: T) => unknown, inputs: readonly T[], iterations: number): void {
  const mask = inputs.length - 1;
  let total = 0;
  for (let i = 0; i < iterations; i++) {
    const result = fn(inputs[i & mask] as T);
    total += typeof result === "number" ? result : result === true ? 1 : 0;
  }
  sink.value += total;
}

/** Runs `fn` enough times to get past the interpreter and compilers. */
export function warm<T>(
  fn: (input: T) => unknown,
  inputs: readonly T[],
  iterations = 200_000,
): void {
  loop(fn, inputs, iterations);
}

/**
 * Nanoseconds per call of `fn`: the median of `runs` timed runs, each sized to
 * take about `targetMs`. `inputs.length` must be a power of two.
 */
export function nsPerCall<T>(
  fn: (input: T) => unknown,
  inputs: readonly T[],
  runs = 7,
  targetMs = 40,
): number {
  let iterations = 1024;
  for (;;) {
    const start = performance.now();
    loop(fn, inputs, iterations);
    const elapsed = performance.now() - start;
    if (elapsed >= targetMs / 4 || iterations >= 1 << 26) {
      iterations = Math.max(1024, Math.round((iterations * targetMs) / Math.max(elapsed, 0.001)));
      break;
    }
    iterations *= 4;
  }
  const samples: number[] = [];
  for (let run = 0; run < runs; run++) {
    const start = performance.now();
    loop(fn, inputs, iterations);
    samples.push(((performance.now() - start) * 1e6) / iterations);
  }
  return median(samples);
}

/** Milliseconds of one call of `action`: the median of `runs`. */
export function msPerRun(action: () => unknown, runs = 5): number {
  const samples: number[] = [];
  for (let run = 0; run < runs; run++) {
    const start = performance.now();
    const result = action();
    samples.push(performance.now() - start);
    if (Array.isArray(result)) sink.value += result.length;
  }
  return median(samples);
}
