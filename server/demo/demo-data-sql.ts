// The sample ops database, as one SQL script run in one transaction.
// ~60k outage events across Canadian utilities and ~130k minutes of trading latency.
export const demoDataSql = `
BEGIN;
SELECT setseed(0.42);
CREATE SCHEMA ops;

CREATE TABLE ops.utilities (
  id integer PRIMARY KEY,
  name text NOT NULL,
  province text NOT NULL,
  customers integer NOT NULL
);
INSERT INTO ops.utilities VALUES
  (1, 'Hydro-Québec', 'QC', 4400000),
  (2, 'Hydro One', 'ON', 1500000),
  (3, 'Toronto Hydro', 'ON', 790000),
  (4, 'BC Hydro', 'BC', 2100000),
  (5, 'ENMAX', 'AB', 510000),
  (6, 'EPCOR', 'AB', 420000),
  (7, 'Nova Scotia Power', 'NS', 540000),
  (8, 'NB Power', 'NB', 420000),
  (9, 'Manitoba Hydro', 'MB', 600000),
  (10, 'SaskPower', 'SK', 550000);

CREATE TABLE ops.regions (
  id integer PRIMARY KEY,
  utility_id integer NOT NULL REFERENCES ops.utilities(id),
  name text NOT NULL
);
INSERT INTO ops.regions
SELECT row_number() OVER (), u.id, u.province || '-' || lpad(r::text, 2, '0')
FROM ops.utilities u CROSS JOIN generate_series(1, 8) AS r;

CREATE TABLE ops.outages (
  id bigserial PRIMARY KEY,
  utility_id integer NOT NULL REFERENCES ops.utilities(id),
  region_id integer NOT NULL REFERENCES ops.regions(id),
  cause text NOT NULL,
  started_at timestamptz NOT NULL,
  restored_at timestamptz,
  customers_affected integer NOT NULL,
  planned boolean NOT NULL
);
INSERT INTO ops.outages (utility_id, region_id, cause, started_at, restored_at, customers_affected, planned)
SELECT r.utility_id, r.id,
  (ARRAY['weather', 'equipment failure', 'tree contact', 'animal contact', 'vehicle accident', 'planned maintenance', 'unknown'])[1 + floor(random() * 7)::int],
  started_at,
  CASE WHEN started_at > now() - interval '3 hours' AND random() < 0.5 THEN NULL
       ELSE started_at + make_interval(mins => (10 + floor(random() * random() * 1440))::int) END,
  (1 + floor(random() * random() * random() * 20000))::int,
  random() < 0.12
FROM generate_series(1, 60000) AS n
CROSS JOIN LATERAL (SELECT now() - make_interval(secs => floor(random() * 365 * 86400)::int + n * 0) AS started_at) AS t
CROSS JOIN LATERAL (SELECT id, utility_id FROM ops.regions ORDER BY random() + n * 0 LIMIT 1) AS r;
CREATE INDEX outages_started_at_idx ON ops.outages (started_at);
CREATE INDEX outages_utility_idx ON ops.outages (utility_id, started_at);

CREATE TABLE ops.trading_latency (
  observed_at timestamptz NOT NULL,
  venue text NOT NULL,
  p50_us numeric(10, 1) NOT NULL,
  p99_us numeric(10, 1) NOT NULL,
  messages integer NOT NULL,
  PRIMARY KEY (venue, observed_at)
);
INSERT INTO ops.trading_latency
SELECT minute, venue,
  round((base + 20 * sin(extract(epoch FROM minute) / 3600) + random() * 15)::numeric, 1),
  round((base * 4 + random() * random() * 900)::numeric, 1),
  (500 + floor(random() * 4500))::int
FROM generate_series(date_trunc('minute', now()) - interval '30 days', date_trunc('minute', now()), interval '1 minute') AS minute
CROSS JOIN (VALUES ('TSX', 120.0), ('NEO', 95.0), ('CSE', 180.0)) AS venues(venue, base);
COMMIT;
`
