// Summarises a V8 .cpuprofile (from `node --cpu-prof`, e.g. BENCH_CPU_PROF=<dir> npm run bench:intake):
// the functions with the most self time, and the packages (node_modules/<name>) they belong to.
//   node bench/intake/summarise-cpuprofile.mjs <file.cpuprofile> [top=40] [fromFunction]
// fromFunction: only the samples from the first one with that function on its stack on (e.g.
// `addToOutbox`), leaving out the start-up (module loading, building the events) a benchmark does
// not count.
import { readFileSync } from 'node:fs';

const [file, topArg, fromFunction] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const top = Number(topArg ?? 40);
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
if (fromFunction) {
  const parentOf = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const onStack = (id) => {
    for (let at = id; at !== undefined; at = parentOf.get(at))
      if (byId.get(at).callFrame.functionName === fromFunction) return true;
    return false;
  };
  const first = profile.samples.findIndex(onStack);
  if (first < 0) throw new Error(`no sample has ${fromFunction} on its stack`);
  profile.samples = profile.samples.slice(first);
  console.log(`from the first sample under ${fromFunction} (sample ${first} on)`);
}
const selfTicks = new Map();
for (const id of profile.samples) selfTicks.set(id, (selfTicks.get(id) ?? 0) + 1);
const total = profile.samples.length;

function where(frame) {
  const url = frame.url || '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return pkg;
  if (url.includes('/libs/')) return `libs/${url.split('/libs/')[1].split('/')[0]}`;
  if (url.includes('/services/')) return `services/${url.split('/services/')[1].split('/')[0]}`;
  if (url.startsWith('node:')) return 'node';
  return url === '(native)' ? '(native/vm)' : url;
}

const functions = new Map();
const packages = new Map();
for (const [id, ticks] of selfTicks) {
  const frame = byId.get(id).callFrame;
  const name = `${frame.functionName || '(anonymous)'} ${where(frame)}:${frame.lineNumber + 1}`;
  functions.set(name, (functions.get(name) ?? 0) + ticks);
  packages.set(where(frame), (packages.get(where(frame)) ?? 0) + ticks);
}
const pct = (ticks) => `${((100 * ticks) / total).toFixed(1).padStart(5)}%`;
console.log(`${total} samples`);
console.log('\nself time by package:');
for (const [name, ticks] of [...packages].sort((a, b) => b[1] - a[1]).slice(0, 25))
  console.log(`${pct(ticks)}  ${name}`);
console.log('\nself time by function:');
for (const [name, ticks] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, top))
  console.log(`${pct(ticks)}  ${name}`);

// Inclusive time for frames of interest: total time under each named function.
const children = new Map(profile.nodes.map((node) => [node.id, node.children ?? []]));
const inclusive = new Map();
function walk(id, stack) {
  const node = byId.get(id);
  const name = `${node.callFrame.functionName || '(anonymous)'} ${where(node.callFrame)}`;
  const own = selfTicks.get(id) ?? 0;
  let sum = own;
  const first = !stack.has(name);
  if (first) stack.add(name);
  for (const child of children.get(id)) sum += walk(child, stack);
  if (first) {
    stack.delete(name);
    inclusive.set(name, (inclusive.get(name) ?? 0) + sum);
  }
  return sum;
}
walk(profile.nodes[0].id, new Set());
console.log('\ninclusive time (top):');
for (const [name, ticks] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top))
  console.log(`${pct(ticks)}  ${name}`);
