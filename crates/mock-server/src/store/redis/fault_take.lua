-- ARGV: namespace, method, path, seed (1 to 2^31-2, for the rules'
-- probabilities). The fault of the first rule that hits the request, using
-- up one of its count, or false (see take_fault).
return take_fault(ARGV[2], ARGV[3], ARGV[4])
