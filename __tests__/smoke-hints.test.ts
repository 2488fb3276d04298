import { hintFor } from "../dev/smoke/hints";

describe("smoke hints: the known causes of a failed check", () => {
  test("R3 R4 a plain 403 points at Host forwarding and the custom domain name", () => {
    expect(hintFor({ status: 403, message: "Forbidden" })).toMatch(/Host is not forwarded.*custom domain of exactly this name/);
  });

  test("R4 Missing Authentication Token points at the Authorization header", () => {
    expect(hintFor({ status: 403, errorName: "ForbiddenException", message: "Missing Authentication Token" })).toMatch(
      /forward Authorization/,
    );
  });

  test("R4 a signature mismatch points at a rewritten Host", () => {
    const message =
      "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.";
    expect(hintFor({ status: 403, errorName: "InvalidSignatureException", message })).toMatch(/Host header was rewritten/);
  });

  test("R6 a 301 points at the viewer protocol policy", () => {
    expect(hintFor({ status: 301 })).toMatch(/redirect-to-https.*https-only or allow-all/);
  });

  test("close code 1009 says the message was too big", () => {
    expect(hintFor({ closeCode: 1009, message: "the socket closed (1009)" })).toMatch(/Message Too Big.*128 KB/);
  });

  test("R8 an unresolvable name points at the alias records", () => {
    expect(hintFor({ errorName: "TypeError", message: "fetch failed ENOTFOUND" })).toMatch(/Route 53 alias/);
  });

  test("an unknown failure gets no invented hint", () => {
    expect(hintFor({ status: 500, message: "Internal server error" })).toBeUndefined();
  });
});
