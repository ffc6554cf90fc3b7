#!/usr/bin/env bash
# Sourced by bench scripts that need a user's token: the device flow (RFC 8628) as a person would go through it, over
# HTTP only — ask for a code, sign in on the pages, type the code, allow, then redeem the device code once.
#   device_grant <base-url> <client_id> <scope> <username> <password> <cookie-jar>
# Prints the token endpoint's JSON answer on stdout. Returns 1 (with the answer on stderr) when no user code came back.
# Every curl call has a time limit, so a server that hangs cannot hold the caller.
device_grant() {
  local base=$1 client=$2 scope=$3 username=$4 password=$5 jar=$6 device user_code device_code form
  local -a c=(curl -s --max-time 30 -c "$jar" -b "$jar")
  device=$("${c[@]}" -d "client_id=$client" --data-urlencode "scope=$scope" "$base/connect/device")
  user_code=$(_device_grant_field user_code <<<"$device"); device_code=$(_device_grant_field device_code <<<"$device")
  if [[ -z $user_code ]]; then echo "device authorization answered: $device" >&2; return 1; fi
  form=$("${c[@]}" "$base/account/sign-in?returnUrl=%2Fdevice" | _device_grant_antiforgery)
  "${c[@]}" -o /dev/null --data-urlencode "__RequestVerificationToken=$form" --data-urlencode "username=$username" \
    --data-urlencode "password=$password" -d returnUrl=/device "$base/account/sign-in?returnUrl=%2Fdevice"
  form=$("${c[@]}" "$base/device" | _device_grant_antiforgery)
  form=$("${c[@]}" --data-urlencode "__RequestVerificationToken=$form" -d "user_code=$user_code" "$base/device" | _device_grant_antiforgery)
  "${c[@]}" -o /dev/null --data-urlencode "__RequestVerificationToken=$form" -d "user_code=$user_code" -d decision=allow "$base/device"
  curl -s --max-time 30 -d grant_type=urn:ietf:params:oauth:grant-type:device_code -d "device_code=$device_code" \
    -d "client_id=$client" "$base/connect/token"
}

_device_grant_field() {
  node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{let v;try{v=JSON.parse(s)[process.argv[1]]}catch{}process.stdout.write(v===undefined?"":String(v))})' "$1"
}

_device_grant_antiforgery() { sed -n 's/.*name="__RequestVerificationToken"[^>]*value="\([^"]*\)".*/\1/p' | head -1; }
