import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonBytes, utf8Bytes } from "../../src/spec/index.ts";

const encoded = (text: string) => new TextEncoder().encode(text).byteLength;

describe("byte counts", () => {
  it("count UTF-8 bytes, not UTF-16 units: 1, 2, 3 and 4 bytes per character", () => {
    expect(utf8Bytes("a")).toBe(1);
    expect(utf8Bytes("é")).toBe(2);
    expect(utf8Bytes("€")).toBe(3);
    expect(utf8Bytes("😀")).toBe(4);
    expect(jsonBytes({ s: "€".repeat(10) })).toBe(38);
  });

  it("agree with TextEncoder on any string, lone surrogates included", () => {
    const unit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 64 }), fc.string({ unit: "binary" }), (a, b) => {
        expect(utf8Bytes(a + b)).toBe(encoded(a + b));
        expect(jsonBytes({ a, b })).toBe(encoded(JSON.stringify({ a, b })));
      }),
      { numRuns: 200 },
    );
  });
});
