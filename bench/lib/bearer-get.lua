-- GET with "Authorization: Bearer $TOKEN" (the gateway rows of bench/run.sh; TOKEN empty = no header, for plain YARP).
-- Reporting (exact non-2xx count, the WRK_JSON summary line) comes from the peers' common.lua ($WRK_COMMON).
local C = dofile(os.getenv('WRK_COMMON'))
wrk.method = 'GET'
local token = os.getenv('TOKEN') or ''
wrk.headers = { ['Accept'] = 'application/json' }
if token ~= '' then wrk.headers['Authorization'] = 'Bearer ' .. token end
C.install_reporting('bearer-get')
