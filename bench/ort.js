// ONNX Runtime's time for one model, through onnxruntime-node (the anchor of
// bench/anchors.py): node ort.js MODEL.onnx X.bin ROWSxCOLS THREADS RUNS
// prints the median microseconds of RUNS calls after one warm-up call.
const fs = require('fs');
const ort = require('onnxruntime-node');

async function main() {
  const [model, xPath, shape, threads, runs] = process.argv.slice(2);
  const dims = shape.split('x').map(Number);
  const bytes = fs.readFileSync(xPath);
  const data = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  const session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: Number(threads),
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  const feeds = {x: new ort.Tensor('float32', data, dims)};
  await session.run(feeds);
  const times = [];
  for (let i = 0; i < Number(runs); ++i) {
    const start = process.hrtime.bigint();
    await session.run(feeds);
    times.push(Number(process.hrtime.bigint() - start) / 1000);
  }
  times.sort((a, b) => a - b);
  console.log(times[Math.floor(times.length / 2)].toFixed(3));
}

main().catch((e) => {
  console.error(`ort.js: ${e.message}`);
  process.exit(1);
});
