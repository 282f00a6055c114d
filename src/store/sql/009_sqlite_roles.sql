-- The one-stop roles (onestop, specialist, head) join users.role's CHECK.
-- SQLite cannot alter a CHECK: widening it in the stored schema is the
-- procedure SQLite documents for CHECK changes (every existing row satisfies
-- the wider constraint). The DDL of 009_onestop.sql that follows in the same
-- transaction bumps the schema cookie, so other connections reload it.
PRAGMA writable_schema=ON;
UPDATE sqlite_schema
   SET sql = replace(sql, '''admin'',''office'',''leader'',''unit'',''viewer'')',
                          '''admin'',''office'',''leader'',''unit'',''viewer'',''onestop'',''specialist'',''head'')')
 WHERE type = 'table' AND name = 'users';
PRAGMA writable_schema=RESET;
