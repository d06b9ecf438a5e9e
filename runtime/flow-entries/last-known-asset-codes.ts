import { isDatabaseUnavailable } from "../db/database-errors.js";
import { withDeadline } from "./deadline.js";

/**
 * The asset register's idByCode for flows, kept usable while the database
 * is away: while the register answers, its answer is used (a renamed code
 * takes effect at once); when it is unavailable, the last id it gave for
 * that code is used, so a flow that names its tank TK-01 still gets its
 * entries into the spool. Assets cannot change while the database is away,
 * so that answer is still right. Only found codes are kept: a code that is
 * unknown, or neither in the register at start nor looked up since, fails
 * as the database does.
 */
export class LastKnownAssetCodes {
  private readonly known = new Map<string, string>();

  constructor(
    private readonly lookUp: (code: string) => Promise<string | null>,
    private readonly timeoutMs: number,
  ) {}

  /** Seeds the codes known at start, so the first outage finds them too. */
  prime(assets: readonly { code: string; id: string }[]): void {
    for (const { code, id } of assets) this.known.set(code, id);
  }

  async idByCode(code: string): Promise<string | null> {
    try {
      const id = await withDeadline(this.lookUp(code), this.timeoutMs);
      if (id === null) this.known.delete(code);
      else this.known.set(code, id);
      return id;
    } catch (error) {
      const known = this.known.get(code);
      if (known !== undefined && isDatabaseUnavailable(error)) return known;
      throw error;
    }
  }
}
