// Prints "N passed, N failed, N skipped" from the .trx files dotnet test wrote, so CI reads one closing line.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2];
let passed = 0, failed = 0, skipped = 0;
for (const file of readdirSync(dir).filter((f) => f.endsWith(".trx"))) {
  const counters = readFileSync(join(dir, file), "utf8").match(/<Counters [^>]*>/)?.[0] ?? "";
  const count = (name) => Number(counters.match(new RegExp(`${name}="(\\d+)"`))?.[1] ?? 0);
  passed += count("passed");
  failed += count("failed") + count("error") + count("timeout") + count("aborted");
  skipped += count("notExecuted");
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
