-- 022: nothing to change on SQLite, whose search index was behind intake from 020 on. The
-- PostgreSQL migration of this number moves its index there too (postgres/022_...).
SELECT 1;
