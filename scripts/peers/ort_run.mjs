#!/usr/bin/env node
// Runs an ONNX model in ONNX Runtime (npm onnxruntime-node, CPU) on raw float32 inputs and writes the outputs as
// raw float32 files: the reference peer the ONNX export tests compare the engine with, and a benchmark peer.
// A test and benchmark tool, never a runtime dependency. Install its package first: scripts/peers/install.sh.
//
// Usage:
//   node scripts/peers/ort_run.mjs --model model.onnx --input [NAME=]x.f32:2,3,32,32 [--input ...] --out-dir DIR
//        [--threads N] [--repeat N] [--optimize disabled|basic|extended|all]
// Inputs: little-endian float32 values, row-major, with the dims after the colon; without NAME= they feed the
// model's inputs in order. Outputs: DIR/output_<i>.f32 (little-endian float32, row-major), one per model output.
// Last stdout line: one JSON object {"ort_version", "model", "load_ms", "first_run_ms", "repeat", "median_ms",
// "outputs": [{"name", "dims", "file"}]}. Errors: a message on stderr, exit code 1.
import { readFileSync, writeFileSync, mkdirSync, renameSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { failer, loadOrt } from './ort_support.mjs';

const fail = failer('ort_run');

function parseArgs(argv) {
  const args = { inputs: [], threads: 0, repeat: 1, optimize: 'all' };
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i];
    const value = argv[i + 1];
    if (value === undefined) fail(`${key} needs a value`);
    switch (key) {
      case '--model': args.model = value; break;
      case '--input': args.inputs.push(value); break;
      case '--out-dir': args.outDir = value; break;
      case '--threads': args.threads = Number.parseInt(value, 10); break;
      case '--repeat': args.repeat = Number.parseInt(value, 10); break;
      case '--optimize': args.optimize = value; break;
      default: fail(`unknown option ${key}`);
    }
    i++;
  }
  if (!args.model) fail('--model is required');
  if (!args.outDir) fail('--out-dir is required');
  if (args.inputs.length === 0) fail('at least one --input is required');
  if (!(args.threads >= 0)) fail('--threads must be >= 0 (0: ONNX Runtime decides)');
  if (!(args.repeat >= 1)) fail('--repeat must be >= 1');
  if (!['disabled', 'basic', 'extended', 'all'].includes(args.optimize)) fail(`--optimize ${args.optimize} is not one of disabled, basic, extended, all`);
  return args;
}

// "[NAME=]FILE:D0,D1,..." -> { name, file, dims } (NAME may be absent; FILE may contain ':' except in its last part).
function parseInput(spec) {
  const colon = spec.lastIndexOf(':');
  if (colon < 0) fail(`--input ${spec}: expected [NAME=]FILE:D0,D1,...`);
  const dims = spec.slice(colon + 1).split(',').map((d) => Number.parseInt(d, 10));
  if (dims.some((d) => !(d >= 0))) fail(`--input ${spec}: dims must be non-negative integers`);
  let head = spec.slice(0, colon);
  let name = null;
  const equals = head.indexOf('=');
  if (equals >= 0) {
    name = head.slice(0, equals);
    head = head.slice(equals + 1);
  }
  return { name, file: head, dims };
}

function readFloat32(file, dims) {
  let bytes;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    fail(`cannot read input ${file}: ${e.message}`);
  }
  const count = dims.reduce((a, b) => a * b, 1);
  if (bytes.length !== count * 4) fail(`input ${file} holds ${bytes.length} bytes; dims [${dims}] need ${count * 4}`);
  const values = new Float32Array(count);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < count; i++) values[i] = view.getFloat32(4 * i, true);
  return values;
}

function writeFloat32(file, data) {
  const bytes = Buffer.alloc(data.length * 4);
  for (let i = 0; i < data.length; i++) bytes.writeFloatLE(data[i], 4 * i);
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, bytes);
  renameSync(temp, file);
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const { ort, version } = loadOrt(fail);

  const options = { graphOptimizationLevel: args.optimize };
  if (args.threads > 0) options.intraOpNumThreads = args.threads;
  const loadStart = performance.now();
  let session;
  try {
    session = await ort.InferenceSession.create(resolve(args.model), options);
  } catch (e) {
    fail(`ONNX Runtime cannot load ${args.model}: ${e.message}`);
  }
  const loadMs = performance.now() - loadStart;

  const specs = args.inputs.map(parseInput);
  if (specs.length > session.inputNames.length) fail(`the model takes ${session.inputNames.length} inputs (${session.inputNames}); got ${specs.length}`);
  const feeds = {};
  specs.forEach((spec, i) => {
    const name = spec.name ?? session.inputNames[i];
    if (!session.inputNames.includes(name)) fail(`the model has no input '${name}'; its inputs are ${session.inputNames}`);
    feeds[name] = new ort.Tensor('float32', readFloat32(spec.file, spec.dims), spec.dims);
  });

  const times = [];
  let results;
  for (let r = 0; r < args.repeat; r++) {
    const start = performance.now();
    try {
      results = await session.run(feeds);
    } catch (e) {
      fail(`ONNX Runtime failed to run ${args.model}: ${e.message}`);
    }
    times.push(performance.now() - start);
  }
  const sorted = [...times].sort((a, b) => a - b);

  mkdirSync(args.outDir, { recursive: true });
  const outputs = session.outputNames.map((name, i) => {
    const tensor = results[name];
    if (tensor.type !== 'float32') fail(`output '${name}' is ${tensor.type}; this tool writes float32 only`);
    const file = join(args.outDir, `output_${i}.f32`);
    writeFloat32(file, tensor.data);
    return { name, dims: tensor.dims.map(Number), file };
  });
  process.stdout.write(JSON.stringify({
    ort_version: version, model: args.model, load_ms: loadMs, first_run_ms: times[0], repeat: args.repeat,
    median_ms: sorted[Math.floor(sorted.length / 2)], outputs,
  }) + '\n');
}

main().catch((e) => fail(e.stack ?? String(e)));
