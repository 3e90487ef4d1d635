package xapi

import (
	"strconv"

	"cyberskills/models"
)

// contextActivityKinds are the keys of contextActivities (Data 2.4.6.2).
var contextActivityKinds = []string{"parent", "grouping", "category", "other"}

// checkContext validates a statement's context; object is the statement's objectType
// (revision and platform are only for statements about an Activity).
func checkContext(c check, ctx map[string]any, path, object string) {
	c.only(ctx, path, "registration", "instructor", "team", "contextActivities", "revision", "platform",
		"language", "statement", "extensions", "contextAgents", "contextGroups")
	c.uuid(ctx, "registration", path, false)
	if a, ok := c.object(ctx, "instructor", path, false); ok {
		checkActor(c, a, join(path, "instructor"), "Agent")
	}
	if t, ok := c.object(ctx, "team", path, false); ok {
		c.v.Check(objectType(t, "Agent") == "Group", join(path, "team.objectType"), "must be Group: a team is a Group")
		checkActor(c, t, join(path, "team"), "Agent")
	}
	if ca, ok := c.object(ctx, "contextActivities", path, false); ok {
		checkContextActivities(c, ca, join(path, "contextActivities"))
	}
	for _, k := range []string{"revision", "platform"} {
		if _, ok := c.str(ctx, k, path, false, false); ok && object != "Activity" && object != "" {
			c.add(join(path, k), "is only for statements whose object is an Activity")
		}
	}
	c.format(ctx, "language", path, false, ValidLanguageTag, "an RFC 5646 language tag such as en-GB")
	if ref, ok := c.object(ctx, "statement", path, false); ok {
		sp := join(path, "statement")
		c.v.Check(objectType(ref, "") == "StatementRef", join(sp, "objectType"), "must be StatementRef")
		c.only(ref, sp, "objectType", "id")
		c.uuid(ref, "id", sp, true)
	}
	c.extensions(ctx, "extensions", path)
	checkContextActors(c, ctx, path, "contextAgents", "contextAgent", "agent", "Agent")
	checkContextActors(c, ctx, path, "contextGroups", "contextGroup", "group", "Group")
}

// checkContextActivities validates each kind's Activities: a list, or (as version 1.0.0
// allowed) one Activity.
func checkContextActivities(c check, ca map[string]any, path string) {
	c.only(ca, path, contextActivityKinds...)
	for _, k := range contextActivityKinds {
		x, ok := ca[k]
		if !ok {
			continue
		}
		kp := join(path, k)
		switch v := x.(type) {
		case map[string]any:
			checkContextActivity(c, v, kp)
		case []any:
			c.eachObject(v, kp, "an Activity object", func(act map[string]any, ap string) { checkContextActivity(c, act, ap) })
		default:
			c.add(kp, "must be an array of Activity objects")
		}
	}
}

func checkContextActivity(c check, a map[string]any, path string) {
	c.v.Check(objectType(a, "Activity") == "Activity", join(path, "objectType"), "must be Activity")
	checkActivity(c, a, path)
}

// checkContextActors validates xAPI 2.0's contextAgents or contextGroups: a list of
// objects of type kind, each with the actor under key and its relevantTypes (IRIs).
func checkContextActors(c check, ctx map[string]any, path, list, kind, key, actorType string) {
	items, ok := c.list(ctx, list, path, false)
	if !ok {
		return
	}
	c.eachObject(items, join(path, list), "a "+kind+" object", func(item map[string]any, ip string) {
		c.only(item, ip, "objectType", key, "relevantTypes")
		c.v.Check(item["objectType"] == kind, join(ip, "objectType"), "must be "+kind)
		if a, ok := c.object(item, key, ip, true); ok {
			c.v.Check(objectType(a, "Agent") == actorType, join(ip, key+".objectType"), "must be "+actorType)
			checkActor(c, a, join(ip, key), "Agent")
		}
		if types, ok := c.list(item, "relevantTypes", ip, false); ok {
			c.v.Check(len(types) > 0, join(ip, "relevantTypes"), "must not be empty")
			for j, t := range types {
				s, _ := t.(string)
				c.v.Check(models.ValidIRI(s), join(ip, "relevantTypes")+"["+strconv.Itoa(j)+"]", "must be an absolute IRI")
			}
		}
	})
}
