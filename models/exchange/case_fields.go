package exchange

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

var assocPath = regexp.MustCompile(`^associations\[(\d+)\](.*)$`)

// caseFieldNames maps document fields to where a package carries them.
var caseFieldNames = map[string]string{
	"code": "humanCodingScheme", "name": "fullStatement", "description": "notes",
	"tier": "extensions.cyberskills.tier", "status": "extensions.cyberskills.status",
	"statement_type": "extensions.cyberskills.statement_type",
	"area":           "isChildOf", "parent": "isChildOf", "superseded_by": "replacedBy",
}

var caseDocumentFields = map[string]string{
	"name": "CFDocument.title", "description": "CFDocument.description", "publisher": "CFDocument.publisher",
	"licence": "CFDocument.licenseURI", "code": "code", "case": "CFDocument",
}

// field turns a document path such as skills[3].code into the package's terms,
// CFItems[7].humanCodingScheme.
func (in *caseImport) field(path string) string {
	if n, ok := caseDocumentFields[path]; ok {
		return n
	}
	if strings.HasPrefix(path, "tiers") {
		return "CFDocument.extensions.cyberskills." + path
	}
	if m := assocPath.FindStringSubmatch(path); m != nil {
		i, _ := strconv.Atoi(m[1])
		if i >= len(in.assocOf) {
			return path
		}
		p := fmt.Sprintf("CFAssociations[%d]", in.assocOf[i])
		switch {
		case strings.HasPrefix(m[2], ".from"):
			p += ".originNodeURI"
		case strings.HasPrefix(m[2], ".to"):
			p += ".destinationNodeURI"
		case m[2] == ".type":
			p += ".associationType"
		}
		return p
	}
	m := docPath.FindStringSubmatch(path)
	if m == nil {
		return path
	}
	i, _ := strconv.Atoi(m[2])
	items := in.skillItems
	if m[1] == "areas" {
		items = in.areaItems
	}
	if i >= len(items) {
		return path
	}
	rest := m[3]
	if j := strings.IndexByte(rest, '['); j > 0 && (strings.HasPrefix(rest, "other_areas") || strings.HasPrefix(rest, "other_parents")) {
		rest = "isChildOf"
	}
	if n, ok := caseFieldNames[rest]; ok {
		rest = n
	} else if strings.HasPrefix(rest, "references") {
		rest = "extensions.cyberskills." + rest
	}
	p := fmt.Sprintf("CFItems[%d]", items[i])
	if rest != "" {
		p += "." + rest
	}
	return p
}
