// A local OTLP/HTTP sink for bench/run.sh's -otel passes: reads every export to its end and answers 200 with an empty
// protobuf body (an empty Export*ServiceResponse: everything accepted). Counts what it received, printed at exit.
// Binds 127.0.0.1 only.  node otlp-sink.mjs <port>
import http from 'node:http';

const port = Number(process.argv[2] ?? 18099);
const received = { requests: 0, bytes: 0 };
const server = http.createServer((request, response) => {
  request.on('data', (chunk) => { received.bytes += chunk.length; });
  request.on('end', () => {
    received.requests++;
    response.writeHead(200, { 'content-type': 'application/x-protobuf' });
    response.end();
  });
});
server.listen(port, '127.0.0.1');
const stop = () => { console.log(`otlp-sink: ${received.requests} exports, ${received.bytes} bytes`); process.exit(0); };
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
