-- wrk script: POST /api/subscriptions/portal with "{}", rotating over the bearer tokens in $BENCH_TOKENS
-- (one per line), so that requests spread over that many tenants.
local tokens = {}
for line in io.lines(os.getenv("BENCH_TOKENS")) do
  tokens[#tokens + 1] = line
end

local counter = 0

request = function()
  counter = counter + 1
  local token = tokens[(counter % #tokens) + 1]
  return wrk.format("POST", "/api/subscriptions/portal",
    { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }, "{}")
end
