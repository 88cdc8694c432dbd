-- The benchmark's database: one table of mixed types that compresses the way business data does
-- (repeated words, structured jsonb, numbers, timestamps, some incompressible bytes), about
-- 270 bytes a row, so the default 3,000,000 rows make about 0.8 GB on disk. Deterministic: the
-- same rows on every machine, no random(), so archive sizes compare across runs.
--   psql -v rows=3000000 -f .ci/bench/data.sql
\if :{?rows}
\else
  \set rows 3000000
\endif

SET client_min_messages = warning;
DROP TABLE IF EXISTS bench_orders;
CREATE TABLE bench_orders (
  id         bigint PRIMARY KEY,
  placed_at  timestamptz NOT NULL,
  amount     numeric(12, 2) NOT NULL,
  customer   text NOT NULL,
  note       text,
  attributes jsonb NOT NULL,
  digest     bytea NOT NULL
);

-- Words to build names and notes from: real text repeats itself, which is what compression uses.
CREATE TEMPORARY TABLE words (n int PRIMARY KEY, word text NOT NULL);
INSERT INTO words
SELECT ordinality - 1, word
FROM unnest(string_to_array(
  'alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar '
  'papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu north south east west '
  'harbor meadow river stone cedar maple willow granite copper silver amber coral ivory onyx '
  'pending shipped delivered returned invoice express standard priority fragile', ' '))
  WITH ORDINALITY AS w(word, ordinality);

INSERT INTO bench_orders
SELECT g,
       timestamptz '2020-01-01 00:00:00+00' + (g * interval '37 seconds'),
       ((g * 7919) % 1000000) / 100.0,
       initcap(w1.word) || ' ' || initcap(w2.word) || ' ' || (g % 9973)::text,
       CASE WHEN g % 5 = 0 THEN NULL
            ELSE w3.word || ' ' || w4.word || ', ' || w2.word || ' ' || md5(g::text) END,
       jsonb_build_object(
         'sku', 'SKU-' || lpad((g % 50000)::text, 6, '0'),
         'qty', 1 + g % 12,
         'status', w4.word,
         'tags', jsonb_build_array(w1.word, w3.word),
         'gift', g % 17 = 0),
       sha256(int8send(g))
FROM generate_series(1::bigint, :rows) AS g
JOIN words w1 ON w1.n = g % 44
JOIN words w2 ON w2.n = (g / 44) % 44
JOIN words w3 ON w3.n = (g * 31) % 44
JOIN words w4 ON w4.n = 44 + g % 9;

ANALYZE bench_orders;
