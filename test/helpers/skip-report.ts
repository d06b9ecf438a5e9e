/**
 * Tests that need a real server (PostgreSQL, a browser) skip themselves on a
 * bare laptop; this plugin makes that loud, listing every skip and why.
 */
const skipped: string[] = [];

export function skipWithReason(context: Mocha.Context, reason: string): never {
  skipped.push(`${context.test?.fullTitle() ?? context.currentTest?.fullTitle() ?? "(suite)"}: ${reason}`);
  context.skip();
}

export const mochaHooks = {
  afterAll(): void {
    if (skipped.length === 0) return;
    const unique = [...new Set(skipped)];
    const line = "!".repeat(78);
    process.stdout.write(
      `\n${line}\n  SKIPPED ${unique.length} server-backed test group(s):\n` +
        unique.map((entry) => `   - ${entry}`).join("\n") +
        `\n  Set TEST_DATABASE_URL (PostgreSQL) and PETROFLOW_E2E=1 (chromium), and install socat (Modbus RTU) and python3-pymodbus, to run them.\n${line}\n`,
    );
  },
};
