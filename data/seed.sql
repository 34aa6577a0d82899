-- data/seed.sql: sample data for the "Backend Developer" career path, built from
-- ../shared/DOMAIN.md. Loaded by `pathways seed` inside one transaction (no
-- BEGIN/COMMIT here).
--
-- Idempotent: a second run inserts nothing and changes nothing. Rows are keyed
-- on natural keys (slug, (path, position), (stage, position), link primary
-- keys, resources by title). Entity inserts filter out existing rows with
-- NOT EXISTS *before* inserting, so identity sequences are not advanced by a
-- re-run (ON CONFLICT alone would still draw ids). ON CONFLICT DO NOTHING stays
-- as a guard. Generated ids are never written down: they are looked up by
-- slug, position or title.
--
-- Rows that already exist are left as they are (an editor's changes survive a
-- re-seed).

-- ---------------------------------------------------------------------------
-- paths
-- ---------------------------------------------------------------------------
INSERT INTO paths (slug, title, summary, overview, responsibilities, work_environment)
SELECT v.slug, v.title, v.summary, v.overview, v.responsibilities, v.work_environment
FROM (VALUES
    ('backend-developer',
     'Backend Developer',
     'Backend developers build the server-side logic that applications run on: the APIs, the databases and the server infrastructure behind them.',
     'A backend developer works on the part of an application that users never see. '
     'They design the APIs that web and mobile frontends call, model and query the '
     'data in SQL and NoSQL databases, decide who may do what, and keep the servers '
     'fast and reliable as traffic grows. The roadmap below goes from programming '
     'fundamentals and the basics of HTTP and SQL, through a first framework-based '
     'application deployed to the cloud, to architecture topics such as microservices, '
     'caching, message queues and containers, and finally to system design, DevOps '
     'and senior-level work. At about ten hours of study a week, reaching an '
     'entry-level job usually takes between nine months and two years.',
     ARRAY['Design and develop REST and GraphQL APIs',
           'Build microservices and backend systems',
           'Integrate with databases (SQL and NoSQL)',
           'Implement authentication and security',
           'Optimize server performance']::text[],
     ARRAY['High demand across all industries',
           'Remote-friendly positions',
           'Collaborative teams',
           'Problem-solving focused',
           'Continuous learning required']::text[]),
    ('frontend-developer', 'Frontend Developer',
     'Builds the user interfaces people see and use in the browser.',
     '', '{}'::text[], '{}'::text[]),
    ('full-stack-developer', 'Full-Stack Developer',
     'Works on both the frontend and the backend of web applications.',
     '', '{}'::text[], '{}'::text[]),
    ('devops-engineer', 'DevOps Engineer',
     'Automates building, testing, deploying and running software in production.',
     '', '{}'::text[], '{}'::text[]),
    ('data-engineer', 'Data Engineer',
     'Builds the pipelines and storage that move and prepare data for analysis.',
     '', '{}'::text[], '{}'::text[]),
    ('mobile-developer', 'Mobile Developer',
     'Builds native and cross-platform applications for phones and tablets.',
     '', '{}'::text[], '{}'::text[]),
    ('data-scientist', 'Data Scientist',
     'Turns data into insight and predictions with statistics and machine learning.',
     '', '{}'::text[], '{}'::text[])
) AS v(slug, title, summary, overview, responsibilities, work_environment)
WHERE NOT EXISTS (SELECT 1 FROM paths p WHERE p.slug = v.slug)
ON CONFLICT (slug) DO NOTHING;

-- ---------------------------------------------------------------------------
-- stages of backend-developer
-- ---------------------------------------------------------------------------
INSERT INTO stages (path_id, position, title, goal, start_month, end_month)
SELECT p.id, v.position, v.title, v.goal, v.start_month, v.end_month
FROM (VALUES
    (1, 'Foundation',
        'Learn programming fundamentals and the basic concepts behind a backend.',
        0, 3),
    (2, 'Intermediate',
        'Build and ship your first backend applications.',
        3, 6),
    (3, 'Advanced',
        'Learn the patterns and best practices of larger backend systems.',
        6, 12),
    (4, 'Professional',
        'Specialise, deepen your expertise and grow into a senior role.',
        12, NULL)
) AS v(position, title, goal, start_month, end_month)
JOIN paths p ON p.slug = 'backend-developer'
WHERE NOT EXISTS (SELECT 1 FROM stages s
                  WHERE s.path_id = p.id AND s.position = v.position)
ON CONFLICT (path_id, position) DO NOTHING;

-- ---------------------------------------------------------------------------
-- steps (stage position, step position, ...)
-- Hours: stage 1 = 150, stage 2 = 220, stage 3 = 250 (620 in all, about
-- 15 months at 10 h/week), stage 4 = 310.
-- ---------------------------------------------------------------------------
INSERT INTO steps (stage_id, position, title, description, topics, estimated_hours)
SELECT s.id, v.position, v.title, v.description, v.topics, v.estimated_hours
FROM (VALUES
    -- 1. Foundation
    (1, 1, 'Choose and master one programming language',
        'Pick one general-purpose language, Python or JavaScript are good first choices, and get comfortable writing small programs in it before moving on.',
        ARRAY['variables and data', 'comparison operators', 'loops', 'lists',
              'functions', 'dictionaries', 'errors and exceptions']::text[],
        60),
    (1, 2, 'Basic data structures and algorithms',
        'Learn the common ways to organise data in memory and the classic algorithms that work on it, and how to reason about their cost.',
        ARRAY['arrays and linked lists', 'stacks and queues', 'hash tables',
              'trees', 'sorting and searching', 'Big O notation']::text[],
        30),
    (1, 3, 'HTTP and REST principles',
        'Understand what a web server is, how browsers and other clients talk to servers over HTTP, and the ideas behind RESTful design.',
        ARRAY['what a web server is', 'requests and responses', 'HTTP methods',
              'status codes', 'headers', 'URLs and resources', 'HTTPS basics']::text[],
        20),
    (1, 4, 'SQL and database fundamentals',
        'Learn how relational databases store data and how to read and change it with SQL.',
        ARRAY['tables, rows and columns', 'SELECT and filtering', 'joins',
              'aggregation', 'INSERT, UPDATE and DELETE', 'primary and foreign keys']::text[],
        25),
    (1, 5, 'Development environment and Git',
        'Set up an editor and a terminal you are productive in, and use Git to track and share your code.',
        ARRAY['code editor', 'command line basics', 'Git commits and branches',
              'GitHub and pull requests', 'merge conflicts']::text[],
        15),
    -- 2. Intermediate
    (2, 1, 'A web framework',
        'Build a small application with a web framework: Django or Flask for Python, Express.js for Node.js.',
        ARRAY['routing', 'request handling', 'templates and JSON responses',
              'middleware', 'ORM basics', 'configuration']::text[],
        60),
    (2, 2, 'REST APIs with proper HTTP methods',
        'Design and build APIs that use HTTP methods, status codes and resources correctly, and meet the alternatives for real-time and flexible queries.',
        ARRAY['resource design', 'GET, POST, PUT, PATCH and DELETE', 'status codes',
              'pagination', 'API documentation', 'WebSockets', 'GraphQL']::text[],
        50),
    (2, 3, 'Database design and relationships',
        'Model data well: choose tables and keys, express relationships, normalise, and index for the queries you run.',
        ARRAY['entity relationships', 'one-to-many and many-to-many', 'normalization',
              'indexes', 'migrations', 'SQL vs NoSQL']::text[],
        35),
    (2, 4, 'Authentication and authorization',
        'Verify who a user is and control what they may do, without leaking passwords or tokens.',
        ARRAY['password hashing', 'sessions and cookies', 'JSON Web Tokens',
              'OAuth 2.0', 'roles and permissions', 'HTTPS']::text[],
        40),
    (2, 5, 'Deploy a first application to the cloud',
        'Put an application on a cloud server or platform so that others can use it, with its configuration and database.',
        ARRAY['cloud platforms', 'environment variables', 'domain names and DNS',
              'logs', 'managed databases']::text[],
        35),
    -- 3. Advanced
    (3, 1, 'Microservices architecture',
        'Learn when and how to split a system into small services that communicate over the network, and what that costs.',
        ARRAY['service boundaries', 'API gateways', 'service discovery',
              'inter-service communication', 'monolith vs microservices']::text[],
        60),
    (3, 2, 'Caching strategies (Redis)',
        'Speed up reads and reduce database load by caching, and keep cached data correct.',
        ARRAY['cache-aside', 'write-through', 'expiration and TTL',
              'cache invalidation', 'Redis data types']::text[],
        35),
    (3, 3, 'Message queues (RabbitMQ, Apache Kafka)',
        'Decouple services and process work in the background with queues and event streams.',
        ARRAY['producers and consumers', 'queues and topics', 'delivery guarantees',
              'retries and dead-letter queues', 'event-driven architecture']::text[],
        45),
    (3, 4, 'Testing: unit, integration, end-to-end',
        'Write automated tests at every level so that changes can be made with confidence.',
        ARRAY['unit tests', 'integration tests', 'end-to-end tests',
              'mocks and fixtures', 'test coverage', 'API testing']::text[],
        60),
    (3, 5, 'Containerization with Docker',
        'Package applications and their dependencies into containers that run the same everywhere.',
        ARRAY['images and containers', 'Dockerfile', 'volumes and networking',
              'Docker Compose', 'container registries']::text[],
        50),
    -- 4. Professional
    (4, 1, 'System design and scalability patterns',
        'Design systems that stay fast and available as load grows, and reason about their trade-offs.',
        ARRAY['horizontal and vertical scaling', 'load balancing', 'replication',
              'sharding and partitioning', 'consistency and availability',
              'rate limiting']::text[],
        80),
    (4, 2, 'Cloud services (AWS, Azure, GCP)',
        'Use the building blocks of a major cloud provider to run and scale backend systems.',
        ARRAY['compute', 'storage', 'managed databases', 'serverless functions',
              'networking', 'identity and access management']::text[],
        70),
    (4, 3, 'DevOps practices and CI/CD',
        'Automate building, testing and deploying software, and run it reliably in production.',
        ARRAY['continuous integration', 'continuous delivery', 'infrastructure as code',
              'monitoring and alerting', 'container orchestration']::text[],
        60),
    (4, 4, 'Contribute to open source',
        'Work on real projects with other developers in public: read unfamiliar code, fix issues and get your changes reviewed.',
        ARRAY['finding a project', 'reading a codebase', 'issues and pull requests',
              'code review etiquette']::text[],
        60),
    (4, 5, 'Mentor junior developers',
        'Share what you know through reviews, pairing and guidance, and help others grow.',
        ARRAY['code reviews', 'pair programming', 'giving feedback',
              'technical documentation']::text[],
        40)
) AS v(stage_position, position, title, description, topics, estimated_hours)
JOIN paths p  ON p.slug = 'backend-developer'
JOIN stages s ON s.path_id = p.id AND s.position = v.stage_position
WHERE NOT EXISTS (SELECT 1 FROM steps t
                  WHERE t.stage_id = s.id AND t.position = v.position)
ON CONFLICT (stage_id, position) DO NOTHING;

-- ---------------------------------------------------------------------------
-- skills
-- ---------------------------------------------------------------------------
INSERT INTO skills (slug, name, category, description, url)
SELECT v.slug, v.name, v.category, v.description, v.url
FROM (VALUES
    -- language
    ('python', 'Python', 'language',
     'A readable general-purpose language, popular for web backends, scripting and data work.',
     'https://www.python.org/'),
    ('javascript', 'JavaScript', 'language',
     'The language of the web browser, also used on the server through Node.js.',
     'https://developer.mozilla.org/en-US/docs/Web/JavaScript'),
    ('go', 'Go', 'language',
     'A compiled language from Google with simple syntax and built-in concurrency, common in cloud services.',
     'https://go.dev/'),
    ('java', 'Java', 'language',
     'A statically typed language on the JVM, widely used for large enterprise backends.',
     'https://dev.java/'),
    ('csharp', 'C#', 'language',
     'Microsoft''s statically typed, object-oriented language for the .NET platform.',
     'https://learn.microsoft.com/en-us/dotnet/csharp/'),
    ('ruby', 'Ruby', 'language',
     'A dynamic language designed for programmer happiness, best known through Ruby on Rails.',
     'https://www.ruby-lang.org/'),
    ('php', 'PHP', 'language',
     'A server-side scripting language that powers a large share of the web.',
     'https://www.php.net/'),
    ('rust', 'Rust', 'language',
     'A systems language that gives memory safety without a garbage collector.',
     'https://www.rust-lang.org/'),
    ('sql', 'SQL', 'language',
     'The standard language for defining, querying and changing data in relational databases.',
     NULL),
    -- framework
    ('django', 'Django', 'framework',
     'A batteries-included Python web framework with an ORM, an admin site and authentication.',
     'https://www.djangoproject.com/'),
    ('flask', 'Flask', 'framework',
     'A lightweight Python web framework that leaves most choices to you.',
     'https://flask.palletsprojects.com/'),
    ('spring-boot', 'Spring Boot', 'framework',
     'An opinionated Java framework for building production-ready Spring applications quickly.',
     'https://spring.io/projects/spring-boot'),
    ('dotnet', '.NET', 'framework',
     'Microsoft''s open-source platform for building web APIs and services in C#.',
     'https://dotnet.microsoft.com/'),
    ('express', 'Express', 'framework',
     'A minimal, unopinionated web framework for Node.js.',
     'https://expressjs.com/'),
    ('laravel', 'Laravel', 'framework',
     'A full-featured PHP web framework with an expressive syntax.',
     'https://laravel.com/'),
    ('ruby-on-rails', 'Ruby on Rails', 'framework',
     'A Ruby web framework that favours convention over configuration.',
     'https://rubyonrails.org/'),
    -- database
    ('postgresql', 'PostgreSQL', 'database',
     'A powerful open-source relational database known for correctness and rich SQL.',
     'https://www.postgresql.org/'),
    ('mysql', 'MySQL', 'database',
     'A widely used open-source relational database.',
     'https://www.mysql.com/'),
    ('sqlite', 'SQLite', 'database',
     'A small, self-contained SQL database engine stored in a single file.',
     'https://www.sqlite.org/'),
    ('mongodb', 'MongoDB', 'database',
     'A document database that stores flexible JSON-like records.',
     'https://www.mongodb.com/'),
    ('cassandra', 'Apache Cassandra', 'database',
     'A distributed wide-column database built for high write throughput and availability.',
     'https://cassandra.apache.org/'),
    ('dynamodb', 'Amazon DynamoDB', 'database',
     'A fully managed key-value and document database on AWS.',
     'https://aws.amazon.com/dynamodb/'),
    ('hbase', 'Apache HBase', 'database',
     'A distributed wide-column store that runs on top of Hadoop.',
     'https://hbase.apache.org/'),
    ('cockroachdb', 'CockroachDB', 'database',
     'A distributed SQL database that survives node and region failures.',
     'https://www.cockroachlabs.com/'),
    ('redis', 'Redis', 'database',
     'An in-memory data store used as a cache, message broker and fast database.',
     'https://redis.io/'),
    ('elasticsearch', 'Elasticsearch', 'database',
     'A distributed search and analytics engine for full-text search and logs.',
     'https://www.elastic.co/elasticsearch'),
    -- api
    ('rest', 'REST', 'api',
     'An architectural style for APIs built on resources, URLs and standard HTTP methods.',
     NULL),
    ('graphql', 'GraphQL', 'api',
     'A query language for APIs that lets clients ask for exactly the data they need.',
     'https://graphql.org/'),
    ('soap', 'SOAP', 'api',
     'An XML-based messaging protocol for web services, common in older enterprise systems.',
     NULL),
    ('websockets', 'WebSockets', 'api',
     'A protocol for full-duplex, real-time communication over a single TCP connection.',
     'https://datatracker.ietf.org/doc/html/rfc6455'),
    ('webhooks', 'Webhooks', 'api',
     'HTTP callbacks that one system sends to another when an event happens.',
     NULL),
    ('microservices', 'Microservices', 'api',
     'An architecture that builds an application from small, independently deployable services.',
     NULL),
    -- security
    ('authentication', 'Authentication', 'security',
     'Verifying that users or systems are who they claim to be.',
     NULL),
    ('authorization', 'Authorization', 'security',
     'Deciding what an authenticated user or system is allowed to do.',
     NULL),
    ('oauth', 'OAuth', 'security',
     'An open standard for delegated access, letting apps act on a user''s behalf without their password.',
     'https://oauth.net/'),
    ('jwt', 'JWT', 'security',
     'JSON Web Tokens: compact, signed tokens that carry claims between parties.',
     'https://datatracker.ietf.org/doc/html/rfc7519'),
    ('https', 'HTTPS', 'security',
     'HTTP over TLS, which encrypts and authenticates traffic between client and server.',
     NULL),
    ('data-encryption', 'Data encryption', 'security',
     'Protecting data at rest and in transit so that only authorised parties can read it.',
     NULL),
    -- tool
    ('vs-code', 'VS Code', 'tool',
     'Visual Studio Code, a free and extensible code editor from Microsoft.',
     'https://code.visualstudio.com/'),
    ('intellij-idea', 'IntelliJ IDEA', 'tool',
     'A JetBrains IDE for Java and other JVM languages.',
     'https://www.jetbrains.com/idea/'),
    ('postman', 'Postman', 'tool',
     'A platform for building, testing and documenting APIs.',
     'https://www.postman.com/'),
    ('insomnia', 'Insomnia', 'tool',
     'A desktop client for designing and debugging REST and GraphQL APIs.',
     'https://insomnia.rest/'),
    ('dbeaver', 'DBeaver', 'tool',
     'A universal database client and SQL editor.',
     'https://dbeaver.io/'),
    ('git', 'Git', 'tool',
     'The distributed version control system used by most software projects.',
     'https://git-scm.com/'),
    ('subversion', 'Subversion', 'tool',
     'Apache Subversion (SVN), a centralised version control system.',
     'https://subversion.apache.org/'),
    ('bash', 'Bash', 'tool',
     'The Unix shell and command language used to automate tasks on the command line.',
     'https://www.gnu.org/software/bash/'),
    -- testing
    ('jest', 'Jest', 'testing',
     'A JavaScript testing framework with a focus on simplicity.',
     'https://jestjs.io/'),
    ('pytest', 'pytest', 'testing',
     'A Python testing framework that makes small and large tests easy to write.',
     'https://docs.pytest.org/'),
    ('junit', 'JUnit', 'testing',
     'The standard unit testing framework for Java.',
     'https://junit.org/'),
    ('newman', 'Newman', 'testing',
     'A command-line runner for Postman collections, handy for API tests in CI.',
     'https://github.com/postmanlabs/newman'),
    ('selenium', 'Selenium', 'testing',
     'A tool for automating web browsers, used for end-to-end tests.',
     'https://www.selenium.dev/'),
    -- devops
    ('docker', 'Docker', 'devops',
     'A platform for packaging and running applications in containers.',
     'https://www.docker.com/'),
    ('kubernetes', 'Kubernetes', 'devops',
     'An open-source system for deploying, scaling and managing containers.',
     'https://kubernetes.io/'),
    ('helm', 'Helm', 'devops',
     'A package manager for Kubernetes applications.',
     'https://helm.sh/'),
    ('ci-cd', 'CI/CD', 'devops',
     'Continuous integration and delivery: building, testing and releasing every change automatically.',
     NULL),
    ('aws', 'AWS', 'devops',
     'Amazon Web Services, the largest public cloud platform.',
     'https://aws.amazon.com/'),
    ('azure', 'Microsoft Azure', 'devops',
     'Microsoft''s public cloud platform.',
     'https://azure.microsoft.com/'),
    ('gcp', 'Google Cloud', 'devops',
     'Google Cloud Platform (GCP), Google''s public cloud services.',
     'https://cloud.google.com/'),
    ('rabbitmq', 'RabbitMQ', 'devops',
     'A widely deployed open-source message broker.',
     'https://www.rabbitmq.com/'),
    ('kafka', 'Apache Kafka', 'devops',
     'A distributed event streaming platform for high-throughput data pipelines.',
     'https://kafka.apache.org/'),
    -- concept
    ('data-structures', 'Data structures', 'concept',
     'Ways of organising data in memory, such as arrays, lists, hash tables and trees.',
     NULL),
    ('algorithms', 'Algorithms', 'concept',
     'Step-by-step procedures for solving problems, and how to reason about their cost.',
     NULL),
    ('http', 'HTTP', 'concept',
     'The request-response protocol that clients and servers use to talk on the web.',
     NULL),
    ('caching', 'Caching', 'concept',
     'Keeping copies of frequently used data close at hand to answer requests faster.',
     NULL),
    ('concurrency', 'Concurrency', 'concept',
     'Making progress on several tasks at once with threads, processes or async code.',
     NULL),
    ('dns', 'DNS', 'concept',
     'The Domain Name System, which turns domain names into IP addresses.',
     NULL),
    ('load-balancing', 'Load balancing', 'concept',
     'Spreading traffic across several servers for capacity and resilience.',
     NULL),
    ('distributed-systems', 'Distributed systems', 'concept',
     'Systems whose parts run on several machines and coordinate over a network.',
     NULL),
    ('system-design', 'System design', 'concept',
     'Planning the architecture, components and data flow of large software systems.',
     NULL),
    ('clean-architecture', 'Clean architecture', 'concept',
     'Structuring code so that business rules do not depend on frameworks, databases or delivery details.',
     NULL)
) AS v(slug, name, category, description, url)
WHERE NOT EXISTS (SELECT 1 FROM skills k WHERE k.slug = v.slug)
ON CONFLICT (slug) DO NOTHING;

-- ---------------------------------------------------------------------------
-- step_skills (stage position, step position, skill slug)
-- ---------------------------------------------------------------------------
INSERT INTO step_skills (step_id, skill_id)
SELECT t.id, k.id
FROM (VALUES
    (1, 1, 'python'), (1, 1, 'javascript'),
    (1, 2, 'data-structures'), (1, 2, 'algorithms'),
    (1, 3, 'http'), (1, 3, 'rest'),
    (1, 4, 'sql'), (1, 4, 'postgresql'),
    (1, 5, 'git'), (1, 5, 'bash'), (1, 5, 'vs-code'),
    (2, 1, 'django'), (2, 1, 'flask'), (2, 1, 'express'),
    (2, 2, 'rest'), (2, 2, 'graphql'), (2, 2, 'websockets'), (2, 2, 'postman'),
    (2, 3, 'sql'), (2, 3, 'postgresql'), (2, 3, 'mysql'), (2, 3, 'mongodb'),
    (2, 4, 'authentication'), (2, 4, 'authorization'), (2, 4, 'jwt'), (2, 4, 'oauth'),
    (2, 5, 'aws'), (2, 5, 'dns'), (2, 5, 'https'),
    (3, 1, 'microservices'), (3, 1, 'distributed-systems'), (3, 1, 'clean-architecture'),
    (3, 2, 'redis'), (3, 2, 'caching'),
    (3, 3, 'rabbitmq'), (3, 3, 'kafka'),
    (3, 4, 'pytest'), (3, 4, 'jest'), (3, 4, 'junit'), (3, 4, 'selenium'),
    (3, 5, 'docker'),
    (4, 1, 'system-design'), (4, 1, 'load-balancing'),
        (4, 1, 'distributed-systems'), (4, 1, 'concurrency'),
    (4, 2, 'aws'), (4, 2, 'azure'), (4, 2, 'gcp'),
    (4, 3, 'ci-cd'), (4, 3, 'kubernetes'), (4, 3, 'helm'), (4, 3, 'docker'),
    (4, 4, 'git'),
    (4, 5, 'git'), (4, 5, 'clean-architecture')
) AS v(stage_position, step_position, skill_slug)
JOIN paths p  ON p.slug = 'backend-developer'
JOIN stages s ON s.path_id = p.id AND s.position = v.stage_position
JOIN steps t  ON t.stage_id = s.id AND t.position = v.step_position
JOIN skills k ON k.slug = v.skill_slug
ON CONFLICT (step_id, skill_id) DO NOTHING;

-- ---------------------------------------------------------------------------
-- step_prerequisites: (stage, step) requires (stage, step). Every edge points
-- to a step earlier in roadmap order, so the graph is acyclic.
-- ---------------------------------------------------------------------------
INSERT INTO step_prerequisites (step_id, prerequisite_id)
SELECT t.id, r.id
FROM (VALUES
    (1, 2, 1, 1),   -- data structures     <- programming language
    (2, 1, 1, 1),   -- web framework       <- programming language
    (2, 1, 1, 3),   -- web framework       <- HTTP and REST principles
    (2, 2, 1, 3),   -- REST APIs           <- HTTP and REST principles
    (2, 2, 2, 1),   -- REST APIs           <- web framework
    (2, 3, 1, 4),   -- database design     <- SQL fundamentals
    (2, 4, 2, 2),   -- auth                <- REST APIs
    (2, 5, 2, 1),   -- first deployment    <- web framework
    (2, 5, 1, 5),   -- first deployment    <- Git
    (3, 1, 2, 2),   -- microservices       <- REST APIs
    (3, 2, 2, 3),   -- caching             <- database design
    (3, 3, 3, 1),   -- message queues      <- microservices
    (3, 4, 2, 1),   -- testing             <- web framework
    (3, 5, 2, 5),   -- Docker              <- first deployment
    (4, 1, 3, 1),   -- system design       <- microservices
    (4, 1, 3, 2),   -- system design       <- caching
    (4, 1, 3, 3),   -- system design       <- message queues
    (4, 2, 3, 5),   -- cloud services      <- Docker
    (4, 3, 3, 4),   -- DevOps and CI/CD    <- testing
    (4, 3, 3, 5),   -- DevOps and CI/CD    <- Docker
    (4, 4, 1, 5),   -- open source         <- Git
    (4, 5, 4, 1)    -- mentoring           <- system design
) AS v(stage_position, step_position, req_stage_position, req_step_position)
JOIN paths p   ON p.slug = 'backend-developer'
JOIN stages s  ON s.path_id = p.id AND s.position = v.stage_position
JOIN steps t   ON t.stage_id = s.id AND t.position = v.step_position
JOIN stages rs ON rs.path_id = p.id AND rs.position = v.req_stage_position
JOIN steps r   ON r.stage_id = rs.id AND r.position = v.req_step_position
ON CONFLICT (step_id, prerequisite_id) DO NOTHING;

-- ---------------------------------------------------------------------------
-- resources (no natural key: matched on title)
-- ---------------------------------------------------------------------------
INSERT INTO resources (kind, title, authors, url, summary, cost, level)
SELECT v.kind, v.title, v.authors, v.url, v.summary, v.cost, v.level
FROM (VALUES
    -- books
    ('book', 'Microservice APIs',
     ARRAY['José Haro Peralta']::text[],
     'https://www.manning.com/books/microservice-apis',
     'A practical guide to designing, building and documenting the APIs through which microservices talk, with REST and GraphQL examples in Python.',
     'paid', 'intermediate'),
    ('book', 'High Performance Python',
     ARRAY['Micha Gorelick', 'Ian Ozsvald']::text[],
     'https://www.oreilly.com/library/view/high-performance-python/9781492055013/',
     'Shows how to find the bottlenecks in Python programs and make them faster with profiling, better data structures, concurrency and compiled extensions.',
     'paid', 'advanced'),
    ('book', 'Python Cookbook',
     ARRAY['David Beazley', 'Brian K. Jones']::text[],
     'https://www.oreilly.com/library/view/python-cookbook-3rd/9781449357337/',
     'A collection of ready-to-use recipes for everyday Python problems, from data structures and strings to functions, classes and concurrency.',
     'paid', 'intermediate'),
    ('book', 'Designing Data-Intensive Applications',
     ARRAY['Martin Kleppmann']::text[],
     'https://dataintensive.net/',
     'Explains how databases, replication, partitioning, transactions and stream processing work, and how to weigh their trade-offs when designing reliable, scalable systems.',
     'paid', 'advanced'),
    -- courses
    ('course', 'Advanced Python',
     '{}'::text[], NULL,
     'A course for developers who already know the basics and want to use Python''s more advanced features with confidence.',
     'paid', 'advanced'),
    ('course', 'Python Bootcamp: From Zero to Hero',
     '{}'::text[], NULL,
     'A beginner course that takes you from your first line of Python to writing complete small programs.',
     'paid', 'beginner'),
    ('course', 'Meta: Introduction to Back-End Development',
     ARRAY['Meta']::text[],
     'https://www.coursera.org/learn/introduction-to-back-end-development',
     'An introductory course from Meta on how the web works and what back-end developers do, covering web servers, HTML, CSS and the tools of the trade.',
     'paid', 'beginner'),
    -- free resources: basic coding
    ('book', 'A Byte of Python',
     ARRAY['Swaroop C H']::text[],
     'https://python.swaroopch.com/',
     'A short, free book that teaches Python from scratch, written for people who have never programmed before.',
     'free', 'beginner'),
    ('documentation', 'The Python Tutorial',
     '{}'::text[],
     'https://docs.python.org/3/tutorial/',
     'The official tutorial from the Python documentation: an informal tour of the language and its standard library.',
     'free', 'beginner'),
    ('course', 'Python for Everybody',
     ARRAY['Charles Severance']::text[],
     'https://www.py4e.com/',
     'A free course with videos, a textbook and exercises that teaches programming with Python, including a first look at databases and web data.',
     'free', 'beginner'),
    ('tutorial', 'Edabit JavaScript challenges',
     '{}'::text[],
     'https://edabit.com/challenges/javascript',
     'Thousands of small JavaScript exercises sorted by difficulty, good for daily practice of the basics.',
     'free', 'beginner'),
    -- free resources: web basics
    ('article', 'freeCodeCamp: What is HTTP?',
     ARRAY['freeCodeCamp']::text[],
     'https://www.freecodecamp.org/news/what-is-http/',
     'A beginner-friendly guide to HTTP: how clients and servers exchange requests and responses, methods, status codes and headers.',
     'free', 'beginner'),
    ('course', 'Responsive Web Design: HTML and CSS',
     ARRAY['freeCodeCamp']::text[],
     'https://www.freecodecamp.org/learn/2022/responsive-web-design/',
     'A free, project-based HTML and CSS course, with useful background on what the pages served by a backend are made of.',
     'free', 'beginner'),
    -- free resources: databases
    ('tutorial', 'StrataScratch',
     '{}'::text[],
     'https://www.stratascratch.com/',
     'A practice platform with SQL questions taken from real job interviews.',
     'free', 'intermediate'),
    ('course', 'Codecademy: Learn SQL',
     ARRAY['Codecademy']::text[],
     'https://www.codecademy.com/learn/learn-sql',
     'An interactive course that teaches SQL queries step by step in the browser.',
     'free', 'beginner')
) AS v(kind, title, authors, url, summary, cost, level)
WHERE NOT EXISTS (SELECT 1 FROM resources r WHERE r.title = v.title);

-- ---------------------------------------------------------------------------
-- resource_skills (resource title, skill slug). If an editor ever created a
-- second resource with the same title, the oldest one is used.
-- ---------------------------------------------------------------------------
INSERT INTO resource_skills (resource_id, skill_id)
SELECT r.id, k.id
FROM (VALUES
    ('Microservice APIs', 'microservices'),
    ('Microservice APIs', 'rest'),
    ('Microservice APIs', 'graphql'),
    ('Microservice APIs', 'python'),
    ('High Performance Python', 'python'),
    ('High Performance Python', 'concurrency'),
    ('Python Cookbook', 'python'),
    ('Designing Data-Intensive Applications', 'distributed-systems'),
    ('Designing Data-Intensive Applications', 'system-design'),
    ('Designing Data-Intensive Applications', 'kafka'),
    ('Advanced Python', 'python'),
    ('Advanced Python', 'concurrency'),
    ('Python Bootcamp: From Zero to Hero', 'python'),
    ('Meta: Introduction to Back-End Development', 'http'),
    ('Meta: Introduction to Back-End Development', 'git'),
    ('A Byte of Python', 'python'),
    ('The Python Tutorial', 'python'),
    ('Python for Everybody', 'python'),
    ('Python for Everybody', 'sql'),
    ('Edabit JavaScript challenges', 'javascript'),
    ('Edabit JavaScript challenges', 'algorithms'),
    ('freeCodeCamp: What is HTTP?', 'http'),
    ('freeCodeCamp: What is HTTP?', 'https'),
    ('Responsive Web Design: HTML and CSS', 'http'),
    ('StrataScratch', 'sql'),
    ('Codecademy: Learn SQL', 'sql')
) AS v(resource_title, skill_slug)
JOIN LATERAL (SELECT r0.id FROM resources r0
              WHERE r0.title = v.resource_title
              ORDER BY r0.id LIMIT 1) r ON true
JOIN skills k ON k.slug = v.skill_slug
ON CONFLICT (resource_id, skill_id) DO NOTHING;

-- ---------------------------------------------------------------------------
-- step_resources (stage position, step position, resource title)
-- ---------------------------------------------------------------------------
INSERT INTO step_resources (step_id, resource_id)
SELECT t.id, r.id
FROM (VALUES
    -- basic coding -> the language step
    (1, 1, 'A Byte of Python'),
    (1, 1, 'The Python Tutorial'),
    (1, 1, 'Python for Everybody'),
    (1, 1, 'Edabit JavaScript challenges'),
    (1, 1, 'Python Bootcamp: From Zero to Hero'),
    (1, 1, 'Python Cookbook'),
    (1, 1, 'Advanced Python'),
    (1, 2, 'Edabit JavaScript challenges'),
    -- web basics -> the HTTP step
    (1, 3, 'freeCodeCamp: What is HTTP?'),
    (1, 3, 'Responsive Web Design: HTML and CSS'),
    (1, 3, 'Meta: Introduction to Back-End Development'),
    -- databases -> the SQL step
    (1, 4, 'StrataScratch'),
    (1, 4, 'Codecademy: Learn SQL'),
    (1, 4, 'Python for Everybody'),
    -- framework, APIs
    (2, 1, 'Meta: Introduction to Back-End Development'),
    (2, 2, 'Microservice APIs'),
    (3, 1, 'Microservice APIs'),
    (3, 3, 'Designing Data-Intensive Applications'),
    -- performance and design
    (4, 1, 'Designing Data-Intensive Applications'),
    (4, 1, 'High Performance Python')
) AS v(stage_position, step_position, resource_title)
JOIN paths p  ON p.slug = 'backend-developer'
JOIN stages s ON s.path_id = p.id AND s.position = v.stage_position
JOIN steps t  ON t.stage_id = s.id AND t.position = v.step_position
JOIN LATERAL (SELECT r0.id FROM resources r0
              WHERE r0.title = v.resource_title
              ORDER BY r0.id LIMIT 1) r ON true
ON CONFLICT (step_id, resource_id) DO NOTHING;

-- ---------------------------------------------------------------------------
-- articles (blog posts; bodies in Markdown). created_at is the publication
-- date; updated_at the "last modified" date where the source gives one.
-- ---------------------------------------------------------------------------
INSERT INTO articles (slug, title, author, summary, body, categories, status, published_at,
                      created_at, updated_at)
SELECT v.slug, v.title, v.author, v.summary, v.body, v.categories, 'published',
       v.published_at, v.published_at, v.updated_at
FROM (VALUES
    ('learn-backend-development',
     'Learn Backend Development: Complete Path for Beginners',
     'Lane Wagner',
     'A beginner''s route into backend work: one language, the basics of HTTP and SQL, then a first real service.',
     E'## Start with one language\n\n'
     'Pick Python or JavaScript and stay with it until loops, functions, dictionaries and '
     'error handling feel routine. Switching languages early resets your progress.\n\n'
     '## Learn how the web talks\n\n'
     'A backend answers HTTP requests. Learn methods, status codes and headers, then build '
     'a tiny JSON API by hand before reaching for a framework.\n\n'
     '## Store data properly\n\n'
     'Relational databases such as PostgreSQL are the default choice for most services. '
     'Learn to model tables, write joins and read a query plan.\n\n'
     '## Ship something\n\n'
     'Deploy a small project to the cloud, add tests, and keep improving it. A working '
     'service you can explain beats a pile of unfinished tutorials.',
     ARRAY['backend']::text[],
     timestamptz '2022-07-24 09:00:00+00',
     timestamptz '2023-12-04 09:00:00+00'),
    ('what-is-a-backend-developer',
     'What Is a Backend Developer?',
     'Pathways Editorial',
     'The people who build the server side of applications, and what their days look like.',
     E'Backend developers write the code users never see: the APIs that apps call, the '
     'business rules behind them and the databases that remember everything.\n\n'
     '## Typical work\n\n'
     '- designing and building REST or GraphQL APIs\n'
     '- modelling data and writing queries\n'
     '- authentication, authorization and other security concerns\n'
     '- keeping services fast and reliable as traffic grows\n\n'
     'The role is in demand in every industry and is often remote-friendly.',
     ARRAY['backend']::text[],
     timestamptz '2023-02-14 09:00:00+00',
     timestamptz '2023-02-14 09:00:00+00'),
    ('webhooks-an-integration-pattern',
     'Webhooks: an integration pattern',
     'Pathways Editorial',
     'Instead of asking a service again and again whether something happened, let it call you.',
     E'A webhook is an HTTP callback: when an event happens, the provider sends a POST '
     'request to a URL you registered.\n\n'
     '## Doing it well\n\n'
     '- verify the signature of every delivery\n'
     '- answer quickly and do the real work in a background job\n'
     '- expect retries, and make handling a delivery twice harmless\n'
     '- log deliveries so failures can be replayed',
     ARRAY['backend']::text[],
     timestamptz '2023-05-09 09:00:00+00',
     timestamptz '2023-05-09 09:00:00+00'),
    ('https-explained',
     'HTTPS explained',
     'Pathways Editorial',
     'What the padlock means: encryption, integrity and the certificate that proves who you talk to.',
     E'HTTPS is HTTP carried over TLS. The TLS handshake agrees on keys, and the server '
     'proves its identity with a certificate signed by an authority the browser trusts.\n\n'
     '## What it protects\n\n'
     '- **confidentiality**: nobody on the network can read the traffic\n'
     '- **integrity**: nobody can change it unnoticed\n'
     '- **authenticity**: you are talking to the site you asked for\n\n'
     'Serve everything over HTTPS, redirect plain HTTP, and renew certificates automatically.',
     ARRAY['security']::text[],
     timestamptz '2023-08-21 09:00:00+00',
     timestamptz '2023-08-21 09:00:00+00'),
    ('frontend-or-backend-first',
     'Should you learn frontend or backend first?',
     'Pathways Editorial',
     'Both paths lead to a job; pick the one whose problems you enjoy, then learn enough of the other.',
     E'Frontend work gives quick visual feedback; backend work is about data, APIs and '
     'systems that keep running. Neither is the easier road.\n\n'
     '## A way to decide\n\n'
     'Build one small project end to end. If you enjoyed the screens most, go frontend; if '
     'the data and the API were the fun part, go backend. Either way, learn the basics of '
     'the other side: full-stack understanding makes you a better teammate.',
     ARRAY['career']::text[],
     timestamptz '2023-10-03 09:00:00+00',
     timestamptz '2023-10-03 09:00:00+00'),
    ('data-engineer-vs-backend-engineer',
     'Data engineer vs backend engineer',
     'Pathways Editorial',
     'Two neighbouring careers: one moves and shapes data, the other serves it to applications.',
     E'Backend engineers build services that answer requests in milliseconds. Data engineers '
     'build pipelines that collect, clean and move large volumes of data for analysis.\n\n'
     '## Shared ground\n\n'
     'Both write a lot of SQL, care about data models and run distributed systems. Moving '
     'from one role to the other is common.',
     ARRAY['career']::text[],
     timestamptz '2024-01-16 09:00:00+00',
     timestamptz '2024-01-16 09:00:00+00')
) AS v(slug, title, author, summary, body, categories, published_at, updated_at)
WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.slug = v.slug)
ON CONFLICT (slug) DO NOTHING;
-- salary bands of backend-developer (USD, yearly, United States)
-- NULL max_years / max_amount = open-ended: "7+ years", "170,000 and up".
-- Keyed on (path, level): a band an editor changed is left as it is.
-- ---------------------------------------------------------------------------
INSERT INTO salary_bands (path_id, level, min_years, max_years, currency, min_amount,
                          max_amount, region, source)
SELECT p.id, v.level, v.min_years, v.max_years, 'USD', v.min_amount, v.max_amount,
       'United States', 'Published career guides'
FROM (VALUES
    ('Junior Backend Developer',   0, 2,             60000,  80000),
    ('Backend Developer',          2, 4,             80000,  110000),
    ('Senior Backend Developer',   4, 7,             110000, 140000),
    ('Backend Architect',          7, NULL::integer, 140000, 180000),
    ('Principal Backend Engineer', 8, NULL::integer, 170000, NULL::integer)
) AS v(level, min_years, max_years, min_amount, max_amount)
JOIN paths p ON p.slug = 'backend-developer'
WHERE NOT EXISTS (SELECT 1 FROM salary_bands b
                  WHERE b.path_id = p.id AND b.level = v.level);

-- ---------------------------------------------------------------------------
-- related paths of backend-developer: one row per unordered pair, smaller id
-- first (path_relations_order_ck)
-- ---------------------------------------------------------------------------
INSERT INTO path_relations (path_a, path_b)
SELECT least(p.id, o.id), greatest(p.id, o.id)
FROM (VALUES
    ('frontend-developer'),
    ('full-stack-developer'),
    ('devops-engineer'),
    ('data-engineer'),
    ('mobile-developer'),
    ('data-scientist')
) AS v(slug)
JOIN paths p ON p.slug = 'backend-developer'
JOIN paths o ON o.slug = v.slug
ON CONFLICT (path_a, path_b) DO NOTHING;
