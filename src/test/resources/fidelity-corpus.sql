-- The round-trip fidelity corpus (issue 6, item 5): what real schemas hold, each kind of object
-- at least once, with data whose text form is easy to get subtly wrong. FidelityIT backs it up
-- and restores it with the real program, then compares pg_dump --schema-only of both databases
-- and an order-independent checksum of every table. Run with psql (ON_ERROR_STOP), as superuser.

-- Extensions, in a schema of their own (both are trusted extensions since PostgreSQL 13).
CREATE SCHEMA ext;
CREATE EXTENSION pgcrypto WITH SCHEMA ext;
CREATE EXTENSION citext WITH SCHEMA ext;

-- Several schemas, one with a unicode name, one whose name needs quoting.
CREATE SCHEMA app;
CREATE SCHEMA reporting;
CREATE SCHEMA "Ünïcode Schéma ✓";
CREATE SCHEMA "we""ird.Schema";
COMMENT ON SCHEMA app IS 'The application''s tables';
COMMENT ON SCHEMA "Ünïcode Schéma ✓" IS 'Schéma mit Umlauten — 日本語';

-- Types: an enum, domains with checks, composite types (one nesting another).
CREATE TYPE app.mood AS ENUM ('sad', 'ok', 'happy', 'ünïcode ☺');
ALTER TYPE app.mood ADD VALUE 'meh' BEFORE 'ok';
CREATE DOMAIN app.positive_money AS numeric(14, 2) NOT NULL CHECK (VALUE > 0);
CREATE DOMAIN app.email AS ext.citext CHECK (VALUE ~ '^[^@\s]+@[^@\s]+$');
CREATE TYPE app.point3 AS (x double precision, y double precision, z double precision);
CREATE TYPE app.address AS (street text, city text, zip varchar(10), location app.point3);
COMMENT ON TYPE app.mood IS 'How a customer feels';
COMMENT ON DOMAIN app.positive_money IS 'Strictly positive amounts';

-- Sequences with advanced, unusual states.
CREATE SEQUENCE app.ticket_numbers START 1000 INCREMENT 7 CACHE 5;
SELECT nextval('app.ticket_numbers') FROM generate_series(1, 13);
CREATE SEQUENCE app.countdown INCREMENT -3 MINVALUE -100 MAXVALUE 50 START 50 CYCLE;
SELECT nextval('app.countdown') FROM generate_series(1, 40);
CREATE SEQUENCE app.not_called_yet AS smallint START 5;
SELECT setval('app.not_called_yet', 42, false);

-- A table of nearly every type, identity key advanced past its rows, a stored generated column
-- that calls an extension's function, and check constraints.
CREATE TABLE app.customers (
  id bigint GENERATED ALWAYS AS IDENTITY (START WITH 100 INCREMENT BY 10) PRIMARY KEY,
  email app.email UNIQUE,
  name text NOT NULL,
  mood app.mood DEFAULT 'ok',
  moods app.mood[],
  home app.address,
  tags text[],
  matrix integer[][],
  profile jsonb,
  raw json,
  photo bytea,
  balance numeric(38, 18),
  huge numeric,
  ratio double precision,
  small real,
  created_at timestamptz NOT NULL,
  birthday date,
  wakes_at time,
  wait interval,
  active boolean,
  ip inet,
  net cidr,
  mac macaddr,
  during tstzrange,
  uid uuid,
  bits bit varying(16),
  fixed char(5),
  name_hash bytea GENERATED ALWAYS AS (ext.digest(name, 'sha256')) STORED,
  name_length integer GENERATED ALWAYS AS (length(name)) STORED,
  CONSTRAINT name_not_blank CHECK (btrim(name) <> ''),
  CONSTRAINT sane_birthday CHECK (birthday IS NULL OR birthday > date '1850-01-01')
);
COMMENT ON TABLE app.customers IS 'Everyone who ever bought something';
COMMENT ON COLUMN app.customers.balance IS 'Exact, to 18 decimals';
CREATE INDEX customers_lower_name ON app.customers (lower(name));
CREATE INDEX customers_profile ON app.customers USING gin (profile jsonb_path_ops);
CREATE INDEX customers_active ON app.customers (created_at) WHERE active;

INSERT INTO app.customers (email, name, mood, moods, home, tags, matrix, profile, raw, photo,
    balance, huge, ratio, small, created_at, birthday, wakes_at, wait, active, ip, net, mac,
    during, uid, bits, fixed)
SELECT
  'User' || g || '@Example.TEST',
  'Kunde ' || g || ' — 日本語 ✓ "quoted" \ backslash',
  (ARRAY['sad', 'meh', 'ok', 'happy', 'ünïcode ☺']::app.mood[])[1 + g % 5],
  ARRAY['happy', 'sad']::app.mood[],
  ROW('Straße ' || g, 'Zürich', lpad(g::text, 5, '0'), ROW(g * 0.1, -g, 1e-300)::app.point3)::app.address,
  ARRAY['t' || (g % 7), 'ä''quote', NULL, '', 'with,comma', '{brace}'],
  ARRAY[[g, g + 1], [g + 2, NULL]],
  jsonb_build_object('n', g, 'nested', jsonb_build_object('ok', g % 2 = 0, 'list', jsonb_build_array(1, 'two', NULL, 3.14159265358979323846)), 'ünï', '☃'),
  ('{"b": 1,   "a": [1, 2],  "a": "duplicate keys and spacing stay in json"}')::json,
  CASE WHEN g % 10 = 0 THEN NULL ELSE decode(md5(g::text) || '00ff00', 'hex') END,
  (g * 1234567.891234567890123456)::numeric(38, 18),
  CASE g % 4 WHEN 0 THEN 'NaN'::numeric WHEN 1 THEN 'Infinity'::numeric WHEN 2 THEN '-1e-120'::numeric ELSE 10::numeric ^ 200 + g END,
  CASE g % 5 WHEN 0 THEN 'NaN'::float8 WHEN 1 THEN '-Infinity'::float8 WHEN 2 THEN 1.0 / 3 ELSE 2.2250738585072014e-308 END,
  CASE g % 3 WHEN 0 THEN 'Infinity'::real ELSE g / 7.0 END,
  CASE g % 6
    WHEN 0 THEN 'infinity'::timestamptz
    WHEN 1 THEN '-infinity'::timestamptz
    WHEN 2 THEN timestamptz '0044-03-15 12:00:00.123456+00 BC'
    ELSE timestamptz '2026-03-29 01:59:59.999999+00' + g * interval '37 minutes 0.000001 seconds'
  END,
  CASE WHEN g % 9 = 0 THEN NULL ELSE date '1970-01-01' + g * 97 END,
  time '23:59:59.999999' - g * interval '1 minute',
  make_interval(years => g % 3, days => -g, secs => g * 1.5),
  CASE g % 3 WHEN 0 THEN NULL ELSE g % 2 = 0 END,
  ('10.0.' || (g % 256) || '.1')::inet,
  '2001:db8::/32'::cidr,
  ('08:00:2b:01:02:' || lpad(to_hex(g % 256), 2, '0'))::macaddr,
  tstzrange(timestamptz '2026-01-01 00:00+00' + g * interval '1 day', NULL, '[)'),
  ext.gen_random_uuid(),
  (g % 65536)::bit(16)::bit varying(16),
  substr('abcdefghij', 1 + g % 5, 3)
FROM generate_series(1, 300) g;
SELECT nextval(pg_get_serial_sequence('app.customers', 'id')) FROM generate_series(1, 17);

-- Identity BY DEFAULT with an explicit value above the sequence, and a serial.
CREATE TABLE app.tickets (
  number integer PRIMARY KEY DEFAULT nextval('app.ticket_numbers'),
  customer_id bigint NOT NULL REFERENCES app.customers (id) ON DELETE CASCADE,
  amount app.positive_money,
  opened timestamptz NOT NULL DEFAULT now(),
  note ext.citext,
  seq_no integer GENERATED BY DEFAULT AS IDENTITY,
  legacy_id serial,
  CONSTRAINT tickets_seq_unique UNIQUE (customer_id, seq_no)
);
ALTER SEQUENCE app.ticket_numbers OWNED BY app.tickets.number;
INSERT INTO app.tickets (customer_id, amount, opened, note)
SELECT 100 + 10 * (g % 300), g * 3.5, timestamptz '2026-01-01 00:00+00' + g * interval '1 hour', 'Note ' || g
FROM generate_series(1, 500) g;
INSERT INTO app.tickets (customer_id, amount, opened, seq_no) VALUES (100, 1.00, '2026-02-02 02:02+00', 99999);

-- A self-referencing table with a deferrable foreign key and a composite primary key.
CREATE TABLE app.categories (
  tenant text NOT NULL,
  code text NOT NULL,
  parent_code text,
  PRIMARY KEY (tenant, code),
  FOREIGN KEY (tenant, parent_code) REFERENCES app.categories (tenant, code) DEFERRABLE INITIALLY DEFERRED
);
INSERT INTO app.categories VALUES ('a', 'root', NULL), ('a', 'leaf', 'root'), ('b', 'x', 'y'), ('b', 'y', 'x');

-- Row-level security: enabled, forced, and two policies.
CREATE TABLE app.documents (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant text NOT NULL DEFAULT current_setting('app.tenant', true),
  body text,
  secret boolean NOT NULL DEFAULT false
);
ALTER TABLE app.documents ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.documents FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_reads ON app.documents FOR SELECT USING (tenant = current_setting('app.tenant', true) AND NOT secret);
CREATE POLICY tenant_writes ON app.documents AS RESTRICTIVE FOR INSERT WITH CHECK (tenant = current_setting('app.tenant', true));
COMMENT ON POLICY tenant_reads ON app.documents IS 'Only the current tenant''s public documents';
INSERT INTO app.documents (tenant, body, secret)
SELECT CASE WHEN g % 2 = 0 THEN 'acme' ELSE 'globex' END, repeat('Text ' || g || E'\n\ttab', g % 4), g % 3 = 0
FROM generate_series(1, 60) g;

-- A partitioned table: range partitions, one of them itself list-partitioned, and a default.
CREATE TABLE app.events (
  id bigint NOT NULL,
  happened timestamptz NOT NULL,
  kind text NOT NULL,
  payload jsonb,
  PRIMARY KEY (id, happened, kind)
) PARTITION BY RANGE (happened);
CREATE TABLE app.events_2025 PARTITION OF app.events
  FOR VALUES FROM ('2025-01-01 00:00+00') TO ('2026-01-01 00:00+00');
CREATE TABLE app.events_2026 PARTITION OF app.events
  FOR VALUES FROM ('2026-01-01 00:00+00') TO ('2027-01-01 00:00+00') PARTITION BY LIST (kind);
CREATE TABLE app.events_2026_clicks PARTITION OF app.events_2026 FOR VALUES IN ('click');
CREATE TABLE app.events_2026_other PARTITION OF app.events_2026 DEFAULT;
CREATE TABLE app.events_default PARTITION OF app.events DEFAULT;
CREATE INDEX events_kind ON app.events (kind);
INSERT INTO app.events
SELECT g, timestamptz '2024-07-01 00:00+00' + g * interval '7 hours 13 minutes',
  (ARRAY['click', 'view', 'buy'])[1 + g % 3], jsonb_build_object('g', g)
FROM generate_series(1, 3000) g;

-- Unicode and quoted identifiers everywhere: tables, columns, constraints, an index.
CREATE TABLE "Ünïcode Schéma ✓"."Grüße 👋" (
  "Schlüssel" text PRIMARY KEY,
  "Mixed Case" int[],
  "with ""quote""" text,
  "select" boolean,
  CONSTRAINT "Prüfung ✓" CHECK ("Schlüssel" <> 'verboten')
);
CREATE INDEX "Index für Grüße" ON "Ünïcode Schéma ✓"."Grüße 👋" ("with ""quote""");
COMMENT ON COLUMN "Ünïcode Schéma ✓"."Grüße 👋"."Schlüssel" IS 'Der Schlüssel — 鍵';
INSERT INTO "Ünïcode Schéma ✓"."Grüße 👋" VALUES
  ('ß', '{1,2,3}', 'a "quoted" value', true),
  ('€ "quoted"', NULL, E'tab\there\nnewline', NULL),
  ('', '{}', E'back\\slash', false),
  ('日本語', '{-2147483648,2147483647}', '', true),
  ('👍🏽 emoji', '{0}', NULL, false);
CREATE TABLE "we""ird.Schema"."Table.With""Dots" (id int PRIMARY KEY, "Value" text);
INSERT INTO "we""ird.Schema"."Table.With""Dots" VALUES (1, 'one'), (2, NULL), (3, 'three;''; DROP TABLE x; --');

-- Functions: SQL with a standard body, PL/pgSQL, a procedure, an aggregate; and triggers.
CREATE FUNCTION app.ticket_total(customer bigint) RETURNS numeric
  LANGUAGE sql STABLE
  BEGIN ATOMIC
    SELECT coalesce(sum(amount), 0) FROM app.tickets WHERE customer_id = customer;
  END;
COMMENT ON FUNCTION app.ticket_total(bigint) IS 'All of a customer''s tickets';
CREATE FUNCTION app.touch() RETURNS trigger
  LANGUAGE plpgsql
  SET search_path = pg_catalog
  AS $body$
BEGIN
  NEW.opened := coalesce(NEW.opened, now());
  NEW.note := upper(NEW.note::text);
  RETURN NEW;
END;
$body$;
CREATE TABLE app.audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  table_name text NOT NULL,
  operation text NOT NULL,
  row_data jsonb
);
CREATE FUNCTION app.audit() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  INSERT INTO app.audit_log (table_name, operation, row_data)
  VALUES (TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME, TG_OP, to_jsonb(NEW));
  RETURN NEW;
END;
$$;
CREATE TRIGGER tickets_touch BEFORE INSERT OR UPDATE OF note ON app.tickets
  FOR EACH ROW EXECUTE FUNCTION app.touch();
CREATE TRIGGER tickets_audit AFTER INSERT ON app.tickets
  FOR EACH ROW WHEN (NEW.amount > 100) EXECUTE FUNCTION app.audit();
CREATE TRIGGER categories_audit AFTER INSERT ON app.categories
  REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION app.audit();
ALTER TABLE app.categories DISABLE TRIGGER categories_audit;
COMMENT ON TRIGGER tickets_touch ON app.tickets IS 'Upper-cases notes';
-- Rows written while the triggers exist: the restore must neither lose nor repeat them.
INSERT INTO app.tickets (customer_id, amount, opened, note)
SELECT 110, 100 + g, NULL, 'late ' || g FROM generate_series(1, 25) g;
CREATE PROCEDURE app.close_tickets(before timestamptz)
  LANGUAGE plpgsql
  AS $$
BEGIN
  DELETE FROM app.tickets WHERE opened < before;
END;
$$;
CREATE FUNCTION app.concat_step(state text, next text) RETURNS text
  LANGUAGE sql IMMUTABLE
  AS $$ SELECT CASE WHEN state = '' THEN next ELSE state || '|' || next END $$;
CREATE AGGREGATE app.concat_all(text) (SFUNC = app.concat_step, STYPE = text, INITCOND = '');

-- Views: one with a check option and a function call, one over a unicode table; a materialized
-- view with an index, refreshed so it holds data.
CREATE VIEW app.big_tickets AS
  SELECT t.number, t.customer_id, t.amount, app.ticket_total(t.customer_id) AS customer_total
  FROM app.tickets t WHERE t.amount > 1000
  WITH CASCADED CHECK OPTION;
CREATE VIEW "Ünïcode Schéma ✓"."Grüße Sicht" AS
  SELECT "Schlüssel", coalesce(array_length("Mixed Case", 1), 0) AS "Länge" FROM "Ünïcode Schéma ✓"."Grüße 👋";
COMMENT ON VIEW app.big_tickets IS 'Tickets over 1000';
CREATE MATERIALIZED VIEW reporting.monthly_events AS
  SELECT date_trunc('month', happened AT TIME ZONE 'UTC') AS month, kind, count(*) AS events,
    app.concat_all(id::text ORDER BY id) FILTER (WHERE id < 40) AS first_ids
  FROM app.events GROUP BY 1, 2
  WITH NO DATA;
CREATE UNIQUE INDEX monthly_events_key ON reporting.monthly_events (month, kind);
REFRESH MATERIALIZED VIEW reporting.monthly_events;
COMMENT ON MATERIALIZED VIEW reporting.monthly_events IS 'Events per month and kind';
