ALTER TABLE organisations DROP CONSTRAINT organisations_xapi_home_page_check;
-- The home pages the up migration cleared come back; the normalised ones stay normalised.
UPDATE organisations o SET xapi_home_page = c.home_page
  FROM xapi_home_pages_cleared c WHERE c.organisation_id = o.id AND o.xapi_home_page IS NULL
   AND NOT EXISTS (SELECT 1 FROM organisations x WHERE x.xapi_home_page = c.home_page);
DROP TABLE xapi_home_pages_cleared;
DROP FUNCTION normal_home_page(text);
