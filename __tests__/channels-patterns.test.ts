import { memberBucket, memberKey, segmentRange } from "../lambdas/channels/members";
import { grantAllows, isChannelPattern, patternAllows } from "../lambdas/contract/channels";
import { MEMBER_BUCKETS } from "../lambdas/contract/table-schema";

describe("channel patterns (a token's channels claim)", () => {
  test.each([
    // `*` is exactly one segment
    ["room/*", "room/a", true],
    ["room/*", "room", false],
    ["room/*", "room/a/b", false],
    ["*/news", "team-7/news", true],
    ["*/news", "news", false],
    ["*", "room", true],
    ["*", "room/a", false],
    // a last `/**` is one or more segments, never none
    ["room/**", "room/a", true],
    ["room/**", "room/a/b/c", true],
    ["room/**", "room", false],
    ["room/**", "rooms/a", false],
    ["*/a/**", "x/a/b", true],
    ["*/a/**", "x/a", false],
    // `**` alone: every channel
    ["**", "a", true],
    ["**", "a/b/c", true],
    // literals are exact and case-sensitive
    ["room/a", "room/a", true],
    ["room/a", "room/A", false],
    ["room/a", "room/a/b", false],
  ])("%s allows %s: %s", (pattern, channel, allowed) => {
    expect(isChannelPattern(pattern)).toBe(true);
    expect(patternAllows(pattern, channel)).toBe(allowed);
  });

  test("`**` only as the last segment or alone; empty segments and other characters are not patterns", () => {
    for (const bad of ["room/**/a", "**/a", "room/*x", "room//*", "", "room/", "a b", "x".repeat(129)]) expect(isChannelPattern(bad)).toBe(false);
  });

  test("a grant: open allows everything; claims allow what any pattern allows; no patterns allow nothing", () => {
    expect(grantAllows({ open: true }, "any/thing")).toBe(true);
    const claims = { open: false, patterns: ["room/*", "news/**"] } as const;
    expect(grantAllows(claims, "room/a")).toBe(true);
    expect(grantAllows(claims, "news/eu/de")).toBe(true);
    expect(grantAllows(claims, "room/a/b")).toBe(false);
    expect(grantAllows({ open: false, patterns: [] }, "room/a")).toBe(false);
  });
});

describe("member buckets and segment ranges", () => {
  test("a bucket is 000-999, stable per id, and the member key sorts by it", () => {
    const ids = Array.from({ length: 5000 }, (_, i) => `id-${i}AbC=`);
    const buckets = ids.map(memberBucket);
    for (const bucket of buckets) expect(bucket).toMatch(/^\d{3}$/);
    expect(memberBucket(ids[0])).toBe(buckets[0]);
    expect(memberKey(ids[0])).toBe(`${buckets[0]}#${ids[0]}`);
    // a hash spreads members evenly: no bucket holds many more than its share (5 each)
    const counts = new Map<string, number>();
    for (const bucket of buckets) counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
    expect(Math.max(...counts.values())).toBeLessThan(20);
  });

  test.each([1, 2, 3, 7, 64, 999, MEMBER_BUCKETS])("%i segments cover every bucket exactly once, in order", (totalSegments) => {
    const owner = new Map<number, number>();
    for (let segment = 0; segment < totalSegments; segment += 1) {
      const { from, to } = segmentRange({ segment, totalSegments });
      expect(from).toMatch(/^\d{3}#$/);
      expect(to).toMatch(/^\d{3}\$$/);
      for (let bucket = Number(from.slice(0, 3)); bucket <= Number(to.slice(0, 3)); bucket += 1) {
        expect(owner.has(bucket)).toBe(false);
        owner.set(bucket, segment);
      }
    }
    expect(owner.size).toBe(MEMBER_BUCKETS);
  });

  test("a range's bounds hold exactly its buckets' keys (`#` < any id, `$` right after `#`)", () => {
    const { from, to } = segmentRange({ segment: 1, totalSegments: 10 });
    expect([from, to]).toEqual(["100#", "199$"]);
    const inRange = (key: string) => key >= from && key <= to;
    expect(inRange("100#AAAA=")).toBe(true);
    expect(inRange("199#zzzz=")).toBe(true);
    expect(inRange("099#zzzz=")).toBe(false);
    expect(inRange("200#0000=")).toBe(false);
  });
});
