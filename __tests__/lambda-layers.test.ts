import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";

const LAMBDAS = resolve(__dirname, "..", "lambdas");

/**
 * The handlers' layers, lowest first (lambdas/README.md): a file may import its own folder and the
 * layers below it, never one above, so the base every handler shares knows nothing of the routes.
 * Folders on one line share a layer and may not import each other.
 */
const LAYERS: readonly (readonly string[])[] = [
  ["contract"],
  ["base"],
  ["auth", "rate", "delivery"],
  ["channels"],
  ["fanout"],
  ["routes"],
  ["runtime"],
  ["."], // the entry files
];

const layerOf = (folder: string): number => LAYERS.findIndex((folders) => folders.includes(folder));

/** Whether a file in folder `from` may import one in folder `to`. */
const mayImport = (from: string, to: string): boolean => to === from || (to !== ".." && layerOf(to) < layerOf(from));

/** Every .ts file under lambdas/, relative to it. */
function sources(dir = LAMBDAS): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith(".ts") ? [relative(LAMBDAS, path)] : [];
  });
}

/** The relative imports of a file (static, dynamic and type-only), as TypeScript itself reads them. */
function relativeImports(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(join(LAMBDAS, file), "utf8"), true, true);
  return importedFiles.map((imported) => imported.fileName).filter((name) => name.startsWith("."));
}

/** `lambdas/`-relative folder of a path ("." for the entry files); outside lambdas/ is "..". */
const folderOf = (path: string): string => {
  const folder = relative(LAMBDAS, dirname(path));
  return folder === "" ? "." : folder.split("/")[0].startsWith("..") ? ".." : folder.split("/")[0];
};

describe("lambdas/ layers", () => {
  const files = sources();

  test("every folder of lambdas/ has its layer", () => {
    expect(files.map((file) => folderOf(join(LAMBDAS, file))).filter((folder) => layerOf(folder) < 0)).toEqual([]);
  });

  test("no import points up a layer or sideways into a folder of the same layer, and none leaves lambdas/", () => {
    const wrong: string[] = [];
    for (const file of files) {
      const from = folderOf(join(LAMBDAS, file));
      for (const specifier of relativeImports(file)) {
        if (!mayImport(from, folderOf(resolve(LAMBDAS, dirname(file), specifier)))) wrong.push(`${file} imports ${specifier}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  test("the rule refuses up, sideways and out, and reads every kind of import", () => {
    expect([mayImport("routes", "base"), mayImport("base", "base"), mayImport(".", "runtime")]).toEqual([true, true, true]);
    expect([mayImport("base", "routes"), mayImport("auth", "rate"), mayImport("contract", ".."), mayImport("base", "..")]).toEqual([
      false,
      false,
      false,
      false,
    ]);
    expect(relativeImports("sendmessage.ts")).toEqual(expect.arrayContaining(["./routes/sendmessage", "./runtime/route-handler"]));
  });
});
