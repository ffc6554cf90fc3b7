// Where the BUSY thread time of a dotnet-trace goes (plain Node >= 18).
//   node busy-top.mjs <trace.speedscope.json> [N=40] [frame-regex ...]
// dotnet-trace's topN counts every thread, most of them parked in thread-pool waits. This drops every interval
// whose stack contains a wait/idle frame and reports, for the rest, each frame's inclusive share of busy time.
// With frame regexes it prints only the shares of the frames matching each regex (inclusive, deduplicated per stack).
// Note: sampled thread time is wall time of running-or-blocked-in-native threads; a native call that blocks
// (e.g. SQLite waiting on a lock, a socket read) shows up here, not only CPU.
import { readFileSync } from 'node:fs';

const [file, nArg, ...patterns] = process.argv.slice(2);
const N = Number(nArg ?? 40);
const doc = JSON.parse(readFileSync(file, 'utf8'));
const names = doc.shared.frames.map((f) => f.name);
const IDLE = /LowLevelLifoSemaphore\.Wait|Monitor\.Wait|WaitHandle\.Wait|ManualResetEventSlim\.Wait|WaitForSocketEvents|Interop\+Sys\.Read\(|Thread\.Sleep|TimerQueue\.TimerThread|Heartbeat\.TimerLoop|Program\.<Main>|Task\.InternalWait|SemaphoreSlim\.Wait\(|Interop\+Sys\.WaitForSocketEvents|WaitOne|GateThread/;
const idleFrame = names.map((n) => IDLE.test(n));
// the socket engine's epoll thread is idle when it sits in native code directly under EventLoop()
const PSEUDO = new Set(names.map((n, i) => (/^(CPU_TIME|UNMANAGED_CODE_TIME)$/.test(n) ? i : -1)).filter((i) => i >= 0));
const loopFrame = names.map((n) => /SocketAsyncEngine\.EventLoop\(\)$/.test(n));
const isIdle = (stack) => {
  if (stack.some((f) => idleFrame[f])) return true;
  let i = stack.length - 1; while (i >= 0 && PSEUDO.has(stack[i])) i--;
  return i >= 0 && loopFrame[stack[i]] && i < stack.length - 1 && names[stack.at(-1)] === 'UNMANAGED_CODE_TIME';
};

const incl = new Map();
let busy = 0, total = 0;
for (const p of doc.profiles) {
  if (p.type !== 'evented') continue;
  const stack = [];
  let last = p.startValue;
  const account = (until) => {
    const dt = until - last; last = until;
    if (dt <= 0 || stack.length === 0) return;
    total += dt;
    if (isIdle(stack)) return;
    busy += dt;
    for (const f of new Set(stack)) incl.set(f, (incl.get(f) ?? 0) + dt);
  };
  for (const e of p.events) {
    account(e.at);
    if (e.type === 'O') stack.push(e.frame);
    else { const i = stack.lastIndexOf(e.frame); if (i >= 0) stack.splice(i, 1); }
  }
  account(p.endValue);
}
console.log(`busy thread time ${(busy / 1000).toFixed(2)} s of ${(total / 1000).toFixed(2)} s sampled (${doc.profiles.length} threads)`);
const pct = (v) => `${(v / busy * 100).toFixed(1).padStart(5)} %`;
if (patterns.length) {
  for (const pat of patterns) {
    const re = new RegExp(pat);
    // union over stacks is not available after aggregation; report the largest matching frame (an upper-level one)
    const matches = [...incl].filter(([f]) => re.test(names[f])).sort((a, b) => b[1] - a[1]);
    console.log(`${pct(matches[0]?.[1] ?? 0)}  ${pat}${matches[0] ? `   (${names[matches[0][0]].slice(0, 110)})` : ''}`);
  }
} else {
  for (const [f, v] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, N)) console.log(`${pct(v)}  ${names[f].slice(0, 150)}`);
}
