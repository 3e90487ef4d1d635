package xapi

import (
	"strconv"

	"cyberskills/models"
)

// Validation is the LRS's duty (Data 2.2): reject any statement with a null outside
// extensions, a wrong type, a value that does not follow its format, a property the
// specification does not define (in the case it gives) or a broken structure, so that
// whatever is stored is a statement every consumer can read. Each fault is named by its
// path in the statement.

// statementProperties are the properties of a statement; a SubStatement has its own
// objectType and not those the LRS sets.
var (
	statementProperties = []string{"id", "actor", "verb", "object", "result", "context", "timestamp", "stored",
		"authority", "version", "attachments"}
	subStatementProperties = []string{"objectType", "actor", "verb", "object", "result", "context", "timestamp", "attachments"}
)

// VerbVoided is the reserved verb of a statement that voids another (Data 2.3.2).
const VerbVoided = "http://adlnet.gov/expapi/verbs/voided"

// checkStatement validates a statement (top) or a SubStatement under path.
func checkStatement(m map[string]any, path string, top bool, v *models.Validator) {
	c := check{v}
	if top {
		// Nulls first: a null where a value is required would otherwise be reported again
		// as a wrong type. (A batch shares v: count this statement's faults only.)
		before := v.Len()
		if checkNulls(m, path, v); v.Len() > before {
			return
		}
		c.only(m, path, statementProperties...)
		c.uuid(m, "id", path, false)
	} else {
		c.only(m, path, subStatementProperties...)
	}
	if a, ok := c.object(m, "actor", path, true); ok {
		checkActor(c, a, join(path, "actor"), "Agent")
	}
	verb := ""
	if vb, ok := c.object(m, "verb", path, true); ok {
		c.only(vb, join(path, "verb"), "id", "display")
		verb, _ = c.iri(vb, "id", join(path, "verb"), true)
		c.languageMap(vb, "display", join(path, "verb"), false)
	}
	kind := ""
	if obj, ok := c.object(m, "object", path, true); ok {
		kind = checkObject(c, obj, join(path, "object"), top)
	}
	if verb == VerbVoided && kind != "" {
		v.Check(kind == "StatementRef", join(path, "object.objectType"), "must be StatementRef: a voiding statement names the statement it voids")
	}
	if res, ok := c.object(m, "result", path, false); ok {
		checkResult(c, res, join(path, "result"))
	}
	if ctx, ok := c.object(m, "context", path, false); ok {
		checkContext(c, ctx, join(path, "context"), kind)
	}
	c.format(m, "timestamp", path, false, validTime, "an ISO 8601 (RFC 3339) timestamp with a time zone, such as 2015-11-18T12:17:00+00:00, from 1900 to 9999")
	if top {
		c.format(m, "stored", path, false, validTime, "an ISO 8601 (RFC 3339) timestamp with a time zone")
		c.format(m, "version", path, false, validStatementVersion, "1.0.x or 2.0.x")
		if a, ok := c.object(m, "authority", path, false); ok {
			checkAuthority(c, a, join(path, "authority"))
		}
	}
	checkAttachments(c, m, path)
}

// checkObject validates the object of a statement by its objectType, which it returns.
func checkObject(c check, obj map[string]any, path string, top bool) string {
	kind := objectType(obj, "Activity")
	switch kind {
	case "Activity":
		checkActivity(c, obj, path)
	case "Agent", "Group":
		c.v.Check(obj["objectType"] != nil, join(path, "objectType"), "is required when the object is an Agent or a Group")
		checkActor(c, obj, path, kind)
	case "StatementRef":
		c.only(obj, path, "objectType", "id")
		c.uuid(obj, "id", path, true)
	case "SubStatement":
		if top {
			checkStatement(obj, path, false, c.v)
		} else {
			c.add(join(path, "objectType"), "a SubStatement cannot contain another SubStatement")
		}
	default:
		c.add(join(path, "objectType"), "must be Activity, Agent, Group, StatementRef or SubStatement")
		return ""
	}
	return kind
}

// checkResult validates a statement's result.
func checkResult(c check, res map[string]any, path string) {
	c.only(res, path, "score", "success", "completion", "response", "duration", "extensions")
	c.boolean(res, "success", path)
	c.boolean(res, "completion", path)
	c.str(res, "response", path, false, false)
	c.format(res, "duration", path, false, ValidDuration, "an ISO 8601 duration such as PT1H30M")
	c.extensions(res, "extensions", path)
	score, ok := c.object(res, "score", path, false)
	if !ok {
		return
	}
	sp := join(path, "score")
	c.only(score, sp, "scaled", "raw", "min", "max")
	if scaled, ok := c.number(score, "scaled", sp); ok {
		c.v.Check(scaled >= -1 && scaled <= 1, join(sp, "scaled"), "must be a number from -1 to 1")
	}
	raw, hasRaw := c.number(score, "raw", sp)
	lo, hasMin := c.number(score, "min", sp)
	hi, hasMax := c.number(score, "max", sp)
	c.v.Check(!hasMin || !hasMax || lo < hi, join(sp, "min"), "must be less than max")
	c.v.Check(!hasRaw || !hasMin || raw >= lo, join(sp, "raw"), "must not be less than min")
	c.v.Check(!hasRaw || !hasMax || raw <= hi, join(sp, "raw"), "must not be more than max")
}

// checkAttachments validates the attachments' metadata (Data 2.4.11); their data, when
// not at a fileUrl, travels in a multipart request.
func checkAttachments(c check, m map[string]any, path string) {
	list, ok := c.list(m, "attachments", path, false)
	if !ok {
		return
	}
	c.eachObject(list, join(path, "attachments"), "an attachment object", func(a map[string]any, ap string) {
		c.only(a, ap, "usageType", "display", "description", "contentType", "length", "sha2", "fileUrl")
		c.iri(a, "usageType", ap, true)
		c.languageMap(a, "display", ap, true)
		c.languageMap(a, "description", ap, false)
		c.format(a, "contentType", ap, true, validMediaType, "an Internet media type such as application/pdf")
		c.integer(a, "length", ap, true)
		c.format(a, "sha2", ap, true, validSHA2, "the hex SHA-2 digest of the attachment")
		c.iri(a, "fileUrl", ap, false)
	})
}

// checkNulls refuses null anywhere but inside extensions, as the specification requires.
func checkNulls(raw any, path string, v *models.Validator) {
	switch x := raw.(type) {
	case nil:
		v.Add(orBody(path), "must not be null")
	case map[string]any:
		for k, e := range x {
			if k == "extensions" {
				continue
			}
			checkNulls(e, join(path, k), v)
		}
	case []any:
		for i, e := range x {
			checkNulls(e, path+"["+strconv.Itoa(i)+"]", v)
		}
	}
}
