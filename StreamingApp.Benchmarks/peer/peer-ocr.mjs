// Times the peer @gutenye/ocr-node@1.4.8 on the JPEGs OcrBenchmarks wrote, and scores its text against their truth.
// The peer is installed outside the repository (see docs/PERFORMANCE.md, "OCR (issue 2)"):
//   node StreamingApp.Benchmarks/peer/peer-ocr.mjs [imageDir] [iterations]
// PEER_DIR (default /work/peer-ocr) is where `npm install --ignore-scripts @gutenye/ocr-node@1.4.8` ran.
// PEER_CONFIG (e.g. 'peer default threads') runs that configuration only: rounds interleaved with ours on a busy machine.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { pathToFileURL } from 'node:url'

const imageDir = process.argv[2] ?? join(tmpdir(), 'streamingapp-ocr-bench')
const iterations = Number(process.argv[3] ?? 30)
const peerDir = process.env.PEER_DIR ?? '/work/peer-ocr'
const load = (pkg, file) => import(pathToFileURL(join(peerDir, 'node_modules', pkg, file)).href)
const { default: Ocr } = await load('@gutenye/ocr-node', 'build/index.js')
const { default: sharp } = await load('sharp', 'lib/index.js')
const truth = JSON.parse(await readFile(join(imageDir, 'truth.json'), 'utf8'))

// Peer defaults (onnxruntime-node picks the intra-op thread count) and the team's settings (1 thread, no spinning).
const configs = {
  'peer default threads': {},
  'peer 1 thread, no spinning': {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    extra: { session: { intra_op: { allow_spinning: '0' } } },
  },
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

function levenshtein(a, b) {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1), previous[j] + 1, current[j - 1] + 1)
    }
    previous = current
  }
  return previous[b.length]
}

// Wall time, and CPU time of the whole process (all threads) for the same call.
async function timed(fn) {
  const cpu = process.cpuUsage()
  const start = process.hrtime.bigint()
  const result = await fn()
  const used = process.cpuUsage(cpu)
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, cpuMs: (used.user + used.system) / 1000, result }
}

const only = process.env.PEER_CONFIG
for (const [name, onnxOptions] of Object.entries(configs).filter(([n]) => !only || n === only)) {
  const ocr = await Ocr.create({ onnxOptions })
  let edits = 0
  let characters = 0
  for (const [file, lines] of Object.entries(truth)) {
    const path = join(imageDir, file)
    for (let i = 0; i < 3; i++) await ocr.detect(path) // warm-up
    const detect = []
    const cpu = []
    const decode = []
    let texts = []
    for (let i = 0; i < iterations; i++) {
      const run = await timed(() => ocr.detect(path))
      detect.push(run.ms)
      cpu.push(run.cpuMs)
      texts = run.result.map((line) => line.text)
      decode.push((await timed(() => sharp(path).ensureAlpha(1).raw().toBuffer())).ms)
    }
    const read = texts.join('\n')
    const expected = lines.join('\n')
    edits += levenshtein(expected, read)
    characters += expected.length
    console.log(
      `${name} | ${file} | detect median ${median(detect).toFixed(1)} ms, CPU ${median(cpu).toFixed(1)} ms ` +
        `(JPEG decode by sharp alone ${median(decode).toFixed(1)} ms) | ${JSON.stringify(texts)}`,
    )
  }
  console.log(`${name} | CER ${((100 * edits) / characters).toFixed(2)} % (${edits} edits / ${characters} chars, spaces and line breaks included)`)
}
