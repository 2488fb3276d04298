import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { listSiteFiles } from "../src/front-door/site-files";
import { useLocalGateway } from "./support/local-gateway";

// A site folder with what must never be published next to what must.
const root = mkdtempSync(join(tmpdir(), "wscf-site-"));
const site = join(root, "site");
mkdirSync(join(site, "docs"), { recursive: true });
writeFileSync(join(site, "index.html"), "<html>home</html>");
writeFileSync(join(site, "docs", "index.html"), "<html>docs</html>");
writeFileSync(join(site, ".env"), "SECRET=1");
writeFileSync(join(root, "outside.txt"), "outside the site folder");
symlinkSync(join(root, "outside.txt"), join(site, "escape.txt"));
symlinkSync(join(site, "index.html"), join(site, "alias.html"));

const gateway = useLocalGateway({ siteDir: site });
afterAll(() => rmSync(root, { recursive: true, force: true }));

const get = (path: string) => fetch(`${gateway.server.url}${path}`);

describe("local gateway: the site as CloudFront + S3 (OAC) serve it", () => {
  test("R1 serves exactly the files the bucket gets (listSiteFiles), each with its content", async () => {
    const published = listSiteFiles(site).files.map((f) => f.key);
    expect(published).toEqual(["docs/index.html", "index.html"]);
    for (const key of published) {
      const res = await get(`/${key}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    }
    await expect((await get("/docs/index.html")).text()).resolves.toBe("<html>docs</html>");
  });

  test("a symbolic link is never followed, not even out of the folder, and a dot file is never served", async () => {
    for (const path of ["/escape.txt", "/alias.html", "/.env"]) {
      const res = await get(path);
      expect(res.status).toBe(403);
      expect(await res.text()).not.toMatch(/outside|SECRET|home/);
    }
  });

  test("the default root object answers / only: a sub-folder or a missing key is S3's 403 AccessDenied", async () => {
    await expect((await get("/")).text()).resolves.toBe("<html>home</html>");
    for (const path of ["/docs/", "/docs", "/missing.html", "/%2e%2e/outside.txt"]) {
      const res = await get(path);
      expect(res.status).toBe(403);
      expect(res.headers.get("content-type")).toBe("application/xml");
      expect(await res.text()).toMatch(/<Code>AccessDenied<\/Code>/);
    }
  });
});
