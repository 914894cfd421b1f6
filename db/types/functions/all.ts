/** @module Loads every function file so each registers its functions. */
import "./string.ts";
import "./string_extra.ts";
import "./overlaps.ts";
import "./quote.ts";
import "./math.ts";
import "./datetime.ts";
import "./to_char.ts";
import "./json.ts";
import "./jsonpath.ts";
import "./catalog_only.ts";
import "./array.ts";
import "./misc.ts";
