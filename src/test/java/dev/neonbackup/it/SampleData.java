package dev.neonbackup.it;

import dev.neonbackup.testing.PostgresServer;

/** Schemas and rows that exercise what a dump must carry. */
final class SampleData {
  private SampleData() {}

  /** Several schemas, varied types, a view, a sequence, an index and a function. */
  static final String VARIED =
      String.join(
          "\n",
          "CREATE SCHEMA sales;",
          "CREATE SCHEMA \"Ünïcode Schema\";",
          "CREATE SEQUENCE sales.invoice_numbers START 1000 INCREMENT 7;",
          "CREATE TABLE public.customers (",
          "  id bigserial PRIMARY KEY, name text NOT NULL, email text UNIQUE,",
          "  balance numeric(20,6), tags text[], profile jsonb, avatar bytea,",
          "  created_at timestamptz NOT NULL DEFAULT now());",
          "CREATE INDEX customers_name_idx ON public.customers (lower(name));",
          "CREATE TABLE sales.invoices (",
          "  number integer PRIMARY KEY DEFAULT nextval('sales.invoice_numbers'),",
          "  customer_id bigint REFERENCES public.customers(id), amount numeric(12,2),",
          "  lines jsonb, issued_on date);",
          "CREATE TABLE \"Ünïcode Schema\".\"Grüße\" (\"Schlüssel\" text PRIMARY KEY, wert int[]);",
          "INSERT INTO public.customers (name, email, balance, tags, profile, avatar, created_at)",
          "SELECT 'Kunde ' || g || ' — 日本語 ✓', 'c' || g || '@example.test',",
          "  (g * 1234567.891234)::numeric(20,6), ARRAY['t' || (g % 5), 'ä''quote'],",
          "  jsonb_build_object('n', g, 'nested', jsonb_build_object('ok', g % 2 = 0)),",
          "  decode(md5(g::text), 'hex'), timestamptz '2026-01-01 00:00:00+00' + g * interval '1 hour'",
          "FROM generate_series(1, 500) g;",
          "INSERT INTO sales.invoices (customer_id, amount, lines, issued_on)",
          "SELECT 1 + g % 500, g * 3.5, jsonb_build_array(g, 'x'), date '2026-01-01' + g",
          "FROM generate_series(1, 800) g;",
          "INSERT INTO \"Ünïcode Schema\".\"Grüße\" VALUES ('ß', '{1,2,3}'), ('€ \"quoted\"', NULL), ('', '{}');",
          "CREATE VIEW sales.big_invoices AS SELECT * FROM sales.invoices WHERE amount > 1000;",
          "CREATE FUNCTION public.customer_count() RETURNS bigint LANGUAGE sql AS",
          "  'SELECT count(*) FROM public.customers';");

  /**
   * A table large enough that pg_dump takes some seconds over it: time to break things while it
   * copies.
   */
  static String large(int rows) {
    return "CREATE TABLE public.big (id int, payload text);"
        + " INSERT INTO public.big SELECT g, md5(random()::text) || md5(random()::text)"
        + " || md5(random()::text) || md5(random()::text) FROM generate_series(1, "
        + rows
        + ") g;";
  }

  /** A new database named after {@code prefix} holding {@link #large} rows; returns its name. */
  static String createLarge(PostgresServer postgres, String prefix, int rows) {
    String name = postgres.uniqueDatabaseName(prefix);
    postgres.createDatabase(name);
    postgres.execute(name, large(rows));
    return name;
  }
}
