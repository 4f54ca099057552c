-- ARGV: namespace, lease (ms), most to claim, lease token. Claims the
-- queued webhook deliveries that are due (see claim_hooks): each is held
-- to the end of the lease with the token. Returns {attempt, fields} per
-- delivery.
local now = now_ms()
local out = {}
claim_hooks(now, now + tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4], out,
  function(attempt, fields) return { attempt, fields } end)
return out
