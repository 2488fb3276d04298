/** dynalite 4 ships no types: the part the dev server uses (it returns a plain Node HTTP server). */
declare module "dynalite" {
  import type { Server } from "node:http";
  interface DynaliteOptions {
    /** Milliseconds a new table stays CREATING. @default 500 */
    readonly createTableMs?: number;
    readonly deleteTableMs?: number;
    readonly updateTableMs?: number;
  }
  function dynalite(options?: DynaliteOptions): Server;
  export = dynalite;
}
