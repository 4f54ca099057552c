-- ARGV: namespace, key. The account id and plan of a key, false, or
-- 'unseeded' (see key_account).
return key_account(ARGV[2])
