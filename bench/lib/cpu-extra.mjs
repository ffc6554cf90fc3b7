// The CPU fields of a result row, from one wrk run measured as the peers' run.sh measures it: the server's CPU
// (jiffies of its process), wrk's own CPU (/usr/bin/time), and the foreign load — machine CPU that was neither.
// Arguments: wrk's JSON summary, server jiffies before and after, jiffies per second, wrk's wall/user/system seconds,
// machine busy and total jiffies before and after. Prints the fields as a JSON fragment.
const [wj, j0, j1, hz, wall, usr, sys, s0, s1, t0, t1] = process.argv.slice(2).map((v, i) => i === 0 ? v : Number(v));
const w = JSON.parse(wj), srv = (j1 - j0) / hz, wrkcpu = usr + sys, busy = (s1 - s0) / hz, total = (t1 - t0) / hz;
const bg = total > 0 ? Math.max(0, (busy - srv - wrkcpu) / total * 100) : 0;
process.stdout.write(`"srv_cores":${(srv / w.duration_s).toFixed(3)},"srv_cpu_us_per_req":${(srv * 1e6 / w.requests).toFixed(1)},` +
  `"wrk_cores":${(wrkcpu / wall).toFixed(3)},"bg_load_pct":${bg.toFixed(1)}`);
