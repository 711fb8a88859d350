-- wrk script: POST /api/subscriptions/portal with "{}", rotating over the bearer tokens in $BENCH_TOKENS
-- (one per line), so that requests spread over that many tenants. The requests are formatted once, in init(), as
-- wrk's documentation advises: formatting each one in request() cost wrk about a quarter more CPU per request,
-- which it took from the API on the same cores (row 1 runs without a script).
local requests = {}
local counter = 0

init = function(args)
  for line in io.lines(os.getenv("BENCH_TOKENS")) do
    requests[#requests + 1] = wrk.format("POST", "/api/subscriptions/portal",
      { ["Authorization"] = "Bearer " .. line, ["Content-Type"] = "application/json" }, "{}")
  end
end

request = function()
  counter = counter + 1
  return requests[(counter % #requests) + 1]
end
