/**
 * @module One PostgreSQL oracle shared by the tests of a module: started by the first test that
 * needs it, stopped after the last planned test releases it, and killed when the process unloads
 * if a filtered run never reached the last test.
 */
import { PgSide } from "./pg_side.ts";

/** Lazily starts a PgSide; stops it after `planned` releases. */
export class OracleHolder {
  #side: Promise<PgSide> | undefined;
  #released = 0;

  constructor(readonly planned: number) {}

  acquire(): Promise<PgSide> {
    if (this.#side === undefined) {
      this.#side = PgSide.start();
      this.#side.then((side) => {
        globalThis.addEventListener("unload", () => side.killSync());
      }, () => {});
    }
    return this.#side;
  }

  async release(): Promise<void> {
    this.#released++;
    if (this.#released >= this.planned && this.#side !== undefined) {
      const side = await this.#side.catch(() => undefined);
      this.#side = undefined;
      await side?.stop();
    }
  }
}
