// ONNX Runtime's time for one model, through onnxruntime-node (the anchor of
// bench/anchors.py and bench/convs.py): node ort.js MODEL.onnx X.bin
// D0xD1x... THREADS RUNS [OUT.bin] prints the median microseconds of RUNS
// calls after one warm-up call, and writes the first output's float32 data
// to OUT.bin if given (for the check against predict's output).
const fs = require('fs');
const ort = require('onnxruntime-node');

async function main() {
  const [model, xPath, shape, threads, runs, outPath] = process.argv.slice(2);
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
  const first = await session.run(feeds);
  if (outPath) {
    const out = first[session.outputNames[0]].data;
    fs.writeFileSync(outPath, Buffer.from(out.buffer, out.byteOffset, out.byteLength));
  }
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
