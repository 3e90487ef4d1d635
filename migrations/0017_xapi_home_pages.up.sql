-- xAPI home pages are identities an LMS gives organisations, so two spellings of one URL
-- must be one home page (issue 16): statements were matched on rtrim(home page, '/') while
-- uniqueness held only for the exact string, so a tenant could bind a spelling of another
-- organisation's URL and receive, or block, its statements. Home pages are now stored in
-- one normal form (models.NormalHomePage; normal_home_page below is the same rule, and a
-- test runs both on one table), unique in that form, and matched exactly.

-- normal_home_page returns the normal form of an http(s) URL used as an xAPI homePage, or
-- NULL when it has none: scheme and host in lower case (a trailing dot dropped), no
-- default or empty port, percent-encoding normalised (unreserved characters decoded,
-- other escapes in upper case, other characters encoded as UTF-8 bytes), dot segments
-- resolved and trailing slashes dropped; no user information, query or fragment, and a
-- host that is a DNS name in ASCII or an IPv6 literal.
CREATE FUNCTION normal_home_page(url text) RETURNS text LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    m text[];
    h text[];
    scheme text;
    host text;
    port text;
    raw text;
    path text := '';
    i integer := 1;
    c text;
    b integer;
    seg text;
    kept text[] := '{}';
BEGIN
    m := regexp_match(url, '^([A-Za-z][A-Za-z0-9+.-]*)://([^/?#]*)([^?#]*)$');
    IF m IS NULL THEN
        RETURN NULL;
    END IF;
    scheme := lower(m[1]);
    IF scheme NOT IN ('http', 'https') OR position('@' IN m[2]) > 0 THEN
        RETURN NULL;
    END IF;
    h := regexp_match(m[2], '^([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.?|\[[0-9A-Fa-f:.]+\])(?::([0-9]*))?$');
    IF h IS NULL THEN
        RETURN NULL;
    END IF;
    host := lower(h[1]);
    IF right(host, 1) = '.' THEN
        host := left(host, -1);
    END IF;
    port := NULLIF(h[2], '');
    IF port IS NOT NULL THEN
        port := ltrim(port, '0');
        IF port = '' THEN
            port := '0';
        END IF;
        IF length(port) > 5 THEN
            RETURN NULL;
        END IF;
        IF port::integer > 65535 THEN
            RETURN NULL;
        END IF;
        IF (scheme = 'http' AND port = '80') OR (scheme = 'https' AND port = '443') THEN
            port := NULL;
        END IF;
    END IF;

    raw := m[3];
    WHILE i <= length(raw) LOOP
        c := substr(raw, i, 1);
        IF c = '%' THEN
            IF substr(raw, i + 1, 2) !~ '^[0-9A-Fa-f]{2}$' THEN
                RETURN NULL;
            END IF;
            b := get_byte(decode(substr(raw, i + 1, 2), 'hex'), 0);
            IF b BETWEEN 48 AND 57 OR b BETWEEN 65 AND 90 OR b BETWEEN 97 AND 122 OR b IN (45, 46, 95, 126) THEN
                path := path || chr(b);
            ELSE
                path := path || '%' || upper(substr(raw, i + 1, 2));
            END IF;
            i := i + 3;
        ELSIF c ~ '^[A-Za-z0-9._~!$&''()*+,;=:@/-]$' THEN
            path := path || c;
            i := i + 1;
        ELSE
            path := path || upper(regexp_replace(encode(convert_to(c, 'UTF8'), 'hex'), '(..)', '%\1', 'g'));
            i := i + 1;
        END IF;
    END LOOP;

    -- The path is empty or starts with '/': its first element is empty.
    FOREACH seg IN ARRAY (string_to_array(path, '/'))[2:] LOOP
        IF seg = '..' THEN
            IF cardinality(kept) > 0 THEN
                kept := kept[1:cardinality(kept) - 1];
            END IF;
        ELSIF seg <> '.' THEN
            kept := kept || seg;
        END IF;
    END LOOP;
    RETURN scheme || '://' || host || COALESCE(':' || port, '') || rtrim('/' || array_to_string(kept, '/'), '/');
END $$;

-- Home pages that had no normal form, or shared one with another organisation's, are
-- cleared rather than given to one of the organisations: the migration cannot tell the
-- LMS's real organisation from one that claimed its URL. They are listed here for an
-- administrator to bind again (PATCH /organisations/{code} {"xapi_home_page": ...}).
CREATE TABLE xapi_home_pages_cleared (
    organisation_id bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    code            text NOT NULL,
    home_page       text NOT NULL,
    reason          text NOT NULL,
    cleared_at      timestamptz NOT NULL DEFAULT now()
);

WITH pages AS (
    SELECT id, code, xapi_home_page, normal_home_page(xapi_home_page) AS normal
      FROM organisations WHERE xapi_home_page IS NOT NULL
), shared AS (
    SELECT normal, string_agg(code, ', ' ORDER BY code) AS codes FROM pages
     WHERE normal IS NOT NULL GROUP BY normal HAVING count(*) > 1
)
INSERT INTO xapi_home_pages_cleared (organisation_id, code, home_page, reason)
SELECT p.id, p.code, p.xapi_home_page,
       CASE WHEN p.normal IS NULL THEN 'not an http(s) URL without user information, query or fragment'
            ELSE 'the same URL as the home page of ' || s.codes END
  FROM pages p LEFT JOIN shared s ON s.normal = p.normal
 WHERE p.normal IS NULL OR s.normal IS NOT NULL
 ORDER BY p.code;

UPDATE organisations o SET xapi_home_page = NULL
  FROM xapi_home_pages_cleared c WHERE c.organisation_id = o.id;
UPDATE organisations SET xapi_home_page = normal_home_page(xapi_home_page)
 WHERE xapi_home_page IS DISTINCT FROM normal_home_page(xapi_home_page);

-- Every write stores the normal form, so the unique index on the column is unique on the
-- normal form, and statements match it exactly.
ALTER TABLE organisations ADD CONSTRAINT organisations_xapi_home_page_check
    CHECK (xapi_home_page IS NOT DISTINCT FROM normal_home_page(xapi_home_page));
