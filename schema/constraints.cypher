// Applied at every start (src/neo4j/migrate.ts); each statement is idempotent.
// Every node the API serves carries :Entity plus one kind label; ids are unique across kinds.
CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT company_id IF NOT EXISTS FOR (n:Company) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT product_id IF NOT EXISTS FOR (n:Product) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT market_id IF NOT EXISTS FOR (n:Market) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT city_id IF NOT EXISTS FOR (n:City) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT person_id IF NOT EXISTS FOR (n:Person) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT website_id IF NOT EXISTS FOR (n:Website) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT office_id IF NOT EXISTS FOR (n:Office) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT statement_id IF NOT EXISTS FOR (n:Statement) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT article_id IF NOT EXISTS FOR (n:Article) REQUIRE n.id IS UNIQUE;
// Name lookup: one NameKey node per folded spelling (lower case, no diacritics), linked to every entity it names.
CREATE CONSTRAINT name_key IF NOT EXISTS FOR (k:NameKey) REQUIRE k.key IS UNIQUE;
// Sorted lists and name filters.
CREATE INDEX entity_sort_name IF NOT EXISTS FOR (n:Entity) ON (n.sortName);
// The kinds with lists: a page is read in name order straight from the index, from the cursor on.
CREATE INDEX company_sort_name IF NOT EXISTS FOR (n:Company) ON (n.sortName);
CREATE INDEX product_sort_name IF NOT EXISTS FOR (n:Product) ON (n.sortName);
CREATE INDEX market_sort_name IF NOT EXISTS FOR (n:Market) ON (n.sortName);
// A list's `name: { contains }`: a text index answers CONTAINS without reading every name of the kind.
CREATE TEXT INDEX company_sort_name_text IF NOT EXISTS FOR (n:Company) ON (n.sortName);
CREATE TEXT INDEX product_sort_name_text IF NOT EXISTS FOR (n:Product) ON (n.sortName);
CREATE TEXT INDEX market_sort_name_text IF NOT EXISTS FOR (n:Market) ON (n.sortName);
CREATE INDEX entity_kind IF NOT EXISTS FOR (n:Entity) ON (n.kind);
// Relationships are merged and fetched by their stable id.
CREATE INDEX rel_id_distributes IF NOT EXISTS FOR ()-[r:DISTRIBUTES]-() ON (r.id);
CREATE INDEX rel_market_distributes IF NOT EXISTS FOR ()-[r:DISTRIBUTES]-() ON (r.market);
// Full-text search over every spelling (src/graph/search.ts): one document per NameKey, whose key is already
// folded (lower case, no diacritics, words split by one space), so the whitespace analyzer keeps every word.
// standard-folding dropped its English stop words even where they are Vietnamese words once folded ("tờ" is
// "to", "thể" is "the", "ăn" is "an"). Not eventually consistent: a committed load is searchable at once.
// migrate replaces an index of this name whose definition differs (a database made by an older version).
CREATE FULLTEXT INDEX entity_search IF NOT EXISTS FOR (k:NameKey) ON EACH [k.key]
  OPTIONS { indexConfig: { `fulltext.analyzer`: 'whitespace', `fulltext.eventually_consistent`: false } };
// API keys (src/keys): a request's key is found by its id, one index seek; the secret is stored only as a hash.
CREATE CONSTRAINT api_key_id IF NOT EXISTS FOR (k:ApiKey) REQUIRE k.id IS UNIQUE;
// Every write records a Change (src/graph/changes.ts), listed newest first by its id, which starts with its time.
CREATE CONSTRAINT change_id IF NOT EXISTS FOR (c:Change) REQUIRE c.id IS UNIQUE;
// A merged entity's id keeps resolving to the entity it was merged into (mergeEntities).
CREATE CONSTRAINT redirect_id IF NOT EXISTS FOR (r:Redirect) REQUIRE r.id IS UNIQUE;
