// Report for bench/run.sh (plain Node >= 18, no dependencies).
//   node report.mjs <result-dir>
// Reads <dir>/results.jsonl (rows of the peers' run.sh, all passes), <dir>/meta.json, <dir>/crypto.tsv and
// <dir>/crypto-bg.txt, prints ONE table with Tessera ÷ peer ratios, and writes <dir>/table.md and <dir>/table.json.
//
// Ratios are req/s of a Tessera row divided by req/s of the peer row for the same scenario in the same run:
//   ÷ node   = panva/oidc-provider (opaque and introspection: its durable SQLite adapter; JWT rows store nothing)
//   ÷ OIDict = OpenIddict 7.8 (opaque: reference tokens; JWT rows store a token entry, as its docs advise)
//   % ceil   = share of the bare-Kestrel ceiling (a fixed 200-byte JSON answer to the same POST)
// A ratio is printed in parentheses when either row is not clean (errors, or more than 10 % foreign CPU).
import { readFileSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
if (!dir) { console.error('usage: node report.mjs <result-dir>'); process.exit(2); }
const NOISY = Number(process.env.NOISY_BG ?? 10);

const rows = existsSync(join(dir, 'results.jsonl'))
  ? readFileSync(join(dir, 'results.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l))
  : [];
const meta = existsSync(join(dir, 'meta.json')) ? JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) : {};
const crypto = existsSync(join(dir, 'crypto.tsv'))
  ? readFileSync(join(dir, 'crypto.tsv'), 'utf8').split('\n').filter(Boolean).map((l) => l.split('\t'))
  : [];

// peer/scenario (as run.sh names them) -> [server label, canonical scenario]
const PEER = {
  'node-oidc-provider': 'oidc-provider',
  openiddict: 'OpenIddict',
  'kestrel-ceiling': 'Kestrel ceiling',
};
const PEER_SCENARIO = {
  'token-jwt-RS256': 'token JWT RS256',
  'token-jwt-ES256': 'token JWT ES256',
  'token-opaque': 'token opaque (memory)',
  'introspect-opaque': 'introspect (memory)',
  'token-opaque-sqlite': 'token opaque',
  'introspect-opaque-sqlite': 'introspect opaque',
  'token-reference': 'token opaque',
  'introspect-reference': 'introspect opaque',
  'token-jwt-RS256-nostore': 'token JWT RS256, no storage',
  jwks: 'JWKS',
  discovery: 'discovery',
  'post-fixed-200B': 'POST -> fixed 200 B',
};
// tessera-<sqlite|pg>-<RS256|ES256|opaque|pat>[-otel]/<token|introspect|jwks|discovery> (pat: bench/lib/pat-row.sh; -otel: OTLP on)
function classify(r) {
  const m = /^tessera-(sqlite|pg)-(RS256|ES256|opaque|pat)(-otel)?$/.exec(r.peer);
  if (m) {
    const db = (m[1] === 'pg' ? 'PostgreSQL' : 'SQLite') + (m[3] ? ', telemetry on' : '');
    let scen;
    if (r.scenario === 'token') scen = m[2] === 'opaque' ? 'token opaque' : `token JWT ${m[2]}`;
    else if (r.scenario === 'introspect') scen = m[2] === 'pat' ? 'introspection of a personal access token' : 'introspect opaque';
    else scen = r.scenario === 'jwks' ? 'JWKS' : r.scenario;
    return { server: `Tessera (${db})`, scen, tessera: true };
  }
  const scen = PEER_SCENARIO[r.scenario] ?? r.scenario;
  return { server: PEER[r.peer] ?? r.peer, scen, label: PEER_LABEL[`${r.peer}/${r.scenario}`] ?? scen, tessera: false };
}
// how the peers store what the opaque rows are compared with
const PEER_LABEL = {
  'node-oidc-provider/token-opaque-sqlite': 'token opaque (SQLite adapter)',
  'node-oidc-provider/introspect-opaque-sqlite': 'introspect opaque (SQLite adapter)',
  'openiddict/token-reference': 'token opaque (reference token, EF/SQLite)',
  'openiddict/introspect-reference': 'introspect opaque (reference token)',
  'openiddict/token-jwt-RS256': 'token JWT RS256 (+ token entry INSERT)',
  'openiddict/token-jwt-ES256': 'token JWT ES256 (+ token entry INSERT)',
};

// PostgreSQL rows: the cluster's CPU during the measured window (pg-cpu.tsv, sampled by run.sh twice a second;
// the window ends at the mtime of <tag>.wrk-time.txt and lasts its wall time). run.sh counted it as foreign load.
const pgSamples = [];
let pgHz = 100, pgCpus = 2;
if (existsSync(join(dir, 'pg-cpu.tsv'))) {
  for (const l of readFileSync(join(dir, 'pg-cpu.tsv'), 'utf8').split('\n')) {
    const h = /^# hz (\d+) ncpu (\d+)/.exec(l);
    if (h) { pgHz = Number(h[1]); pgCpus = Number(h[2]); continue; }
    const [t, j] = l.trim().split(/\s+/).map(Number);
    if (Number.isFinite(t) && Number.isFinite(j)) pgSamples.push([t, j]);
  }
}
function pgJiffiesAt(t) {
  if (pgSamples.length < 2 || t < pgSamples[0][0] || t > pgSamples.at(-1)[0]) return undefined;
  let i = 1;
  while (pgSamples[i][0] < t) i++;
  const [t0, j0] = pgSamples[i - 1]; const [t1, j1] = pgSamples[i];
  return t1 === t0 ? j1 : j0 + (j1 - j0) * (t - t0) / (t1 - t0);
}
function pgCpu(r) {
  if (!r.peer.startsWith('tessera-pg-') || !r.wrk?.requests) return undefined;
  const f = join(dir, `pass-${r.peer}`, `${r.peer}_${r.scenario.replace(/[^A-Za-z0-9]/g, '_')}.wrk-time.txt`);
  if (!existsSync(f)) return undefined;
  const end = statSync(f).mtimeMs / 1000;
  const wall = Number(readFileSync(f, 'utf8').trim().split(/\s+/)[0]);
  const a = pgJiffiesAt(end - wall); const b = pgJiffiesAt(end);
  if (a === undefined || b === undefined) return undefined;
  const seconds = (b - a) / pgHz;
  return { us_per_req: seconds * 1e6 / r.wrk.requests, pct_of_machine: seconds / (wall * pgCpus) * 100 };
}
for (const r of rows) {
  const pg = pgCpu(r);
  if (pg) {
    r.pg_cpu_us_per_req = pg.us_per_req;
    r.bg_load_pct_incl_pg = r.bg_load_pct;
    r.bg_load_pct = Math.max(0, r.bg_load_pct - pg.pct_of_machine);   // foreign = everything but server, wrk, PostgreSQL
  }
}

const gatewayRows = rows.filter((r) => r.peer === 'gateway');
const classified = rows.filter((r) => r.peer !== 'gateway').map((r) => ({ r, ...classify(r) }));
const rps = (r) => r?.wrk?.rps;
const errors = (r) => (r?.wrk?.requests === undefined ? undefined
  : r.wrk.non2xx + r.wrk.err_connect + r.wrk.err_read + r.wrk.err_write + r.wrk.err_timeout);
const clean = (r) => r && !r.error && errors(r) === 0 && (r.bg_load_pct ?? 0) <= NOISY;
const find = (server, scen) => classified.find((c) => c.server === server && c.scen === scen)?.r;
const ceiling = find('Kestrel ceiling', 'POST -> fixed 200 B');

function ratio(t, p, pct = false) {
  if (!rps(t) || !rps(p)) return '-';
  const v = rps(t) / rps(p);
  const s = pct ? `${(v * 100).toFixed(v < 0.1 ? 1 : 0)} %` : `${v.toFixed(v < 10 ? 2 : 1)}×`;
  return clean(t) && clean(p) ? s : `(${s})`;
}

const fmt = (n, d = 0) => (n === undefined || n === null || Number.isNaN(n) ? '-'
  : Number(n).toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }));
const ms = (us) => (us === undefined ? '-' : (us / 1000).toFixed(us < 10000 ? 2 : 1));

const header = ['server', 'scenario', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'srv CPU µs/req', 'PG CPU µs/req', 'srv cores',
  'peak RSS MiB', 'B/resp', 'foreign load', '÷ oidc-provider', '÷ oidc-provider in-memory', '÷ OpenIddict', 'of Kestrel ceiling'];
// The targets also compare the durable opaque rows with oidc-provider's in-memory (not durable) store.
const IN_MEMORY = { 'token opaque': 'token opaque (memory)', 'introspect opaque': 'introspect (memory)' };
const table = classified.map(({ r, server, scen, label, tessera }) => {
  const w = r.wrk ?? {};
  const bg = r.bg_load_pct === undefined ? '-' : `${r.bg_load_pct.toFixed(0)} %${r.bg_load_pct > NOISY ? ' *' : ''}`;
  return [
    server, r.error ? `${label ?? scen} FAILED: ${r.error}` : (label ?? scen),
    fmt(w.rps), ms(w.lat_p50_us), ms(w.lat_p99_us),
    w.requests === undefined ? '-' : fmt(errors(r)),
    r.srv_cpu_us_per_req === undefined ? '-' : fmt(r.srv_cpu_us_per_req),
    r.pg_cpu_us_per_req === undefined ? '' : fmt(r.pg_cpu_us_per_req),
    r.srv_cores === undefined ? '-' : r.srv_cores.toFixed(2),
    r.peak_rss_kib ? (r.peak_rss_kib / 1024).toFixed(0) : '-',
    w.requests ? fmt(w.bytes / w.requests) : '-',
    bg,
    tessera ? ratio(r, find('oidc-provider', scen)) : '',
    tessera && IN_MEMORY[scen] ? ratio(r, find('oidc-provider', IN_MEMORY[scen])) : '',
    tessera ? ratio(r, find('OpenIddict', scen)) : '',
    tessera || server !== 'Kestrel ceiling' ? ratio(r, ceiling, true) : '',
  ];
});

const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => String(row[i]).length)));
const left = new Set([0, 1]);
const line = (cells) => '| ' + cells.map((c, i) => (left.has(i) ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join(' | ') + ' |';
const sep = '|' + widths.map((w, i) => (left.has(i) ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|') + '|';

const out = [];
out.push(`Tessera vs peers — ${meta.date ?? ''} — wrk -t${meta.threads} -c${meta.conns} -d${meta.duration}s after ${meta.warmup}s warm-up, `
  + 'one fresh server process per row, 127.0.0.1, HTTP/1.1 keep-alive');
if (meta.machine) out.push(`Machine: ${meta.machine}`);
out.push('');
if (table.length) {
  out.push(line(header));
  out.push(sep);
  for (const row of table) out.push(line(row));
  out.push('');
}

// The gateway pass (bench/lib/gateway-pass.sh): its own table, each row ÷ plain YARP of the same pass.
const GATEWAY_LABEL = {
  'plain-yarp': 'plain YARP, no authentication',
  'tessera-gateway-jwt': 'Tessera.Gateway, JWT caller token',
  'tessera-gateway-opaque': 'Tessera.Gateway, opaque caller token (cached introspection)',
};
const plainYarp = gatewayRows.find((r) => r.scenario === 'plain-yarp');
const gatewayTable = gatewayRows.map((r) => {
  const w = r.wrk ?? {};
  const bg = r.bg_load_pct === undefined ? '-' : `${r.bg_load_pct.toFixed(0)} %${r.bg_load_pct > NOISY ? ' *' : ''}`;
  const name = GATEWAY_LABEL[r.scenario] ?? r.scenario;
  const extraUs = r.srv_cpu_us_per_req !== undefined && plainYarp?.srv_cpu_us_per_req !== undefined && r !== plainYarp
    ? fmt(r.srv_cpu_us_per_req - plainYarp.srv_cpu_us_per_req) : '';
  const extraMs = w.lat_p50_us !== undefined && plainYarp?.wrk?.lat_p50_us !== undefined && r !== plainYarp
    ? ms(w.lat_p50_us - plainYarp.wrk.lat_p50_us) : '';
  return [
    r.error ? `${name} FAILED: ${r.error}` : name, fmt(w.rps), ms(w.lat_p50_us), ms(w.lat_p99_us),
    w.requests === undefined ? '-' : fmt(errors(r)),
    r.srv_cpu_us_per_req === undefined ? '-' : fmt(r.srv_cpu_us_per_req), extraUs, extraMs,
    r.srv_cores === undefined ? '-' : r.srv_cores.toFixed(2),
    r.upstream_cpu_us_per_req === undefined ? '-' : fmt(r.upstream_cpu_us_per_req),
    r.peak_rss_kib ? (r.peak_rss_kib / 1024).toFixed(0) : '-', bg,
    r === plainYarp ? '' : ratio(r, plainYarp, true),
  ];
});
if (gatewayTable.length) {
  const gh = ['proxy (same GET, same upstream)', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'proxy CPU µs/req', 'added CPU µs/req',
    'added p50 ms', 'proxy cores', 'upstream CPU µs/req', 'peak RSS MiB', 'foreign load', 'of plain YARP'];
  const gw = gh.map((h, i) => Math.max(h.length, ...gatewayTable.map((row) => String(row[i]).length)));
  const gline = (cells) => '| ' + cells.map((c, i) => (i === 0 ? String(c).padEnd(gw[i]) : String(c).padStart(gw[i]))).join(' | ') + ' |';
  out.push('Gateway: GET through the proxy to a fixed 200-byte upstream (identity token exchanged once, then cached)');
  out.push('');
  out.push(gline(gh));
  out.push('|' + gw.map((w, i) => (i === 0 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|') + '|');
  for (const row of gatewayTable) out.push(gline(row));
  out.push('');
}
if (crypto.length) {
  const bgFile = join(dir, 'crypto-bg.txt');
  const bg = existsSync(bgFile) ? ` (foreign load ${readFileSync(bgFile, 'utf8').trim()} %)` : '';
  out.push(`One core, System.Security.Cryptography${bg}: `
    + crypto.filter(([n]) => /RS256 sign|ES256 sign|SHA-256|HS256 sign/.test(n)).map(([n, , us]) => `${n} ${Number(us).toFixed(1)} µs`).join('; '));
  out.push('');
}
out.push('errors = non-2xx + socket errors. srv CPU µs/req = server process CPU per completed request. srv cores = server CPU / wall.');
out.push('PG CPU µs/req = CPU of the PostgreSQL cluster per request (PostgreSQL rows; not included in foreign load).');
out.push('peak RSS = VmHWM over start + warm-up + run. B/resp = bytes per response incl. headers. foreign load = CPU of all OTHER');
out.push(`processes during the measured run; * = above ${NOISY} %, the row is disturbed and ratios involving it are in parentheses.`);
out.push('÷ peer = Tessera req/s ÷ the peer\'s req/s, same scenario, same run (opaque/introspect: oidc-provider with its SQLite');
out.push('adapter, OpenIddict reference tokens). "of Kestrel ceiling" = req/s as a share of bare Kestrel answering the same POST.');
if (meta.versions) out.push('', 'Versions: ' + Object.entries(meta.versions).map(([k, v]) => `${k} ${v}`).join('; '));

const text = out.join('\n');
console.log(text);
writeFileSync(join(dir, 'table.md'), text + '\n');
writeFileSync(join(dir, 'table.json'), JSON.stringify({
  meta,
  rows: classified.map(({ r, server, scen, tessera }) => ({
    server, scenario: scen, raw: r,
    ...(tessera ? {
      vs_oidc_provider: rps(r) && rps(find('oidc-provider', scen)) ? rps(r) / rps(find('oidc-provider', scen)) : null,
      vs_oidc_provider_in_memory: IN_MEMORY[scen] && rps(r) && rps(find('oidc-provider', IN_MEMORY[scen]))
        ? rps(r) / rps(find('oidc-provider', IN_MEMORY[scen])) : null,
      vs_openiddict: rps(r) && rps(find('OpenIddict', scen)) ? rps(r) / rps(find('OpenIddict', scen)) : null,
      of_kestrel_ceiling: rps(r) && rps(ceiling) ? rps(r) / rps(ceiling) : null,
    } : {}),
  })),
}, null, 2) + '\n');
