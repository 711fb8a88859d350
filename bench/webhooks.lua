-- wrk script: POST /api/stripe/webhooks with signed events from $BENCH_EVENTS, one per line as
-- "<Stripe-Signature header>\t<body>". Each of wrk's threads sends its own share of the lines, so that every event id
-- is delivered once (a repeated id would measure the cheaper duplicate path). Requests are formatted once, in init().
local threads = 0
local requests = {}
local counter = 0

setup = function(thread)
  thread:set("id", threads)
  threads = threads + 1
  thread:set("count", 0)
end

init = function(args)
  local n = 0
  for line in io.lines(os.getenv("BENCH_EVENTS")) do
    if n % 2 == id then
      local signature, body = line:match("^([^\t]*)\t(.*)$")
      requests[#requests + 1] = wrk.format("POST", "/api/stripe/webhooks",
        { ["Stripe-Signature"] = signature, ["Content-Type"] = "application/json" }, body)
    end
    n = n + 1
  end
end

request = function()
  counter = counter + 1
  return requests[(counter % #requests) + 1]
end
