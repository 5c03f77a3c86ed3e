-- bench/submit.lua: wrk script of the `submit` scenario (bench/run.sh). Every request is a POST
-- /api/v1/requests with a unique idempotency key (wrk process start, thread, counter), so each one
-- files a new request: the rate is of durable submissions (201 after COMMIT).
-- Environment: BENCH_API_KEY (lyk_...), BENCH_SUBMIT_BODY (a JSON file with @KEY@ where the
-- idempotency key goes).
local threads = {}
local body, key, n, stamp = "", "", 0, 0 -- tid: set per thread by setup()

function setup(thread)
    table.insert(threads, thread)
    thread:set("tid", #threads)
end

function init(args)
    local f = assert(io.open(os.getenv("BENCH_SUBMIT_BODY"), "r"))
    body = f:read("*a")
    f:close()
    key = os.getenv("BENCH_API_KEY")
    stamp = os.time()
    wrk.headers["Authorization"] = "Bearer " .. key
    wrk.headers["Content-Type"] = "application/json"
    wrk.method = "POST"
end

function request()
    n = n + 1
    local k = string.format("bench-%d-%d-%d", stamp, tid, n)
    return wrk.format("POST", wrk.path, wrk.headers, (body:gsub("@KEY@", k)))
end
