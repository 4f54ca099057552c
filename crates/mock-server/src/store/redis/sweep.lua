-- ARGV: namespace, most to claim. Claims the timed generations whose time
-- is up (taken off the due set, so each is claimed once), ends them, and
-- returns the fields of those that ended with a webhook to send.
local out = {}
for _, gk in ipairs(end_due(now_ms(), tonumber(ARGV[2]))) do
  out[#out + 1] = redis.call('HGETALL', gk)
end
return out
