-- ARGV: namespace, cell (plan, bucket and account), t (microseconds between
-- two requests at the steady rate), tau (t times the burst less one).
-- {'1', remaining} when allowed, {'0', wait_us} when refused (see gcra).
return gcra(ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]))
