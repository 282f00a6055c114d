-- The one-stop roles (onestop, specialist, head) join users.role's CHECK.
ALTER TABLE users DROP CONSTRAINT IF EXISTS users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
    CHECK (role IN ('admin','office','leader','unit','viewer','onestop','specialist','head'));
