-- bench/volume.sql: generated volume for bench/run, loaded after the sample data.
--
-- Keys are numbers written as text, so that pgbench (whose variables are
-- integers) and wrk draw them from the same ranges:
--   skills     slug 100001..102000          (2,000)
--   resources  title "Resource 2NNNNN ..."  (5,000), each linked to 8 skills
--   paths      slug 900001..900050          (50), 5 stages x 6 steps each, every step with
--              3 skills, 4 resources and the previous step as prerequisite; 3 salary
--              bands and 2 related paths per path
--   users      10,000 learners (email benchN@example.com), 15 progress rows each
--   search     every skill and resource mentions "topic 5NNNNN" (500 topics: a search
--              for one finds 4 skills and 10 resources)
-- Run once on a fresh database (bench/run does); not idempotent.
\set ON_ERROR_STOP on
BEGIN;

INSERT INTO skills (slug, name, category, description, url)
SELECT (100000 + g)::text,
       'Skill ' || (100000 + g),
       (ARRAY['language', 'framework', 'database', 'api', 'security', 'tool', 'testing',
              'devops', 'concept'])[1 + g % 9],
       'Generated skill for benchmarks, topic ' || (500000 + g % 500)
         || '. Practise it with small projects and read the reference documentation.',
       'https://example.com/skills/' || (100000 + g)
  FROM generate_series(1, 2000) g;

INSERT INTO resources (kind, title, authors, url, summary, cost, level)
SELECT (ARRAY['book', 'course', 'article', 'video', 'documentation', 'tutorial',
              'project'])[1 + g % 7],
       'Resource ' || (200000 + g) || ' on building reliable services',
       ARRAY['Author ' || (g % 97), 'Coauthor ' || (g % 89)],
       'https://example.com/resources/' || (200000 + g),
       'A generated learning resource about topic ' || (500000 + g % 500)
         || ', with exercises and worked examples.',
       (ARRAY['free', 'paid'])[1 + g % 2],
       (ARRAY['beginner', 'intermediate', 'advanced'])[1 + g % 3]
  FROM generate_series(1, 5000) g;

-- The generated rows numbered 0..n-1.
CREATE TEMP TABLE bench_skills AS
SELECT id, slug::int - 100001 AS n FROM skills WHERE slug BETWEEN '100001' AND '102000';
CREATE UNIQUE INDEX ON bench_skills (n);
CREATE TEMP TABLE bench_resources AS
SELECT id, substr(title, 10, 6)::int - 200001 AS n FROM resources
 WHERE title LIKE 'Resource 2_____ on building reliable services';
CREATE UNIQUE INDEX ON bench_resources (n);
ANALYZE bench_skills, bench_resources;

-- 8 distinct skills per resource (offsets k * 251 mod 2000 are distinct).
INSERT INTO resource_skills (resource_id, skill_id)
SELECT r.id, s.id
  FROM bench_resources r
  CROSS JOIN generate_series(0, 7) k
  JOIN bench_skills s ON s.n = (r.n * 7 + k * 251) % 2000;

INSERT INTO paths (slug, title, summary, overview, responsibilities, work_environment)
SELECT (900000 + p)::text,
       'Career path ' || (900000 + p),
       'A generated career path for benchmarks.',
       repeat('What this role does day to day, and how people grow in it. ', 8),
       ARRAY['Design services', 'Review code', 'Operate production systems'],
       ARRAY['Product teams', 'Remote friendly']
  FROM generate_series(1, 50) p;

INSERT INTO stages (path_id, position, title, goal, start_month, end_month)
SELECT p.id, g, 'Stage ' || g, 'Reach the level of stage ' || g, (g - 1) * 3, g * 3
  FROM paths p CROSS JOIN generate_series(1, 5) g
 WHERE p.slug BETWEEN '900001' AND '900050';

INSERT INTO steps (stage_id, position, title, description, topics, estimated_hours)
SELECT s.id, g, 'Step ' || g || ' of ' || s.title,
       repeat('Learn the ideas of this step and apply them in a small project. ', 4),
       ARRAY['topic a', 'topic b', 'topic c'], 5 + (s.id + g) % 20
  FROM stages s JOIN paths p ON p.id = s.path_id
  CROSS JOIN generate_series(1, 6) g
 WHERE p.slug BETWEEN '900001' AND '900050';

CREATE TEMP TABLE bench_steps AS
SELECT st.id, row_number() OVER (ORDER BY st.id) AS n, st.stage_id, st.position
  FROM steps st JOIN stages s ON s.id = st.stage_id JOIN paths p ON p.id = s.path_id
 WHERE p.slug BETWEEN '900001' AND '900050';

INSERT INTO step_skills (step_id, skill_id)
SELECT b.id, s.id
  FROM bench_steps b CROSS JOIN generate_series(0, 2) k
  JOIN bench_skills s ON s.n = (b.n * 13 + k * 577) % 2000;

INSERT INTO step_resources (step_id, resource_id)
SELECT b.id, r.id
  FROM bench_steps b CROSS JOIN generate_series(0, 3) k
  JOIN bench_resources r ON r.n = (b.n * 17 + k * 1249) % 5000;

INSERT INTO step_prerequisites (step_id, prerequisite_id)
SELECT b.id, prev.id
  FROM bench_steps b JOIN bench_steps prev
    ON prev.stage_id = b.stage_id AND prev.position = b.position - 1;

INSERT INTO salary_bands (path_id, level, min_years, max_years, currency, min_amount,
                          max_amount, region, source, as_of)
SELECT p.id, l.level, l.min_years, l.max_years, 'EUR', l.amount, l.amount + 20000, 'EU',
       'generated', DATE '2025-01-01'
  FROM paths p
  CROSS JOIN (VALUES ('Junior', 0, 2, 40000), ('Mid', 2, 5, 60000), ('Senior', 5, NULL, 80000))
       AS l (level, min_years, max_years, amount)
 WHERE p.slug BETWEEN '900001' AND '900050';

INSERT INTO path_relations (path_a, path_b)
SELECT a.id, b.id
  FROM paths a CROSS JOIN generate_series(1, 2) k
  JOIN paths b ON b.slug = (a.slug::int + k)::text
 WHERE a.slug BETWEEN '900001' AND '900050' AND a.id < b.id
ON CONFLICT DO NOTHING;

INSERT INTO users (email, password_hash, display_name, role)
SELECT 'bench' || u || '@example.com', '$argon2id$v=19$m=65536,t=2,p=1$bench$bench',
       'Bench user ' || u, 'learner'
  FROM generate_series(1, 10000) u;

-- 15 steps of one path per user (the path the user's number picks).
INSERT INTO progress (user_id, step_id, status)
SELECT u.id, b.id, (ARRAY['done', 'in_progress', 'skipped'])[1 + (u.id + b.n) % 3]
  FROM users u
  JOIN bench_steps b
    ON (b.n - 1) / 30 = u.id % 50 AND (b.n - 1) % 30 < 15
 WHERE u.email LIKE 'bench%@example.com';

COMMIT;
VACUUM ANALYZE;
