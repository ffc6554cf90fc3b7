// The operations of bench/dbcost.sh and its table. Started by dbcost.sh once both nodes answer; not meant to run alone.
// Node A serves the measured operations with its periodic jobs slowed down (so that, nearly always, only the
// operation runs on its connections); node B runs with the defaults and does nothing but its jobs while A is measured:
// it is the idle node. Each node connects under its own role and through its own port of lib/pg-turns.mjs, so
// pg_stat_statements (per role) and the round-trip counts (per port) are per node.
// Environment (set by dbcost.sh): A_URL B_URL PG_PORT PG_DATABASE A_ROLE B_ROLE A_APP B_APP TURNS_URL A_TURNS_PORT
// B_TURNS_PORT RT_JWT RT_OPAQUE OUT DEADLINE (epoch seconds) and the knobs N REFRESH_N FAMILY ISSUE_CONCURRENCY
// ISSUE_SECONDS LOAD_CONCURRENCY LOAD_SECONDS IDLE_SECONDS.
import { execFile, execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { promisify } from 'node:util';

const env = (name, fallback) => process.env[name] ?? fallback;
const num = (name, fallback) => Number(env(name, fallback));
const A = env('A_URL'), B = env('B_URL');
const PG_PORT = env('PG_PORT'), DB = env('PG_DATABASE');
const A_ROLE = env('A_ROLE'), B_ROLE = env('B_ROLE'), A_APP = env('A_APP'), B_APP = env('B_APP');
const TURNS = env('TURNS_URL'), A_TURNS = env('A_TURNS_PORT'), B_TURNS = env('B_TURNS_PORT');
const OUT = env('OUT');
const DEADLINE = num('DEADLINE', Date.now() / 1000 + 240) * 1000;
const N = num('N', 40);                         // operations per sequential row
const REFRESH_N = num('REFRESH_N', 10);         // measured rotations per refresh row
const FAMILY = num('FAMILY', 31);               // refresh-token rows in the family that is revoked
const ISSUE_CONCURRENCY = num('ISSUE_CONCURRENCY', 32), ISSUE_SECONDS = num('ISSUE_SECONDS', 5);
const LOAD_CONCURRENCY = num('LOAD_CONCURRENCY', 128), LOAD_SECONDS = num('LOAD_SECONDS', 5);
const IDLE_SECONDS = num('IDLE_SECONDS', 30);
const SETTLE_MS = 700;                          // the audit trail is written after the answer: let it land in the window
const BENCH = 'bench:bench-secret-0123456789abcdef';
const T0 = Date.now();

const log = message => process.stderr.write(`[dbcost ${String(Math.round((Date.now() - T0) / 1000)).padStart(3)}s] ${message}\n`);
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
const left = () => DEADLINE - Date.now();

// ------------------------------------------------------------------------------------------------ PostgreSQL, counters
const psqlArgs = sql => ['-h', '127.0.0.1', '-p', PG_PORT, '-U', 'postgres', '-d', 'postgres', '-AtXq', '-v', 'ON_ERROR_STOP=1', '-c', sql];
const psql = sql => execFileSync('psql', psqlArgs(sql), { encoding: 'utf8', timeout: 20_000 }).trim();
const psqlAsync = async sql => (await promisify(execFile)('psql', psqlArgs(sql), { encoding: 'utf8', timeout: 10_000 })).stdout.trim();
const quote = s => `'${s.replaceAll("'", "''")}'`;

function resetStatements(role) {
  psql(`SELECT pg_stat_statements_reset(${quote(role)}::regrole::oid)`);
}

function readStatements(role) {
  return JSON.parse(psql(`SELECT coalesce(json_agg(json_build_object('id', s.queryid::text, 'query', s.query, 'calls', s.calls,
    'rows', s.rows)), '[]') FROM pg_stat_statements s WHERE s.userid = ${quote(role)}::regrole
    AND s.dbid = (SELECT oid FROM pg_database WHERE datname = ${quote(DB)})`));
}

// Connections each node holds (an idle pooled connection counts: the node keeps it open).
const connectionsSql = `SELECT coalesce(json_object_agg(application_name, json_build_object('held', n)), '{}')
  FROM (SELECT application_name, count(*) AS n FROM pg_stat_activity WHERE datname = ${quote(DB)} GROUP BY application_name) c`;

async function turns(port, reset = false) {
  const res = await fetch(`${TURNS}/${reset ? `reset?port=${port}` : 'counts'}`, { signal: AbortSignal.timeout(5000) });
  return (await res.json())[port];
}

// What a statement is. Transaction control and the connection pool's session reset are counted apart from the
// statements that read or write rows.
const TRANSACTION = /^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE|START\s+TRANSACTION|END)\b/i;
const SESSION = /^\s*(DISCARD|RESET|SET|UNLISTEN|CLOSE|DEALLOCATE|SHOW)\b/i;
const kind = query => TRANSACTION.test(query) ? 'transaction' : SESSION.test(query) ? 'session' : 'statement';

// ------------------------------------------------------------------------------------------------ HTTP
async function post(base, path, form, basic) {
  const headers = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  if (basic) headers.authorization = `Basic ${Buffer.from(basic).toString('base64')}`;
  const res = await fetch(base + path, { method: 'POST', headers, body: new URLSearchParams(form), signal: AbortSignal.timeout(15_000) });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* an empty 200 (revocation) or an error page */ }
  return { status: res.status, json, text };
}

const clientCredentials = (base, scope) => post(base, '/connect/token', { grant_type: 'client_credentials', scope }, BENCH);
const introspect = (base, token) => post(base, '/connect/introspect', { token }, BENCH);
const refresh = (base, token) => post(base, '/connect/token', { grant_type: 'refresh_token', client_id: 'bench-cli', refresh_token: token });
const revoke = (base, token, client) => client === 'bench-cli'
  ? post(base, '/connect/revoke', { token, client_id: 'bench-cli' })
  : post(base, '/connect/revoke', { token }, BENCH);

function must(condition, message) {
  if (!condition) throw new Error(message);
}

async function issue(base, scope, count) {
  const tokens = [];
  for (let i = 0; i < count; i++) {
    const r = await clientCredentials(base, scope);
    must(r.status === 200 && r.json?.access_token, `client_credentials (${scope}) at ${base} answered ${r.status} ${r.text.slice(0, 200)}`);
    tokens.push(r.json.access_token);
  }
  return tokens;
}

async function introspectAll(base, tokens, active) {
  for (const token of tokens) {
    const r = await introspect(base, token);
    must(r.status === 200 && r.json?.active === active, `introspection answered ${r.status} ${r.text.slice(0, 200)}, expected active=${active}`);
  }
}

async function rotate(base, token, times) {
  for (let i = 0; i < times; i++) {
    const r = await refresh(base, token);
    must(r.status === 200 && r.json?.refresh_token, `refresh grant answered ${r.status} ${r.text.slice(0, 200)}`);
    token = r.json.refresh_token;
  }
  return token;
}

// A closed loop of `concurrency` callers, bounded by time and by count. Each caller waits for its answer.
async function closedLoop(concurrency, seconds, request, maxRequests = 200_000) {
  const start = Date.now(), end = start + seconds * 1000;
  let sent = 0, ok = 0, failed = 0;
  const caller = async () => {
    while (Date.now() < end && sent < maxRequests) {
      sent++;
      try { (await request()) ? ok++ : failed++; } catch { failed++; }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, caller));
  return { sent, ok, failed, seconds: (Date.now() - start) / 1000 };
}

// ------------------------------------------------------------------------------------------------ one measured row
const rows = [];

async function measure(key, label, calls, run, target) {
  if (left() < 15_000) { log(`no time left for "${label}": skipped`); rows.push({ key, label, skipped: true, target }); return; }
  resetStatements(A_ROLE);
  await turns(A_TURNS, true);
  const start = Date.now();
  let info = {}, error = null;
  try { info = (await run()) ?? {}; } catch (e) { error = e.message; }
  await sleep(SETTLE_MS);
  const statements = readStatements(A_ROLE);
  const rt = await turns(A_TURNS);
  const n = typeof calls === 'function' ? calls(info) : calls;
  rows.push({ key, label, calls: n, seconds: (Date.now() - start) / 1000, statements, turns: rt, info, error, target });
  log(`${label}: ${error ? `FAILED: ${error}` : `${n} calls`}`);
}

// ------------------------------------------------------------------------------------------------ the run
const prepared = {};
async function prepare() {
  log('preparing tokens (not measured): JWTs and opaque handles at A, opaque handles at B, some revoked at B');
  prepared.opaqueAtA = await issue(A, 'opaque', N);
  prepared.opaqueAtB = await issue(B, 'opaque', N);
  prepared.revokedAtB = await issue(B, 'opaque', N);
  for (const token of prepared.revokedAtB) {
    const r = await revoke(B, token, 'bench');
    must(r.status === 200, `revocation at B answered ${r.status} ${r.text.slice(0, 200)}`);
  }
  prepared.jwtAtA = await issue(A, 'api', N);
  prepared.jwtWarmUp = await issue(A, 'api', 5);
  // Warm-up of every path on A, so the measured rows see a steady state (pool connections open, caches loaded).
  await issue(A, 'api', 5);
  await issue(A, 'opaque', 5);
  await introspectAll(A, prepared.jwtWarmUp, true);
  await introspectAll(A, (await issue(A, 'opaque', 5)), true);
}

async function main() {
  await prepare();
  await sleep(2000);   // B's last answers may still write (audit): its idle window starts after them

  // Node B's idle window runs while A is measured. B is not called again until it ends.
  resetStatements(B_ROLE);
  await turns(B_TURNS, true);
  const idleStart = Date.now();

  await measure('cc-jwt', 'client credentials → JWT', N, () => issue(A, 'api', N));
  await measure('cc-opaque', 'client credentials → opaque, one caller', N, () => issue(A, 'opaque', N));
  await measure('cc-opaque-load', `client credentials → opaque, ${ISSUE_CONCURRENCY} callers for ${ISSUE_SECONDS} s`, info => info.ok,
    () => closedLoop(ISSUE_CONCURRENCY, ISSUE_SECONDS, async () => (await clientCredentials(A, 'opaque')).status === 200));
  await measure('introspect-own', 'opaque introspection: first look on the node that issued the token', N, () => introspectAll(A, prepared.opaqueAtA, true));
  await measure('introspect-miss', 'opaque introspection: first look on another node (miss)', N, () => introspectAll(A, prepared.opaqueAtB, true));
  await measure('introspect-hit', 'opaque introspection: the same tokens again (cache hit)', N, () => introspectAll(A, prepared.opaqueAtB, true));
  await measure('introspect-revoked', 'opaque introspection: token revoked on another node, first look', N, () => introspectAll(A, prepared.revokedAtB, false));
  await measure('introspect-revoked-again', 'opaque introspection: the same revoked tokens again', N, () => introspectAll(A, prepared.revokedAtB, false));
  await measure('introspect-jwt', 'JWT introspection (not revoked, each token twice)', 2 * N, async () => {
    await introspectAll(A, prepared.jwtAtA, true);
    await introspectAll(A, prepared.jwtAtA, true);
  });

  for (const [format, start] of [['JWT', env('RT_JWT', '')], ['opaque', env('RT_OPAQUE', '')]]) {
    if (!start) { log(`no refresh token for the ${format} API: refresh rows skipped`); continue; }
    // The device grant made row 1 of the family; one unmeasured rotation warms the path up.
    let token = await rotate(A, start, 1);
    await measure(`refresh-${format}`, `refresh grant (${format} API)`, REFRESH_N, async () => { token = await rotate(A, token, REFRESH_N); });
    token = await rotate(A, token, FAMILY - 2 - REFRESH_N);
    const last = token;
    await measure(`family-${format}`, `revoking a refresh family of ${FAMILY} rows at /connect/revoke (${format} API)`, 1, async () => {
      const r = await revoke(A, last, 'bench-cli');
      must(r.status === 200, `revocation answered ${r.status} ${r.text.slice(0, 200)}`);
    });
    const after = await refresh(A, last);
    must(after.status === 400, `the revoked family still refreshes: ${after.status}`);
  }

  // B's idle window: wait for the rest of it, then read B's counters.
  // A late start (a slow publish) shortens the window rather than losing the table: its length is printed.
  const wait = Math.min(IDLE_SECONDS * 1000 - (Date.now() - idleStart), left() - 10_000);
  if (wait > 0) { log(`waiting ${Math.round(wait / 1000)} s for the end of B's idle window`); await sleep(wait); }
  const idleSeconds = (Date.now() - idleStart) / 1000;
  const idle = { seconds: idleSeconds, statements: readStatements(B_ROLE), turns: await turns(B_TURNS), connections: JSON.parse(psql(connectionsSql))[B_APP]?.held ?? 0 };
  log(`idle node: ${idleSeconds.toFixed(1)} s`);

  // Connections under load: LOAD_CONCURRENCY callers, sampled in pg_stat_activity and at the relay. The pool keeps
  // what a load opened, so each load goes to a node that holds only a few connections before it: opaque issuance and
  // then JWT introspection to A, opaque introspection to B (its idle window is over) with handles B has not seen.
  const loads = [];
  const pick = list => list[Math.floor(Math.random() * list.length)];
  const nodes = { A: { url: A, role: A_ROLE, app: A_APP, turns: A_TURNS }, B: { url: B, role: B_ROLE, app: B_APP, turns: B_TURNS } };
  for (const [key, at, label, request] of [
    ['load-opaque', 'A', 'client credentials → opaque', async () => (await clientCredentials(A, 'opaque')).status === 200],
    ['load-miss', 'B', 'opaque introspection (each handle missed once, then hits)', async () => (await introspect(B, pick(prepared.missPool))).json?.active === true],
    ['load-jwt-introspection', 'A', 'JWT introspection', async () => (await introspect(A, pick(prepared.jwtAtA))).json?.active === true],
  ]) {
    if (left() < LOAD_SECONDS * 1000 + 15_000) { log(`no time left for the load "${label}": skipped`); continue; }
    const node = nodes[at];
    if (key === 'load-miss') prepared.missPool = await issue(A, 'opaque', 2 * LOAD_CONCURRENCY);
    resetStatements(node.role);
    const before = JSON.parse(psql(connectionsSql))[node.app]?.held ?? 0;
    await turns(node.turns, true);
    let peak = 0, samples = 0, sampling = true;
    const sampler = (async () => {
      while (sampling) {
        try {
          peak = Math.max(peak, JSON.parse(await psqlAsync(connectionsSql))[node.app]?.held ?? 0);
          samples++;
        } catch { /* one lost sample */ }
        await sleep(250);
      }
    })();
    const result = await closedLoop(LOAD_CONCURRENCY, LOAD_SECONDS, request);
    sampling = false;
    await sampler;
    const rt = await turns(node.turns);
    loads.push({ key, node: at, label, ...result, before, peakConnections: peak, samples, relayPeakOpen: rt.peakOpen,
      statements: readStatements(node.role), turns: rt });
    log(`load "${label}" at ${at}: ${result.ok} ok, ${result.failed} failed, peak ${peak} connections, ${before} before`);
  }

  const report = render(rows, idle, loads);
  writeFileSync(`${OUT}/dbcost.json`, JSON.stringify({ rows, idle, loads }, null, 1));
  writeFileSync(`${OUT}/dbcost.md`, report.table + '\n' + report.details);
  process.stdout.write(report.table);
}

// ------------------------------------------------------------------------------------------------ the table
// Targets of issue "Scale". Each judges the row's per-operation figures: st (statements that read or write rows),
// tx (transaction control), reset (the pool's DISCARD ALL, sent with the next statement in the same round trip).
const TARGETS = {
  'introspect-own': ['≤ 1 read per token per node', r => r.st <= 1],
  'introspect-miss': ['≤ 1 read per token per node', r => r.st <= 1],
  'introspect-hit': ['0 (≤ 1 read per token per node)', r => r.st === 0],
  'introspect-revoked': ['≤ 1 read per token per node', r => r.st <= 1],
  'introspect-revoked-again': ['0 (≤ 1 read per token per node)', r => r.st === 0],
  'introspect-jwt': ['0 in steady state', r => r.st === 0],
  'refresh-JWT': ['≤ 4 statements, transaction control aside', r => r.st <= 4],
  'refresh-opaque': ['≤ 4 statements, transaction control aside', r => r.st <= 4],
  'family-JWT': ['≤ 12 statements (family of 31)', r => r.st + r.tx <= 12],
  'family-opaque': ['≤ 12 statements (family of 31)', r => r.st + r.tx <= 12],
  idle: ['≤ 1.3 statements/s (transaction control counted, pool resets not)', r => r.st + r.tx <= 1.3],
  load: ['≤ 20 connections', r => r.peak <= 20],
};

function render(rows, idle, loads) {
  // B's jobs are the background; the same statement on A during a row is one of A's slowed jobs, not the operation.
  const background = new Set(idle.statements.filter(s => kind(s.query) === 'statement').map(s => s.id));
  const isBackground = s => kind(s.query) === 'statement' && background.has(s.id);
  const f = x => (x === undefined || x === null || Number.isNaN(x)) ? '–' : Number.isInteger(x) ? String(x) : x.toFixed(2);
  const sum = (list, pick) => list.reduce((a, s) => a + pick(s), 0);
  const calls = (list, k) => sum(list.filter(s => kind(s.query) === k), s => s.calls);
  const verdict = (key, figures) => TARGETS[key] ? `${TARGETS[key][0]}: **${TARGETS[key][1](figures) ? 'met' : 'not met'}**` : '';
  const out = [];
  const details = ['', '## Statements per row (calls in the window: node A, node B for the idle row)', ''];
  const listing = (title, statements) => {
    details.push(`### ${title}`, '', '| calls | rows | kind | statement |', '|---:|---:|---|---|');
    for (const s of [...statements].sort((x, y) => y.calls - x.calls)) {
      details.push(`| ${s.calls} | ${s.rows} | ${isBackground(s) && title !== 'idle node B' ? 'background (left out)' : kind(s.query)} | \`${oneLine(s.query)}\` |`);
    }
    details.push('');
  };
  out.push('| operation | ops | statements / op | transaction control / op | pool resets / op | round trips / op | connections | target |');
  out.push('|---|---:|---:|---:|---:|---:|---|---|');
  for (const r of rows) {
    if (r.skipped) { out.push(`| ${r.label} | skipped (no time left) | | | | | | |`); continue; }
    if (r.error) { out.push(`| ${r.label} | FAILED: ${r.error.replaceAll('|', '/')} | | | | | | |`); continue; }
    const own = r.statements.filter(s => !isBackground(s));
    const left = sum(r.statements.filter(isBackground), s => s.calls);
    const per = { st: calls(own, 'statement') / r.calls, tx: calls(own, 'transaction') / r.calls, reset: calls(own, 'session') / r.calls };
    let note = '';
    if (r.key.startsWith('cc-opaque')) {
      const inserts = own.filter(s => /^\s*INSERT\s+INTO\s+"?OpaqueTokens/i.test(s.query));
      const n = sum(inserts, s => s.calls), inserted = sum(inserts, s => s.rows);
      const sizes = inserts.map(s => s.rows / s.calls);
      if (n) note = `: ${n} INSERT for ${inserted} tokens, tokens per INSERT ${f(inserted / n)} on average, ${f(Math.min(...sizes))}–${f(Math.max(...sizes))}`;
      if (r.info.seconds) note += `, ${Math.round(r.calls / r.info.seconds)} tokens/s`;
    }
    const label = r.label + note + (left ? ` [${left} statements of A's slowed jobs left out]` : '');
    out.push(`| ${label} | ${r.calls} | ${f(per.st)} | ${f(per.tx)} | ${f(per.reset)} | ${f(r.turns.turns / r.calls)} | ${r.turns.opened} opened | ${verdict(r.key, per)} |`);
    listing(r.label, r.statements);
  }
  const idlePer = { st: calls(idle.statements, 'statement') / idle.seconds, tx: calls(idle.statements, 'transaction') / idle.seconds, reset: calls(idle.statements, 'session') / idle.seconds };
  out.push(`| idle node (B, default intervals), per second over ${f(idle.seconds)} s | – | ${f(idlePer.st)}/s | ${f(idlePer.tx)}/s | ${f(idlePer.reset)}/s | ${f(idle.turns.turns / idle.seconds)}/s | ${idle.connections} held, ${idle.turns.opened} opened | ${verdict('idle', idlePer)} |`);
  listing('idle node B', idle.statements);
  for (const l of loads) {
    const st = calls(l.statements, 'statement'), ok = Math.max(l.ok, 1);
    out.push(`| node ${l.node}, ${LOAD_CONCURRENCY} concurrent callers for ${f(l.seconds)} s: ${l.label} (${l.ok} answered, ${l.failed} failed) | ${l.ok} | ${f(st / ok)} | ${f(calls(l.statements, 'transaction') / ok)} | ${f(calls(l.statements, 'session') / ok)} | ${f(l.turns.turns / ok)} | **${l.peakConnections} held at peak** (${l.before} before; ${l.samples} samples of pg_stat_activity; ${l.relayPeakOpen} at the relay), ${l.turns.opened} opened | ${verdict('load', { peak: l.peakConnections })} |`);
    listing(`${LOAD_CONCURRENCY} concurrent callers: ${l.label}`, l.statements);
  }
  const table = [
    '',
    'Statements: pg_stat_statements calls (track=all) under the node\'s role in the row\'s window, divided by the operations;',
    '"pool resets" are the DISCARD ALL Npgsql sends with the first statement after a connection comes back from the pool.',
    'Round trips: client→server turns on the node\'s connections, counted by a relay in front of PostgreSQL',
    '(bench/lib/pg-turns.mjs; the turns that open a connection are not included, "opened" counts those connections).',
    'Node A runs with its periodic jobs slowed down; a statement of those jobs (one that node B runs while idle) that falls',
    'in a row\'s window is left out and named. Every statement of every row: dbcost.md next to the raw dbcost.json.',
    '',
    ...out,
    '',
  ].join('\n');
  return { table, details: details.join('\n') };
}

const oneLine = q => q.replace(/\s+/g, ' ').replaceAll('|', '\\|').slice(0, 300);

main().catch(e => { log(`FAILED: ${e.stack ?? e}`); process.exit(1); });
