// Writes DPoP proofs (RFC 9449 §4.2) for the DPoP rows of bench/run.sh (bench/lib/dpop-row.sh), one per line: each
// request of a run needs a proof of its own (the server accepts a jti once), so they are made before the run.
//   node dpop-proofs.mjs <key.json> <count> <method> <htu> [access-token] > proofs.txt
// The key (P-256, ES256) is created in <key.json> on first use and reused after, so the token the token rows bind is
// the one the resource rows present. Bench tooling only: Node's own crypto signs; the product never does this.
import { createHash, createPrivateKey, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const [keyFile, countArg, method, htu, accessToken] = process.argv.slice(2);
const count = Number(countArg);
if (!keyFile || !(count > 0) || !method || !htu) {
  console.error('usage: dpop-proofs.mjs <key.json> <count> <method> <htu> [access-token]');
  process.exit(2);
}
if (!existsSync(keyFile)) {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  writeFileSync(keyFile, JSON.stringify(privateKey.export({ format: 'jwk' })));
}
const jwk = JSON.parse(readFileSync(keyFile, 'utf8'));
const key = createPrivateKey({ key: jwk, format: 'jwk' });
const b64 = (data) => Buffer.from(data).toString('base64url');
const header = b64(JSON.stringify({ typ: 'dpop+jwt', alg: 'ES256', jwk: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y } }));
const ath = accessToken ? createHash('sha256').update(accessToken, 'ascii').digest('base64url') : undefined;
const iat = Math.floor(Date.now() / 1000);
const out = [];
for (let i = 0; i < count; i++) {
  const payload = b64(JSON.stringify({ jti: randomBytes(12).toString('base64url'), htm: method, htu, iat, ...(ath ? { ath } : {}) }));
  const input = `${header}.${payload}`;
  out.push(`${input}.${b64(sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }))}`);
}
process.stdout.write(out.join('\n') + '\n');
