// Package demo loads a small, realistic dataset through the API, as an administrator,
// the trusts' HR systems and a training provider would send it: the NHS trusts of two
// London ICBs from the ODS extract the README's quick start uses, departments, a few
// hundred staff in the shipped role templates, their evidence, courses, completions,
// enrolments, establishment, bought-in cover and a saved scenario. Everything is drawn
// from a fixed seed and dated from the service's clock, so a run as of one instant
// always loads the same data.
package demo

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"time"

	"cyberskills/examples"
)

// seed makes every run draw the same people and evidence.
const seed = 2027

// TokenPrefix starts the name of every token the demo mints: a database that has one has
// been loaded.
const TokenPrefix = "demo: "

// Tokens are the secrets of the tokens the demo minted for people to look around with.
type Tokens struct {
	Admin, HR, ICB, Trainer, Analyst string
	LRSKey                           string // the trainer's xAPI key (HTTP Basic user name)
}

// Summary says what was loaded, and with which tokens to look at it.
type Summary struct {
	Tokens
	Trusts, Departments, Staff, Evidence, Courses, Completions, Enrolments int
}

// icbNames names the two ICBs, which the trust extract only refers to by code.
const icbNames = "code,name,type\nQKK,NHS South East London Integrated Care Board,icb\nQWE,NHS South West London Integrated Care Board,icb\n"

// Load loads the demo through api (the router, in process) with adminToken, an admin
// token's secret, as of now, the service's clock.
func Load(api http.Handler, adminToken string, now time.Time) (Summary, error) {
	admin := client{api: api, token: adminToken}
	var sum Summary
	var err error
	if err = admin.file("/organisations/import?extract=etr", "text/csv", examples.TrustsExtract, nil); err != nil {
		return sum, err
	}
	if err = admin.file("/organisations/import?format=csv", "text/csv", []byte(icbNames), nil); err != nil {
		return sum, err
	}
	sum.Admin = adminToken
	if sum.Tokens, err = mintTokens(admin, sum.Tokens); err != nil {
		return sum, err
	}
	roles, err := roleRequirements(admin)
	if err != nil {
		return sum, err
	}
	trainer := admin.as(sum.Trainer)
	for _, c := range courses {
		if err := trainer.json(http.MethodPut, "/courses/"+c.Code, c, nil); err != nil {
			return sum, err
		}
	}
	sum.Courses = len(courses)
	for i, t := range trusts {
		hr, err := mintToken(admin, "hr", "HR system of "+t.code, t.code)
		if err != nil {
			return sum, err
		}
		if t.code == "RJ1" {
			hr = sum.HR
			// PUT, an upsert: the quick start defines the same role.
			if err := admin.as(hr).json(http.MethodPut, "/organisations/RJ1/roles/cyber-champion", cyberChampion, nil); err != nil {
				return sum, err
			}
		}
		rng := rand.New(rand.NewPCG(seed, uint64(i)))
		if err := loadTrust(admin.as(hr), trainer, t, roles, rng, now, &sum); err != nil {
			return sum, fmt.Errorf("trust %s: %w", t.code, err)
		}
	}
	if err := admin.as(sum.HR).json(http.MethodPost, "/organisations/RJ1/scenarios", scenarioFor(now), nil); err != nil {
		return sum, err
	}
	return sum, nil
}

// mintTokens mints, through the API, the tokens Summary lists.
func mintTokens(admin client, t Tokens) (Tokens, error) {
	var created struct {
		Token string `json:"token"`
		LRS   struct {
			Key string `json:"key"`
		} `json:"lrs"`
	}
	if err := admin.json(http.MethodPost, "/tokens", map[string]string{"name": TokenPrefix + "Academy LMS", "role": "trainer", "provider": provider}, &created); err != nil {
		return t, err
	}
	t.Trainer, t.LRSKey = created.Token, created.LRS.Key
	var err error
	if t.HR, err = mintToken(admin, "hr", "ESR feed of RJ1", "RJ1"); err != nil {
		return t, err
	}
	if t.ICB, err = mintToken(admin, "hr", "South East London ICB", "QKK"); err != nil {
		return t, err
	}
	t.Analyst, err = mintToken(admin, "analyst", "Policy team", "")
	return t, err
}

func mintToken(admin client, role, name, org string) (string, error) {
	var created struct {
		Token string `json:"token"`
	}
	body := map[string]string{"name": TokenPrefix + name, "role": role}
	if org != "" {
		body["organisation"] = org
	}
	err := admin.json(http.MethodPost, "/tokens", body, &created)
	return created.Token, err
}

// roleRequirements reads, as any client would, the requirements of the role templates
// the demo's staff hold, with RJ1's own role beside them.
func roleRequirements(admin client) (map[string][]requirement, error) {
	out := map[string][]requirement{"cyber-champion": cyberChampion.Requirements}
	codes := append([]string{"clinical-staff", "administrative-staff", "information-governance-lead"}, digitalRoles...)
	for _, code := range codes {
		if _, ok := out[code]; ok {
			continue
		}
		var role struct {
			Requirements []requirement `json:"requirements"`
		}
		if err := admin.json(http.MethodGet, "/roles/"+code, nil, &role); err != nil {
			return nil, err
		}
		out[code] = role.Requirements
	}
	return out, nil
}

// cyberChampion is RJ1's own role.
var cyberChampion = struct {
	Code         string        `json:"code"`
	Title        string        `json:"title"`
	Description  string        `json:"description"`
	Requirements []requirement `json:"requirements"`
}{"cyber-champion", "Ward cyber champion", "A clinician who helps colleagues handle patient data safely and spot incidents.",
	[]requirement{{"secure-data", 3, "essential"}, {"incident-detection", 2, "essential"}, {"access-control", 2, "desirable"}}}

// scenarioFor is RJ1's saved what-if: two network engineers next quarter, and security
// monitoring bought in from next month.
func scenarioFor(now time.Time) map[string]any {
	next := time.Date(now.Year(), now.Month()+1, 1, 0, 0, 0, 0, time.UTC)
	return map[string]any{"name": "Two more network engineers, monitoring bought in", "months": 12, "changes": []map[string]any{
		{"type": "hire", "role": "network-engineer", "count": 2, "from": quarterStart(now, 1).Format("2006-01")},
		{"type": "outsource", "skill": "security-monitoring", "provider": "NHS Cyber Security Operations Centre", "from": next.Format("2006-01")},
	}}
}
