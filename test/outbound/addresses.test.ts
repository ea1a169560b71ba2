import { describe, expect, it } from "vitest";
import { classifyAddress, formatIpv4, parseIpv4, parseIpv6 } from "../../src/outbound/addresses.ts";
import { checkTarget, isPrivateHost } from "../../src/outbound/targets.ts";

/** The range each refused address falls in (the label is checked where it matters). */
const REFUSED: [string, string][] = [
  ["0.0.0.0", "0.0.0.0/8"],
  ["0.1.2.3", "0.0.0.0/8"],
  ["10.0.0.1", "10.0.0.0/8"],
  ["100.64.0.1", "100.64.0.0/10"],
  ["100.127.255.254", "100.64.0.0/10"],
  ["100.100.100.200", "100.64.0.0/10"],
  ["127.0.0.1", "127.0.0.0/8"],
  ["127.255.255.254", "127.0.0.0/8"],
  ["169.254.169.254", "169.254.0.0/16"],
  ["172.16.0.1", "172.16.0.0/12"],
  ["172.31.255.255", "172.16.0.0/12"],
  ["192.0.0.8", "192.0.0.0/24"],
  ["192.0.2.1", "192.0.2.0/24"],
  ["192.88.99.1", "192.88.99.0/24"],
  ["192.168.1.1", "192.168.0.0/16"],
  ["198.18.0.1", "198.18.0.0/15"],
  ["198.19.255.255", "198.18.0.0/15"],
  ["198.51.100.7", "198.51.100.0/24"],
  ["203.0.113.9", "203.0.113.0/24"],
  ["224.0.0.1", "224.0.0.0/4"],
  ["239.255.255.250", "224.0.0.0/4"],
  ["240.0.0.1", "240.0.0.0/4"],
  ["255.255.255.255", "240.0.0.0/4"],
  ["::", "::/128"],
  ["::1", "::1/128"],
  ["0:0:0:0:0:0:0:1", "::1/128"],
  ["::ffff:127.0.0.1", "::ffff:0:0/96"],
  ["::ffff:7f00:1", "::ffff:0:0/96"],
  ["::ffff:a9fe:a9fe", "::ffff:0:0/96"],
  ["::ffff:0:10.0.0.1", "::ffff:0:0:0/96"],
  ["::127.0.0.1", "::/96"],
  ["::8.8.8.8", "::/96"],
  ["64:ff9b::127.0.0.1", "64:ff9b::/96"],
  ["64:ff9b::a9fe:a9fe", "64:ff9b::/96"],
  ["64:ff9b:1::1", "64:ff9b:1::/48"],
  ["100::1", "100::/64"],
  ["2001:0:4136:e378:8000:63bf:3fff:fdd2", "2001::/32"],
  ["2001:db8::1", "2001:db8::/32"],
  ["2002:7f00:1::", "2002::/16"],
  ["2002:c0a8:101::1", "2002::/16"],
  ["fc00::1", "fc00::/7"],
  ["fd00::1", "fc00::/7"],
  ["fd00:ec2::254", "fc00::/7"],
  ["fe80::1", "fe80::/10"],
  ["febf::1", "fe80::/10"],
  ["fec0::1", "fec0::/10"],
  ["ff02::1", "ff00::/8"],
];

const PUBLIC = [
  "8.8.8.8",
  "93.184.216.34",
  "100.63.255.255",
  "100.128.0.0",
  "172.15.255.255",
  "172.32.0.0",
  "198.17.255.255",
  "198.20.0.0",
  "223.255.255.255",
  "2606:4700:4700::1111",
  "2a00:1450:4001:81b::200e",
  "::ffff:8.8.8.8",
  "64:ff9b::808:808",
  "2002:808:808::1",
];

describe("the address classifier", () => {
  it.each(REFUSED)("refuses %s (in %s)", (address, range) => {
    const judged = classifyAddress(address);
    expect(judged).toMatchObject({ kind: "ip", refusal: { range } });
    expect(isPrivateHost(address)).toBe(true);
  });

  it.each(PUBLIC)("lets %s through", (address) => {
    expect(classifyAddress(address)).toEqual({ kind: "ip", refusal: undefined });
    expect(isPrivateHost(address)).toBe(false);
  });

  it("judges an IPv6 address that embeds IPv4 by that IPv4 address, and says so", () => {
    expect(classifyAddress("64:ff9b::a9fe:a9fe")).toMatchObject({
      refusal: { label: "NAT64: 169.254.169.254 is link-local, cloud metadata" },
    });
    expect(classifyAddress("2002:a00:1::")).toMatchObject({
      refusal: { label: "6to4: 10.0.0.1 is private" },
    });
  });

  it.each([
    ["127.1", "127.0.0.1"],
    ["0177.0.0.1", "127.0.0.1"],
    ["0x7f.0.0.1", "127.0.0.1"],
    ["0x7f.1", "127.0.0.1"],
    ["2130706433", "127.0.0.1"],
    ["0x7f000001", "127.0.0.1"],
    ["017700000001", "127.0.0.1"],
    ["127.0.0.1.", "127.0.0.1"],
    ["10.1", "10.0.0.1"],
    ["0", "0.0.0.0"],
    ["0x", "0.0.0.0"],
  ])("reads the IPv4 shorthand %s as %s, as the runtime's URL parser does", (short, full) => {
    expect(formatIpv4(parseIpv4(short) ?? -1)).toBe(full);
    expect(new URL(`http://${short}/`).hostname).toBe(full);
    expect(isPrivateHost(short)).toBe(true);
    expect(checkTarget(`http://${short}/`, { allowPrivate: false }).ok).toBe(false);
  });

  it("leaves host names and malformed numbers to the name rules", () => {
    for (const host of ["example.com", "1.2.3.4.5", "256.1.1.1", "1e3", "09.1.1.1", ""])
      expect(parseIpv4(host)).toBeUndefined();
    for (const host of [
      "example.com",
      "1::2::3",
      ":::",
      "12345::1",
      "1:2:3:4:5:6:7:8:9",
      "fe80::1%eth0",
    ])
      expect(parseIpv6(host)).toBeUndefined();
    expect(classifyAddress("example.com")).toEqual({ kind: "name" });
  });

  it.each([
    ["[::ffff:127.0.0.1]", "[::ffff:7f00:1]"],
    ["[0:0:0:0:0:ffff:127.0.0.1]", "[::ffff:7f00:1]"],
    ["[::127.0.0.1]", "[::7f00:1]"],
    ["[64:ff9b::127.0.0.1]", "[64:ff9b::7f00:1]"],
    ["[::0:1]", "[::1]"],
    ["[FE80::1]", "[fe80::1]"],
  ])("refuses the IPv6 literal %s, which the URL parser turns into %s", (written, canonical) => {
    const check = checkTarget(`http://${written}/`, { allowPrivate: false });
    expect(new URL(`http://${written}/`).hostname).toBe(canonical);
    expect(check.ok).toBe(false);
  });

  it.each([
    "http://metadata.google.internal/computeMetadata/v1/",
    "http://metadata.google.internal./",
    "http://metadata/",
    "http://instance-data/latest/",
    "http://instance-data.ec2.internal/",
    "http://LOCALHOST/",
    "http://ip6-localhost/",
    "http://ip6-loopback/",
    "http://localhost.localdomain/",
    "http://printer.local/",
    "http://router.home.arpa/",
    "http://[fd00:ec2::254]/latest/meta-data/",
  ])("refuses the metadata or local name %s", (url) => {
    expect(checkTarget(url, { allowPrivate: false }).ok).toBe(false);
    expect(checkTarget(url, { allowPrivate: true }).ok).toBe(true);
  });
});
