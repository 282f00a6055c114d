-- The audit becomes a hash chain (portable): each entry stores the hash of the
-- entry before it and its own, SHA-256 over that previous hash and its canonical
-- content (store_audit.c). Entries written before this migration have no hash;
-- the chain begins at the first entry that has one (cchc audit verify).
ALTER TABLE audit ADD COLUMN prev_hash TEXT;
ALTER TABLE audit ADD COLUMN hash TEXT;
