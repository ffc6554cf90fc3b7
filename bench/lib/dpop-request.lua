-- A request with a DPoP proof of its own (RFC 9449: a proof is accepted once), for bench/lib/dpop-row.sh.
-- Env: PROOFS (file, one proof per line; thread t of THREADS takes lines t, t+THREADS, …), AUTHORIZATION (header value),
-- METHOD (GET|POST), BODY (form body for POST). Reporting (exact non-2xx count, WRK_JSON line) is the peers' common.lua.
local C = dofile(os.getenv('WRK_COMMON'))
local method = os.getenv('METHOD') or 'GET'
local body = os.getenv('BODY')
local headers = { ['Accept'] = 'application/json', ['Authorization'] = os.getenv('AUTHORIZATION') }
if method == 'POST' then headers['Content-Type'] = 'application/x-www-form-urlencoded' end
C.install_reporting('dpop-' .. string.lower(method))

local reporting_setup = setup
local next_id = 0
setup = function(thread)
  thread:set('tid', next_id)
  next_id = next_id + 1
  reporting_setup(thread)
end

local proofs, used = {}, 0
function init(args)
  local threads, k = tonumber(os.getenv('THREADS') or '2'), 0
  for line in io.lines(os.getenv('PROOFS')) do
    if k % threads == tid then proofs[#proofs + 1] = line end
    k = k + 1
  end
end

-- A thread that runs out of proofs starts over: those requests are replays, refused, and counted as non-2xx.
function request()
  used = used + 1
  if used > #proofs then used = 1 end
  headers['DPoP'] = proofs[used]
  return wrk.format(method, nil, headers, body)
end
