-- POST the refresh-token grant (RFC 6749 §6) of one user's grant, again and again: the server runs with
-- Tessera:RefreshTokens:ReuseGraceSeconds, so the same refresh token stays usable for the run and every request
-- rotates it (a new refresh token row, a new access token), as a client refreshing would.
-- Env: REFRESH_TOKEN (required), CLIENT_ID (a public client), WRK_COMMON (the peers' common.lua).
local C = dofile(os.getenv('WRK_COMMON'))
local token = C.env('REFRESH_TOKEN', '')
if token == '' then error('refresh.lua: set REFRESH_TOKEN') end
wrk.method = 'POST'
wrk.body = 'grant_type=refresh_token&client_id=' .. C.formencode(C.env('CLIENT_ID', 'bench-cli')) .. '&refresh_token=' .. C.formencode(token)
wrk.headers = { ['Content-Type'] = 'application/x-www-form-urlencoded', ['Accept'] = 'application/json' }
C.install_reporting('refresh')
