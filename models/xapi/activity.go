package xapi

import (
	"strconv"
)

// componentLists says which interaction component lists each interactionType takes
// (Data 2.4.4.1, Interaction Components).
var componentLists = map[string][]string{
	"true-false": nil, "fill-in": nil, "long-fill-in": nil, "numeric": nil, "other": nil,
	"choice": {"choices"}, "sequencing": {"choices"}, "likert": {"scale"},
	"matching": {"source", "target"}, "performance": {"steps"},
}

var allComponentLists = []string{"choices", "scale", "source", "target", "steps"}

// checkActivity validates an Activity: its id and, when given, its definition.
func checkActivity(c check, a map[string]any, path string) {
	c.only(a, path, "objectType", "id", "definition")
	c.iri(a, "id", path, true)
	d, ok := c.object(a, "definition", path, false)
	if !ok {
		return
	}
	dp := join(path, "definition")
	c.only(d, dp, "name", "description", "type", "moreInfo", "extensions", "interactionType",
		"correctResponsesPattern", "choices", "scale", "source", "target", "steps")
	c.languageMap(d, "name", dp, false)
	c.languageMap(d, "description", dp, false)
	c.iri(d, "type", dp, false)
	c.iri(d, "moreInfo", dp, false)
	c.extensions(d, "extensions", dp)
	checkInteraction(c, d, dp)
}

// checkInteraction validates the interaction properties of an Activity definition: a
// known interactionType, the component lists it takes and no others, and distinct
// component ids within each list.
func checkInteraction(c check, d map[string]any, path string) {
	kind, hasKind := c.str(d, "interactionType", path, false, false)
	lists, known := componentLists[kind]
	if hasKind && !known {
		c.add(join(path, "interactionType"), "must be one of true-false, choice, fill-in, long-fill-in, matching, performance, sequencing, likert, numeric, other")
	}
	if patterns, ok := c.list(d, "correctResponsesPattern", path, false); ok {
		c.v.Check(hasKind, join(path, "interactionType"), "is required with correctResponsesPattern")
		for i, p := range patterns {
			if _, isStr := p.(string); !isStr {
				c.add(join(path, "correctResponsesPattern")+"["+strconv.Itoa(i)+"]", "must be a string")
			}
		}
	}
	for _, name := range allComponentLists {
		components, ok := c.list(d, name, path, false)
		if !ok {
			continue
		}
		allowed := false
		for _, l := range lists {
			allowed = allowed || l == name
		}
		if !allowed && known {
			c.add(join(path, name), "is not a component list of interactionType "+kind)
		}
		c.v.Check(hasKind, join(path, "interactionType"), "is required with interaction components")
		checkComponents(c, components, join(path, name))
	}
}

func checkComponents(c check, components []any, path string) {
	seen := map[string]bool{}
	c.eachObject(components, path, "an interaction component object", func(comp map[string]any, cp string) {
		c.only(comp, cp, "id", "description")
		if id, ok := c.str(comp, "id", cp, true, true); ok {
			c.v.Check(!seen[id], join(cp, "id"), "repeats the id of another component in the list")
			seen[id] = true
		}
		c.languageMap(comp, "description", cp, false)
	})
}
