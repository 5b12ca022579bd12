#!/usr/bin/env node
// ONNX Runtime (npm onnxruntime-node, CPU) peer figures for `./visionplugin bench`: loads an ONNX model with one
// image input [N,C,H,W] (symbolic batch), feeds one raw float32 image repeated to each batch size, writes the batch-1
// output (for the verification of our logits), then times warm-up + N runs per batch size.
// A benchmark tool, never a runtime dependency. Install its package first: scripts/peers/install.sh.
//
// Usage:
//   node scripts/peers/ort_bench.mjs --model M.onnx --image x.f32:3,224,224 [--batches 1,8] [--warmup 3]
//        [--repeats 20] [--threads N] [--out FILE]
// --repeats 0 runs the first inference only (the start-up measurement). --out: the first batch-1 output as raw
// little-endian float32. Last stdout line: one JSON object {"ort_version", "threads", "load_ms",
// "process_to_first_inference_ms" (from this process's time origin to the end of the first run), "first_run_ms",
// "batches": {"1": {"p10_ms", "median_ms", "p90_ms", "repeats"}, ...}}. Errors: stderr, exit code 1.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { failer, loadOrt } from './ort_support.mjs';

const fail = failer('ort_bench');

function parseArgs(argv) {
  const args = { batches: [1], warmup: 3, repeats: 20, threads: 0 };
  for (let i = 0; i < argv.length; i += 2) {
    const [key, value] = [argv[i], argv[i + 1]];
    if (value === undefined) fail(`${key} needs a value`);
    switch (key) {
      case '--model': args.model = value; break;
      case '--image': args.image = value; break;
      case '--batches': args.batches = value.split(',').map((b) => Number.parseInt(b, 10)); break;
      case '--warmup': args.warmup = Number.parseInt(value, 10); break;
      case '--repeats': args.repeats = Number.parseInt(value, 10); break;
      case '--threads': args.threads = Number.parseInt(value, 10); break;
      case '--out': args.out = value; break;
      default: fail(`unknown option ${key}`);
    }
  }
  if (!args.model || !args.image) fail('--model and --image are required');
  if (args.batches.some((b) => !(b >= 1))) fail('--batches must be positive integers');
  if (!(args.warmup >= 0) || !(args.repeats >= 0) || !(args.threads >= 0)) fail('--warmup, --repeats and --threads must be >= 0');
  return args;
}

function readImage(spec) {
  const colon = spec.lastIndexOf(':');
  if (colon < 0) fail(`--image ${spec}: expected FILE:C,H,W`);
  const dims = spec.slice(colon + 1).split(',').map((d) => Number.parseInt(d, 10));
  const bytes = readFileSync(spec.slice(0, colon));
  const count = dims.reduce((a, b) => a * b, 1);
  if (bytes.length !== count * 4) fail(`${spec}: ${bytes.length} bytes; dims [${dims}] need ${count * 4}`);
  return { dims, values: new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)) };
}

function summary(times) {
  const sorted = [...times].sort((a, b) => a - b);
  const pick = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p10_ms: pick(0.1), median_ms: sorted[Math.floor(sorted.length / 2)], p90_ms: pick(0.9), repeats: sorted.length };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const { ort, version } = loadOrt(fail);
  const image = readImage(args.image);
  const options = { graphOptimizationLevel: 'all' };
  if (args.threads > 0) options.intraOpNumThreads = args.threads;
  const loadStart = performance.now();
  const session = await ort.InferenceSession.create(resolve(args.model), options);
  const loadMs = performance.now() - loadStart;
  const feed = (batch) => {
    const data = new Float32Array(batch * image.values.length);
    for (let b = 0; b < batch; b++) data.set(image.values, b * image.values.length);
    return { [session.inputNames[0]]: new ort.Tensor('float32', data, [batch, ...image.dims]) };
  };

  const firstStart = performance.now();
  const first = await session.run(feed(1));
  const firstEnd = performance.now();
  const output = first[session.outputNames[0]];
  if (args.out) writeFileSync(args.out, Buffer.from(output.data.buffer, output.data.byteOffset, output.data.byteLength));

  const batches = {};
  if (args.repeats > 0) {
    for (const batch of args.batches) {
      const feeds = feed(batch);
      for (let i = 0; i < args.warmup; i++) await session.run(feeds);
      const times = [];
      for (let i = 0; i < args.repeats; i++) {
        const start = performance.now();
        await session.run(feeds);
        times.push(performance.now() - start);
      }
      batches[String(batch)] = summary(times);
    }
  }
  process.stdout.write(JSON.stringify({
    ort_version: version, threads: args.threads, load_ms: loadMs,
    process_to_first_inference_ms: firstEnd, first_run_ms: firstEnd - firstStart, output_dims: output.dims.map(Number), batches,
  }) + '\n');
}

main().catch((e) => fail(e.stack ?? String(e)));
