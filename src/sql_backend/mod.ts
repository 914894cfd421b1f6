/**
 * @module The SQL backend of the pgwire listener: `SqlBackend.open(db)` implements the
 * protocol layer's `Backend` (src/pgwire/backend.ts) on BKG-DB's sessions, so that `bkg serve`
 * answers psql, pgbench, postgres.js and node-postgres with the real engine.
 */
export { SqlBackend } from "./backend.ts";
