/**
 * A process that appends to a spool until it is killed: numbered records,
 * in batches of varying size, some appends concurrent. After each append
 * resolves it prints `acked <first>-<last>` so the parent knows which
 * records were acknowledged when it sends SIGKILL.
 */
import { Spool } from "../../../../runtime/spool/spool.js";

async function main(): Promise<void> {
  const [dir, startArg] = process.argv.slice(2);
  if (!dir || !startArg) throw new Error("usage: append-child <dir> <first number>");
  const spool = await Spool.open({ dir, maxRecords: 10_000_000, maxBytes: 1 << 30, segmentBytes: 64 * 1024 });
  let next = Number(startArg);
  process.stdout.write(`ready ${spool.depth().records}\n`);
  for (let round = 0; ; round++) {
    // Three appends in flight at once: one group commit carries them, in the order they were made.
    const appends = [1, (round % 7) + 1, (round % 31) + 1].map((size) => {
      const numbers = Array.from({ length: size }, () => next++);
      const payload = numbers.map((number) => Buffer.from(JSON.stringify({ n: number, pad: "x".repeat(number % 97) })));
      return spool.appendBatch(payload).then(() => process.stdout.write(`acked ${numbers[0]}-${numbers.at(-1)}\n`));
    });
    await Promise.all(appends);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
