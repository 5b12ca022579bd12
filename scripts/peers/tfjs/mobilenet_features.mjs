// Reference peer for the pretrained MobileNetV2 import: runs the nsfwjs 4.3.0 model with TensorFlow.js (pure-JS CPU
// backend) on a few photos and writes the fixtures the C# parity tests compare against.
//
//   node scripts/peers/tfjs/mobilenet_features.mjs --model-dir DIR --out DIR name=image.png name=image.jpg ...
//
// DIR (model) holds model.min.js and group1-shard1of1.min.js as scripts/fetch-models.sh extracts them; node's own
// require() evaluates those modules, so this path shares no parsing code with the C# reader.
// Preprocessing, per image: decode to 8-bit RGB (pngjs / jpeg-js), crop the centred square, resize it to 224x224
// with bilinear interpolation (half-pixel centres, no antialiasing), round to uint8. The network input is
// uint8 / 255 as float32, NHWC. Written to --out:
//   images_224_rgb8.bin      N x 224 x 224 x 3 uint8 (HWC per image, RGB), the preprocessed inputs
//   trunk_features.f32       N x 1280 float32 little-endian: output of layer flatten_1 (global-average-pooled features)
//   full_model_outputs.f32   N x K float32 little-endian: the original model's outputs (its head; parity tests only)
//   fixtures.json            image names, source files and their SHA-256, versions, shapes
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const require = createRequire(import.meta.url);
const tf = require('@tensorflow/tfjs-core');
require('@tensorflow/tfjs-backend-cpu');
const tfl = require('@tensorflow/tfjs-layers');
const { PNG } = require('pngjs');
const jpeg = require('jpeg-js');

const SIZE = 224;
const TRUNK_OUTPUT = 'flatten_1';

function parseArgs(argv) {
  const args = { images: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--model-dir') args.modelDir = argv[++i];
    else if (argv[i] === '--out') args.out = argv[++i];
    else if (argv[i].includes('=')) {
      const [name, file] = argv[i].split(/=(.*)/s);
      args.images.push({ name, file });
    } else throw new Error(`unexpected argument ${argv[i]}`);
  }
  if (!args.modelDir || !args.out || args.images.length === 0) {
    throw new Error('usage: mobilenet_features.mjs --model-dir DIR --out DIR name=image ...');
  }
  return args;
}

/** Decodes a PNG or JPEG to { width, height, rgb: Uint8Array (HWC) }. */
function decode(file) {
  const bytes = fs.readFileSync(file);
  let rgba, width, height;
  if (bytes[0] === 0x89 && bytes[1] === 0x50) {
    const png = PNG.sync.read(bytes); // 8-bit RGBA whatever the source colour type
    ({ width, height } = png);
    rgba = png.data;
  } else if (bytes[0] === 0xff && bytes[1] === 0xd8) {
    const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
    ({ width, height } = img);
    rgba = img.data;
  } else throw new Error(`${file}: neither PNG nor JPEG`);
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) for (let c = 0; c < 3; c++) rgb[i * 3 + c] = rgba[i * 4 + c];
  return { width, height, rgb };
}

/** Centred square crop, bilinear resize (half-pixel centres) to SIZE x SIZE, rounded to uint8. */
function preprocess({ width, height, rgb }) {
  const side = Math.min(width, height);
  const x0 = Math.floor((width - side) / 2), y0 = Math.floor((height - side) / 2);
  const out = new Uint8Array(SIZE * SIZE * 3);
  const scale = side / SIZE;
  const axis = (o) => {
    const s = Math.min(Math.max((o + 0.5) * scale - 0.5, 0), side - 1);
    const i0 = Math.floor(s);
    return [i0, Math.min(i0 + 1, side - 1), s - i0];
  };
  for (let oy = 0; oy < SIZE; oy++) {
    const [ya, yb, fy] = axis(oy);
    for (let ox = 0; ox < SIZE; ox++) {
      const [xa, xb, fx] = axis(ox);
      for (let c = 0; c < 3; c++) {
        const p = (y, x) => rgb[((y0 + y) * width + (x0 + x)) * 3 + c];
        const top = p(ya, xa) + (p(ya, xb) - p(ya, xa)) * fx;
        const bottom = p(yb, xa) + (p(yb, xb) - p(yb, xa)) * fx;
        out[(oy * SIZE + ox) * 3 + c] = Math.min(255, Math.max(0, Math.round(top + (bottom - top) * fy)));
      }
    }
  }
  return out;
}

async function loadModel(modelDir) {
  const json = require(path.resolve(modelDir, 'model.min.js'));
  const weightSpecs = json.weightsManifest.flatMap((group) => group.weights);
  const buffers = json.weightsManifest.flatMap((group) =>
    group.paths.map((p) => Buffer.from(require(path.resolve(modelDir, `${p}.min.js`)), 'base64')));
  const all = Buffer.concat(buffers);
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
  return tfl.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs, weightData }));
}

function sha256(file) {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

function writeFloats(file, typed) {
  fs.writeFileSync(file, Buffer.from(typed.buffer, typed.byteOffset, typed.byteLength));
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  await tf.setBackend('cpu');
  const model = await loadModel(args.modelDir);
  const trunk = tfl.model({ inputs: model.inputs, outputs: model.getLayer(TRUNK_OUTPUT).output });

  const count = args.images.length;
  const images = new Uint8Array(count * SIZE * SIZE * 3);
  args.images.forEach(({ file }, i) => images.set(preprocess(decode(file)), i * SIZE * SIZE * 3));
  const input = tf.tensor4d(Float32Array.from(images, (q) => q / 255), [count, SIZE, SIZE, 3]);

  const features = await trunk.predict(input).data();
  const outputs = model.predict(input);
  const full = await outputs.data();

  fs.mkdirSync(args.out, { recursive: true });
  fs.writeFileSync(path.join(args.out, 'images_224_rgb8.bin'), images);
  writeFloats(path.join(args.out, 'trunk_features.f32'), features);
  writeFloats(path.join(args.out, 'full_model_outputs.f32'), full);
  const meta = {
    generator: 'scripts/peers/make-mobilenet-fixtures.sh (scripts/peers/tfjs/mobilenet_features.mjs)',
    tfjs: { core: tf.version_core, layers: tfl.version_layers, backend: tf.getBackend() },
    model: {
      package: 'nsfwjs@4.3.0', files: ['model.min.js', 'group1-shard1of1.min.js'].map((f) => ({ file: f, sha256: sha256(path.join(args.modelDir, f)) })),
      trunkOutput: TRUNK_OUTPUT,
    },
    preprocessing: 'decode to 8-bit RGB; centred square crop; bilinear resize to 224x224 (half-pixel centres, no antialiasing); round to uint8; input = uint8 / 255 (float32)',
    images: args.images.map(({ name, file }) => ({ name, source: path.basename(file), sha256: sha256(file) })),
    shapes: { images: [count, SIZE, SIZE, 3], trunkFeatures: [count, features.length / count], fullModelOutputs: outputs.shape },
  };
  fs.writeFileSync(path.join(args.out, 'fixtures.json'), JSON.stringify(meta, null, 2) + '\n');
  let maxAbs = 0;
  for (const v of features) maxAbs = Math.max(maxAbs, Math.abs(v));
  console.log(`wrote ${count} images, features [${count},${features.length / count}] (max |x| ${maxAbs.toFixed(4)}), outputs [${outputs.shape}] to ${args.out}`);
}

main().catch((e) => { console.error(e); process.exit(1); });
