// Closes a test run for people and CI: the failed tests (name and message, from the .trx files dotnet test wrote and
// the JUnit file of node --test), then one plain line "N passed, N failed, N skipped".
// Failures come last so that the tail of a failing run shows what failed, whatever was printed before.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const MaxFailuresShown = 5;
const MaxMessageLines = 5;
const MaxLineLength = 200; // a longer line (a record dumped by an assertion) is cut, so the tail stays readable

const dir = process.argv[2];
let passed = 0, failed = 0, skipped = 0;
const failures = [];

const decode = (text) => text
  .replace(/&#x([0-9a-f]+);/gi, (_, hex) => String.fromCodePoint(parseInt(hex, 16)))
  .replace(/&#(\d+);/g, (_, dec) => String.fromCodePoint(Number(dec)))
  .replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&");

function readTrx(xml) {
  const counters = xml.match(/<Counters [^>]*>/)?.[0] ?? "";
  const count = (name) => Number(counters.match(new RegExp(`\\b${name}="(\\d+)"`))?.[1] ?? 0);
  passed += count("passed");
  failed += count("failed") + count("error") + count("timeout") + count("aborted");
  skipped += count("notExecuted");
  for (const [, attributes, body] of xml.matchAll(/<UnitTestResult ([^>]*?)(?:\/>|>([\s\S]*?)<\/UnitTestResult>)/g)) {
    if (!/\boutcome="Failed"/.test(attributes)) continue;
    const name = decode(attributes.match(/\btestName="([^"]*)"/)?.[1] ?? "?");
    failures.push({ name, message: decode(body?.match(/<Message>([\s\S]*?)<\/Message>/)?.[1] ?? "") });
  }
}

function readJUnit(xml) {
  for (const [, attributes, body] of xml.matchAll(/<testcase ([^>]*?)(?:\/>|>([\s\S]*?)<\/testcase>)/g)) {
    if (/<skipped\b/.test(body ?? "")) { skipped++; continue; }
    const failure = (body ?? "").match(/<failure [^>]*?message="([^"]*)"/);
    if (!failure) { passed++; continue; }
    failed++;
    failures.push({ name: "node: " + decode(attributes.match(/\bname="([^"]*)"/)?.[1] ?? "?"), message: decode(failure[1]) });
  }
}

for (const file of readdirSync(dir)) {
  if (file.endsWith(".trx")) readTrx(readFileSync(join(dir, file), "utf8"));
  else if (file.endsWith(".junit.xml")) readJUnit(readFileSync(join(dir, file), "utf8"));
}

if (failures.length > 0) {
  console.log(`\nFailed tests (${failures.length}; full output above and in ${dir}/):`);
  for (const { name, message } of failures.slice(0, MaxFailuresShown)) {
    console.log(`  ✘ ${name}`);
    const lines = message.trim().split(/\r?\n/);
    for (const line of lines.slice(0, MaxMessageLines)) {
      console.log(`      ${line.length > MaxLineLength ? line.slice(0, MaxLineLength) + " …" : line}`);
    }
    if (lines.length > MaxMessageLines) console.log(`      … ${lines.length - MaxMessageLines} more line(s)`);
  }
  if (failures.length > MaxFailuresShown) console.log(`  … and ${failures.length - MaxFailuresShown} more`);
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
