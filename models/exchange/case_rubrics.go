package exchange

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"cyberskills/models"
)

// caseRubrics reads the scale (a criterion without an item) and skills' level descriptors.
func caseRubrics(p CFPackage, index map[string]int, skillOf map[int]int, doc *models.Framework, v *models.Validator) {
	scaleRead := false
	for r, rub := range p.CFRubrics {
		for c, crit := range rub.CFRubricCriteria {
			at := fmt.Sprintf("CFRubrics[%d].CFRubricCriteria[%d]", r, c)
			if crit.CFItemURI == nil || crit.CFItemURI.Identifier == "" {
				if !scaleRead {
					doc.Scale = caseScale(crit, at, v)
					scaleRead = true
				}
				continue
			}
			k, ok := index[crit.CFItemURI.Identifier]
			si, isSkill := skillOf[k]
			if !ok || !isSkill {
				v.Add(at+".CFItemURI", "is not a skill of this package")
				continue
			}
			levels := map[string]string{}
			for l, lv := range crit.CFRubricCriterionLevels {
				if n, ok := caseScore(lv.Score, fmt.Sprintf("%s.CFRubricCriterionLevels[%d].score", at, l), v); ok {
					levels[models.LevelKey(n)] = lv.Description
				}
			}
			doc.Skills[si].Levels = levels
		}
	}
}

func caseScale(crit CFRubricCriterion, at string, v *models.Validator) []models.ProficiencyLevel {
	var scale []models.ProficiencyLevel
	for l, lv := range crit.CFRubricCriterionLevels {
		n, ok := caseScore(lv.Score, fmt.Sprintf("%s.CFRubricCriterionLevels[%d].score", at, l), v)
		if !ok {
			continue
		}
		c := readExtension(lv.Extensions).Code
		if c == "" {
			c = slug(lv.Quality, "level-"+strconv.Itoa(n))
		}
		scale = append(scale, models.ProficiencyLevel{Level: n, Code: c, Name: lv.Quality, Descriptor: lv.Description})
	}
	sort.SliceStable(scale, func(i, j int) bool { return scale[i].Level < scale[j].Level })
	return scale
}

func caseScore(score float64, at string, v *models.Validator) (int, bool) {
	if score != math.Trunc(score) || score < 0 || score > models.MaxScaleLevel {
		v.Add(at, fmt.Sprintf("must be a whole level number from 0 to %d", models.MaxScaleLevel))
		return 0, false
	}
	return int(score), true
}

var nonCode = regexp.MustCompile(`[^a-z0-9]+`)

// slug makes a code from a name, or returns fallback when that gives no valid code.
func slug(name, fallback string) string {
	s := strings.Trim(nonCode.ReplaceAllString(strings.ToLower(name), "-"), "-")
	if len(s) > 64 {
		s = strings.TrimRight(s[:64], "-")
	}
	if !models.ValidCode(s) {
		return fallback
	}
	return s
}

// caseRubric holds the scale as its first criterion and each described skill's levels.
func caseRubric(f models.Framework, links map[string]LinkURI, ts string) CFRubric {
	rubricID := CASEIdentifier("rubric", f.Code)
	r := CFRubric{Identifier: rubricID, URI: "urn:uuid:" + rubricID, Title: f.Name + ": proficiency levels",
		Description:        "The proficiency scale (the criterion without an item) and, per skill, what each level looks like.",
		LastChangeDateTime: ts}
	criterion := func(key, category string, item *LinkURI, pos int) CFRubricCriterion {
		id := CASEIdentifier("criterion", f.Code, key)
		return CFRubricCriterion{Identifier: id, URI: "urn:uuid:" + id, Category: category, CFItemURI: item, Position: pos,
			RubricID: rubricID, LastChangeDateTime: ts, CFRubricCriterionLevels: []CFRubricCriterionLevel{}}
	}
	level := func(c *CFRubricCriterion, key string, l models.ProficiencyLevel, descriptor string, ext *CaseExtension) {
		id := CASEIdentifier("level", f.Code, key, strconv.Itoa(l.Level))
		cl := CFRubricCriterionLevel{Identifier: id, URI: "urn:uuid:" + id, Description: descriptor, Quality: l.Name,
			Score: float64(l.Level), Position: len(c.CFRubricCriterionLevels), RubricCriterionID: c.Identifier, LastChangeDateTime: ts}
		if ext != nil {
			cl.Extensions = ext.raw()
		}
		c.CFRubricCriterionLevels = append(c.CFRubricCriterionLevels, cl)
	}
	scale := criterion("scale", "Proficiency scale", nil, 0)
	scale.Description = "The levels at which every skill of the framework is assessed."
	for _, l := range f.Scale {
		level(&scale, "scale", l, l.Descriptor, &CaseExtension{Code: l.Code})
	}
	r.CFRubricCriteria = append(r.CFRubricCriteria, scale)
	for i, s := range f.Skills {
		if len(s.Levels) == 0 {
			continue
		}
		item := links[skillKey(s.Code)]
		c := criterion("skill/"+s.Code, s.Name, &item, i+1)
		for _, l := range f.Scale {
			if d := s.Levels[models.LevelKey(l.Level)]; d != "" {
				level(&c, "skill/"+s.Code, l, d, nil)
			}
		}
		r.CFRubricCriteria = append(r.CFRubricCriteria, c)
	}
	return r
}
