-- Organisations form a tree (region > ICB > trust > department). Tenant scope is a
-- subtree, so the tree is kept as a closure table: "everything below X" is one indexed
-- lookup, whatever the depth.
CREATE TABLE organisations (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code        text NOT NULL,
    name        text NOT NULL,
    type        text NOT NULL,
    parent_id   bigint REFERENCES organisations (id) ON DELETE RESTRICT,
    sector      text,
    size_band   text,
    headcount   integer,
    address     text,
    postcode    text,
    open_date   date,
    close_date  date,
    active      boolean NOT NULL DEFAULT true,
    -- Nearest ancestors of type region and icb (or itself), kept by trigger so that
    -- statistics can group by region or ICB without walking the tree.
    region_id   bigint,
    icb_id      bigint,
    -- The xAPI account.homePage that identifies this organisation's staff, if configured.
    xapi_home_page text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT organisations_code_key UNIQUE (code),
    CONSTRAINT organisations_code_check CHECK (code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$'),
    CONSTRAINT organisations_name_check CHECK (length(name) BETWEEN 1 AND 300),
    CONSTRAINT organisations_type_check CHECK (type IN ('region', 'icb', 'trust', 'department', 'practice', 'other')),
    CONSTRAINT organisations_sector_check CHECK (sector IN ('acute', 'mental_health', 'community', 'ambulance',
        'primary_care', 'specialist', 'commissioning', 'other_public', 'private', 'voluntary')),
    CONSTRAINT organisations_size_band_check CHECK (size_band IN ('micro', 'small', 'medium', 'large', 'very_large')),
    CONSTRAINT organisations_headcount_check CHECK (headcount >= 0),
    CONSTRAINT organisations_parent_check CHECK (parent_id <> id),
    CONSTRAINT organisations_dates_check CHECK (close_date IS NULL OR open_date IS NULL OR close_date >= open_date)
);
CREATE INDEX organisations_parent_idx ON organisations (parent_id);
CREATE INDEX organisations_type_idx ON organisations (type, code);
CREATE INDEX organisations_region_idx ON organisations (region_id);
CREATE INDEX organisations_icb_idx ON organisations (icb_id);
CREATE UNIQUE INDEX organisations_xapi_home_page_key ON organisations (xapi_home_page) WHERE xapi_home_page IS NOT NULL;

-- organisation_tree holds one row per (ancestor, descendant) pair, itself included at depth 0.
CREATE TABLE organisation_tree (
    ancestor_id   bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    descendant_id bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    depth         integer NOT NULL,
    PRIMARY KEY (ancestor_id, descendant_id)
);
CREATE INDEX organisation_tree_descendant_idx ON organisation_tree (descendant_id, depth);

-- organisation_tree_insert links a new organisation under its parent's ancestors.
CREATE FUNCTION organisation_tree_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO organisation_tree (ancestor_id, descendant_id, depth)
    SELECT ancestor_id, NEW.id, depth + 1 FROM organisation_tree WHERE descendant_id = NEW.parent_id
    UNION ALL SELECT NEW.id, NEW.id, 0;
    PERFORM organisation_refresh_levels(NEW.id);
    RETURN NULL;
END $$;

-- organisation_tree_move re-hangs a subtree when its root changes parent, refusing cycles.
CREATE FUNCTION organisation_tree_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.parent_id IS NOT NULL AND EXISTS (
        SELECT 1 FROM organisation_tree WHERE ancestor_id = NEW.id AND descendant_id = NEW.parent_id) THEN
        RAISE EXCEPTION 'organisation % cannot be placed under its own descendant', NEW.code
            USING ERRCODE = 'check_violation', CONSTRAINT = 'organisations_parent_check';
    END IF;
    DELETE FROM organisation_tree t
     WHERE t.descendant_id IN (SELECT descendant_id FROM organisation_tree WHERE ancestor_id = NEW.id)
       AND t.ancestor_id IN (SELECT ancestor_id FROM organisation_tree WHERE descendant_id = NEW.id AND ancestor_id <> NEW.id);
    INSERT INTO organisation_tree (ancestor_id, descendant_id, depth)
    SELECT a.ancestor_id, d.descendant_id, a.depth + d.depth + 1
      FROM organisation_tree a, organisation_tree d
     WHERE a.descendant_id = NEW.parent_id AND d.ancestor_id = NEW.id;
    PERFORM organisation_refresh_levels(NEW.id);
    RETURN NULL;
END $$;

-- organisation_refresh_levels recomputes region_id and icb_id for a subtree.
CREATE FUNCTION organisation_refresh_levels(root bigint) RETURNS void LANGUAGE sql AS $$
    UPDATE organisations o SET
        region_id = (SELECT a.id FROM organisation_tree t JOIN organisations a ON a.id = t.ancestor_id
                      WHERE t.descendant_id = o.id AND a.type = 'region' ORDER BY t.depth LIMIT 1),
        icb_id    = (SELECT a.id FROM organisation_tree t JOIN organisations a ON a.id = t.ancestor_id
                      WHERE t.descendant_id = o.id AND a.type = 'icb' ORDER BY t.depth LIMIT 1)
     WHERE o.id IN (SELECT descendant_id FROM organisation_tree WHERE ancestor_id = root)
$$;

CREATE TRIGGER organisations_tree_insert AFTER INSERT ON organisations
    FOR EACH ROW EXECUTE FUNCTION organisation_tree_insert();
CREATE TRIGGER organisations_tree_move AFTER UPDATE OF parent_id ON organisations
    FOR EACH ROW WHEN (OLD.parent_id IS DISTINCT FROM NEW.parent_id) EXECUTE FUNCTION organisation_tree_move();
CREATE FUNCTION organisation_type_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM organisation_refresh_levels(NEW.id);
    RETURN NULL;
END $$;
CREATE TRIGGER organisations_type_change AFTER UPDATE OF type ON organisations
    FOR EACH ROW WHEN (OLD.type IS DISTINCT FROM NEW.type) EXECUTE FUNCTION organisation_type_change();
