import { hintFor } from "../tools/smoke/hints";

const signed = { region: "ap-northeast-1" };

describe("smoke hints: the known causes of a failed check", () => {
  test("R3 R4 a plain 403 points at Host forwarding and the custom domain name", () => {
    expect(hintFor({ request: "connections", status: 403, message: "Forbidden" }, signed)).toMatch(/Host is not forwarded.*custom domain of exactly this name/);
  });

  test("R4 Missing Authentication Token points at the Authorization header", () => {
    expect(hintFor({ status: 403, errorName: "ForbiddenException", message: "Missing Authentication Token" }, signed)).toMatch(/forward Authorization/);
  });

  test("a credential scoped to the wrong region names the region it was signed for and --region", () => {
    const message = "Credential should be scoped to a valid region, not 'ap-northeast-1'. ";
    const hint = hintFor({ request: "connections", status: 403, errorName: "ForbiddenException", message }, signed);
    expect(hint).toMatch(/wrong signing region: the calls were signed for ap-northeast-1.*pass --region/);
    expect(hint).not.toMatch(/Host/);
  });

  test("R4 a signature mismatch names the signing region first, then a rewritten Host", () => {
    const message = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.";
    expect(hintFor({ status: 403, errorName: "InvalidSignatureException", message }, signed)).toMatch(
      /signed for ap-northeast-1\): if the API is in another region, pass --region.*otherwise the Host header was rewritten/,
    );
  });

  test("R6 a 301 points at the viewer protocol policy", () => {
    expect(hintFor({ status: 301 }, signed)).toMatch(/redirect-to-https.*https-only or allow-all/);
  });

  test("R1 a 404 on the page points at the site bucket; on the handshake, at the mapping key and path pattern", () => {
    expect(hintFor({ request: "page", status: 404 }, signed)).toMatch(/not in the site bucket/);
    const handshake = hintFor({ request: "handshake", status: 404 }, signed);
    expect(handshake).toMatch(/did not reach the WebSocket API; --mapping-key.*path pattern/);
    expect(handshake).not.toMatch(/bucket/);
  });

  test("close code 1009 says the message was too big", () => {
    expect(hintFor({ closeCode: 1009, message: "the socket closed (1009)" }, signed)).toMatch(/Message Too Big.*128 KB/);
  });

  test("R8 an unresolvable name points at the alias records", () => {
    expect(hintFor({ errorName: "TypeError", message: "fetch failed ENOTFOUND" }, signed)).toMatch(/Route 53 alias/);
  });

  test("an unknown failure gets no invented hint", () => {
    expect(hintFor({ status: 500, message: "Internal server error" }, signed)).toBeUndefined();
  });
});
