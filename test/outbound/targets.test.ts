import { describe, expect, it } from "vitest";
import { checkTarget, isAddressLiteral, isPrivateHost } from "../../src/outbound/targets.ts";
import { hostAllowed, urlHost } from "../../src/spec/index.ts";

const closed = { allowPrivate: false };

describe("outbound targets", () => {
  it.each([
    "http://127.0.0.1/x",
    "http://localhost:8080/",
    "http://app.localhost/",
    "http://10.1.2.3/",
    "http://172.16.0.1/",
    "http://192.168.1.1/",
    "http://169.254.169.254/latest/meta-data",
    "http://metadata.google.internal/",
    "http://100.64.0.1/",
    "http://0.0.0.0/",
    "http://[::1]/",
    "http://[fd00::1]/",
    "http://[fe80::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:a9fe:a9fe]/",
    "http://2130706433/",
    "http://0x7f000001/",
    // Any number of trailing dots names the same host.
    "http://localhost../",
    "http://LOCALHOST./",
    "http://localhost.%2e/",
    "http://app.localhost.../",
    "http://metadata.google.internal../",
    "http://127.0.0.1../",
    "http://10.0.0.1.../",
    "http://0x7f.1../",
  ])("refuses %s unless private targets are allowed", (url) => {
    const refused = checkTarget(url, closed);
    expect(refused.ok).toBe(false);
    expect(checkTarget(url, { allowPrivate: true }).ok).toBe(true);
  });

  it.each([
    "ftp://example.com/",
    "file:///etc/passwd",
    "javascript:alert(1)",
    "not a url",
    "http://user:pw@example.com/",
  ])("refuses %s whatever the switch", (url) => {
    expect(checkTarget(url, { allowPrivate: true }).ok).toBe(false);
  });

  it("allows public hosts, and allow_hosts narrows them", () => {
    expect(checkTarget("https://erp.example/orders", closed)).toMatchObject({ ok: true });
    expect(checkTarget("https://8.8.8.8/", closed).ok).toBe(true);
    const narrowed = checkTarget("https://other.example/", {
      ...closed,
      allowHosts: ["erp.example"],
    });
    expect(narrowed).toEqual({ ok: false, reason: "host other.example is not in allow_hosts" });
    // The same patterns as guard.allow_hosts: `*.domain` admits its subdomains only.
    const pattern = { ...closed, allowHosts: ["*.hooks.example"] };
    expect(checkTarget("https://a.hooks.example/", pattern).ok).toBe(true);
    expect(checkTarget("https://hooks.example/", pattern).ok).toBe(false);
    expect(isPrivateHost("example.com")).toBe(false);
  });

  it("compare host names without their trailing dots, however many", () => {
    expect(isPrivateHost("localhost..")).toBe(true);
    expect(isAddressLiteral("127.0.0.1..")).toBe(true);
    expect(urlHost("https://ERP.example../x")).toBe("erp.example");
    expect(hostAllowed("erp.example..", ["erp.example"])).toBe(true);
    expect(hostAllowed("a.hooks.example.", ["*.hooks.example"])).toBe(true);
    expect(hostAllowed("hooks.example..", ["*.hooks.example"])).toBe(false);
    const allowed = { ...closed, allowHosts: ["erp.example"] };
    expect(checkTarget("https://erp.example../orders", allowed).ok).toBe(true);
    // A host of dots only names nothing.
    expect(checkTarget("http://./", closed).ok).toBe(false);
  });
});
