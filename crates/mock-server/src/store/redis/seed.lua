-- ARGV: namespace, then the accounts (see seed).
seed(2)
return 1
