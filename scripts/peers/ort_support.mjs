// Shared by the ONNX Runtime peer scripts (ort_run.mjs, ort_bench.mjs): error exit and loading onnxruntime-node from
// scripts/peers/node_modules (installed by scripts/peers/install.sh).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** A function that prints "<tool>: message" on stderr and exits with code 1. */
export function failer(tool) {
  return (message) => {
    process.stderr.write(`${tool}: ${message}\n`);
    process.exit(1);
  };
}

/** { ort, version } or a failure naming the install script. */
export function loadOrt(fail) {
  try {
    return { ort: require('onnxruntime-node'), version: require('onnxruntime-node/package.json').version };
  } catch (e) {
    return fail(`onnxruntime-node is not installed next to this script (run scripts/peers/install.sh): ${e.message}`);
  }
}
