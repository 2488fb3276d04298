import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { RUN_TS } from "./support/cli-process";

const ROOT = resolve(__dirname, "..");

/**
 * A project of its own with the two scripts run-ts.cjs is made of, the repository's node_modules, and a
 * tool (tools/hello.ts) that imports a project file (src/greet.ts) and an ES-module-only package (jose).
 */
function scratchProject(): string {
  const dir = mkdtempSync(join(tmpdir(), "wscf-run-ts-"));
  mkdirSync(join(dir, "tools", "scripts"), { recursive: true });
  mkdirSync(join(dir, "src"));
  for (const script of ["run-ts.cjs", "local-bundle.cjs"]) cpSync(join(ROOT, "tools", "scripts", script), join(dir, "tools", "scripts", script));
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  const { engines, devDependencies } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "scratch", private: true, engines, dependencies: { jose: devDependencies.jose } }));
  writeFileSync(
    join(dir, "src", "greet.ts"),
    [
      "export function greet(name: string): string {",
      '  if (name === "boom") throw new Error("no greeting for boom");',
      "  return `hello ${name}`;",
      "}",
      "",
    ].join("\n"),
  );
  writeFileSync(
    join(dir, "tools", "hello.ts"),
    [
      'import { base64url } from "jose";',
      'import { greet } from "../src/greet";',
      "const name: string = process.argv[2];",
      "console.log(JSON.stringify({ greeting: greet(name), dirname: __dirname, encoded: base64url.encode(name) }));",
      "",
    ].join("\n"),
  );
  return dir;
}

const run = (cwd: string, ...args: string[]) =>
  promisify(execFile)(process.execPath, [...RUN_TS, ...args], { cwd, timeout: 60_000 }).then(
    ({ stdout }) => ({ status: 0, stdout, stderr: "" }),
    (failure: { code: number; stdout: string; stderr: string }) => ({ status: failure.code, stdout: failure.stdout, stderr: failure.stderr }),
  );

describe("run-ts.cjs: how package.json's scripts run the TypeScript tools", () => {
  const project = scratchProject();

  test("runs a .ts entry point from one bundle in dist/run/, with the source's __dirname and an ES-module-only package bundled", async () => {
    const { status, stdout, stderr } = await run(project, "tools/hello.ts", "world");
    expect({ status, stderr }).toEqual({ status: 0, stderr: "" });
    expect(JSON.parse(stdout)).toEqual({ greeting: "hello world", dirname: join(project, "tools"), encoded: "d29ybGQ" });
    expect(existsSync(join(project, "dist", "run", "tools", "hello.js"))).toBe(true);
  });

  test("bundles again after an imported project file changed, and not before", async () => {
    await run(project, "tools/hello.ts", "world");
    const bundle = join(project, "dist", "run", "tools", "hello.js");
    const built = statSync(bundle).mtimeMs;
    await run(project, "tools/hello.ts", "world");
    expect(statSync(bundle).mtimeMs).toBe(built);

    const greet = join(project, "src", "greet.ts");
    writeFileSync(greet, readFileSync(greet, "utf8").replace("`hello ${name}`", "`hi ${name}`"));
    expect(JSON.parse((await run(project, "tools/hello.ts", "again")).stdout).greeting).toBe("hi again");
    expect(statSync(bundle).mtimeMs).toBeGreaterThan(built);
  });

  test("a stack trace points at the .ts file and line that threw", async () => {
    const { status, stderr } = await run(project, "tools/hello.ts", "boom");
    expect(status).toBe(1);
    expect(stderr).toContain("Error: no greeting for boom");
    expect(stderr).toContain(`at greet (${join(project, "src", "greet.ts")}:2:`);
  });

  test("a .ts file outside the project is refused, naming both", async () => {
    const outside = join(mkdtempSync(join(tmpdir(), "wscf-run-ts-outside-")), "other.ts");
    writeFileSync(outside, "console.log('never');\n");
    const { status, stderr } = await run(project, outside);
    expect(status).toBe(1);
    expect(stderr).toContain(`run-ts.cjs runs the TypeScript files of ${project} only, not ${outside}`);
  });
});
