// A TCP relay in front of PostgreSQL that counts round trips (bench/dbcost.sh).
//   node pg-turns.mjs <postgres-port> <control-port> <listen-port> [<listen-port> ...]
// Each listen port is one Tessera node's way to the database, so every count is per node. A round trip is a turn of
// the conversation: the client sends after the server last spoke (or first, on a new connection). Whatever the client
// pipelines in one go (Npgsql's batches, a BEGIN sent with the first command, the pool's reset before the next command)
// is one turn, as it costs one wait for the network; the bytes of one turn may arrive in several chunks. The
// Terminate message of a closing connection waits for no answer and is not a turn. The turns that open a connection
// (SSL request, start-up, authentication: up to the first ReadyForQuery) are counted apart, as setupTurns.
// Control (HTTP on 127.0.0.1): GET /counts answers every listener's counters as JSON; GET /reset?port=P zeroes one
// listener's counters (all without port). Everything binds 127.0.0.1.
import net from 'node:net';
import http from 'node:http';

const [pgPort, controlPort, ...listenPorts] = process.argv.slice(2).map(Number);
if (!pgPort || !controlPort || listenPorts.length === 0) {
  console.error('usage: pg-turns.mjs <postgres-port> <control-port> <listen-port>...');
  process.exit(2);
}

const TERMINATE = Buffer.from([0x58, 0, 0, 0, 4]);
const fresh = () => ({ turns: 0, setupTurns: 0, opened: 0, closed: 0, clientBytes: 0, serverBytes: 0, peakOpen: 0 });
const listeners = new Map();
const endsWithReadyForQuery = b => b.length >= 6 && b[b.length - 6] === 0x5a && b.readUInt32BE(b.length - 5) === 5;

for (const port of listenPorts) {
  const state = { counts: fresh(), open: 0 };
  listeners.set(port, state);
  net.createServer({ noDelay: true }, client => {
    const counts = () => state.counts;
    const server = net.connect({ host: '127.0.0.1', port: pgPort, noDelay: true });
    let serverSpokeLast = true;
    let ready = false;
    state.open++;
    counts().opened++;
    counts().peakOpen = Math.max(counts().peakOpen, state.open);
    client.on('data', chunk => {
      if (serverSpokeLast && !chunk.equals(TERMINATE)) {
        if (ready) counts().turns++; else counts().setupTurns++;
      }
      serverSpokeLast = false;
      counts().clientBytes += chunk.length;
    });
    server.on('data', chunk => {
      serverSpokeLast = true;
      // Set-up ends with the first ReadyForQuery ('Z', length 5, status): the turns before it open the connection.
      if (!ready && endsWithReadyForQuery(chunk)) ready = true;
      counts().serverBytes += chunk.length;
    });
    client.pipe(server);
    server.pipe(client);
    let done = false;
    const close = () => {
      if (done) return;
      done = true;
      state.open--;
      counts().closed++;
      client.destroy();
      server.destroy();
    };
    client.on('close', close).on('error', close);
    server.on('close', close).on('error', close);
  }).listen(port, '127.0.0.1');
}

http.createServer((req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  if (url.pathname === '/reset') {
    const port = Number(url.searchParams.get('port'));
    for (const [p, state] of listeners) {
      if (!port || p === port) { state.counts = fresh(); state.counts.peakOpen = state.open; }
    }
  }
  const body = {};
  for (const [p, state] of listeners) body[p] = { ...state.counts, open: state.open };
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(body));
}).listen(controlPort, '127.0.0.1');
