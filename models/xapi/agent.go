package xapi

// ifiProperties are the inverse functional identifiers: one names an Agent or an
// identified Group (Data 2.4.2.3).
var ifiProperties = []string{"mbox", "mbox_sha1sum", "openid", "account"}

// checkActor validates an Agent or Group (def is the objectType assumed when absent).
func checkActor(c check, a map[string]any, path, def string) {
	kind := objectType(a, def)
	if kind != "Agent" && kind != "Group" {
		c.add(join(path, "objectType"), "must be Agent or Group")
		return
	}
	if kind == "Agent" {
		c.only(a, path, "objectType", "name", "mbox", "mbox_sha1sum", "openid", "account")
	} else {
		c.only(a, path, "objectType", "name", "mbox", "mbox_sha1sum", "openid", "account", "member")
	}
	c.str(a, "name", path, false, false)
	n := checkIFI(c, a, path)
	if kind == "Agent" {
		c.v.Check(n == 1, path, "must be identified by exactly one of mbox, mbox_sha1sum, openid or account")
		return
	}
	c.v.Check(n <= 1, path, "must have at most one of mbox, mbox_sha1sum, openid or account")
	members, ok := c.list(a, "member", path, n == 0)
	c.v.Check(!ok || n == 1 || len(members) > 0, join(path, "member"), "must list the members of an anonymous Group")
	c.eachObject(members, join(path, "member"), "an Agent object", func(agent map[string]any, mp string) {
		c.v.Check(objectType(agent, "Agent") == "Agent", join(mp, "objectType"), "must be Agent: a Group's members are Agents")
		checkActor(c, agent, mp, "Agent")
	})
}

// checkIFI validates the identifiers of an Agent or Group and returns how many it has.
func checkIFI(c check, a map[string]any, path string) int {
	n := 0
	for _, k := range ifiProperties {
		if _, ok := a[k]; ok {
			n++
		}
	}
	c.format(a, "mbox", path, false, validMbox, `a mailto IRI such as "mailto:a.patel@nhs.net"`)
	c.format(a, "mbox_sha1sum", path, false, sha1Hex.MatchString, "the hex SHA-1 digest of a mailto IRI")
	c.iri(a, "openid", path, false)
	if acc, ok := c.object(a, "account", path, false); ok {
		ap := join(path, "account")
		c.only(acc, ap, "homePage", "name")
		c.iri(acc, "homePage", ap, true)
		c.str(acc, "name", ap, true, true)
	}
	return n
}

// checkAuthority validates a statement's authority: an Agent, or the Group of two Agents
// that three-legged OAuth produces (Data 2.4.9).
func checkAuthority(c check, a map[string]any, path string) {
	checkActor(c, a, path, "Agent")
	if objectType(a, "Agent") == "Group" {
		members, _ := a["member"].([]any)
		c.v.Check(len(members) == 2, join(path, "member"), "must list exactly two Agents when the authority is a Group")
		for _, k := range ifiProperties {
			c.v.Check(a[k] == nil, join(path, k), "is not allowed: an authority Group is the anonymous pair of an OAuth consumer and user")
		}
	}
}
