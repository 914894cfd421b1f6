/**
 * @module Who may receive a change: the ONE place the hub asks. Today a subscriber receives a
 * table's changes when its role could SELECT from the table through the engine at join time
 * (checked by running `SELECT … WHERE false` as that role, with its JWT claims). Row-level
 * security (another issue) plugs in at {@link mayReceive}, per row, when the engine has it.
 */
import type { ChangeRecord, Database } from "../../db/mod.ts";

/** A subscriber's identity and what the engine let it read. */
export interface Subscriber {
  role: string;
  claims: Record<string, unknown>;
  /** Table oids the role may SELECT (from {@link checkReadable}). */
  readable: Set<number>;
}

function quote(id: string): string {
  return `"${id.replaceAll('"', '""')}"`;
}

/**
 * Asks the engine, as `role` with `claims`, which of `tables` it may SELECT. Returns the readable
 * oids and, for the first refused table, the engine's message.
 */
export async function checkReadable(
  db: Database,
  role: string,
  claims: Record<string, unknown>,
  tables: readonly { oid: number; schema: string; name: string }[],
): Promise<{ readable: Set<number>; refused?: string }> {
  const readable = new Set<number>();
  let refused: string | undefined;
  const session = await db.connect({ user: role, database: "postgres", claims });
  try {
    for (const t of tables) {
      try {
        await session.execute(`SELECT * FROM ${quote(t.schema)}.${quote(t.name)} WHERE false`);
        readable.add(t.oid);
      } catch (err) {
        refused ??= err instanceof Error ? err.message : String(err);
      }
    }
  } finally {
    await session.close();
  }
  return { readable, refused };
}

/** Whether `sub` may receive `change` (RLS will evaluate the row here). */
export function mayReceive(sub: Subscriber, change: ChangeRecord): boolean {
  return sub.readable.has(change.tableId);
}
