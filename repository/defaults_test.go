package repository_test

import (
	"reflect"
	"regexp"
	"testing"

	"cyberskills/models"
	"cyberskills/repository"
)

// defaultSkillTiers are the skill codes other code relies on, with their tiers.
var defaultSkillTiers = map[string]models.Tier{
	"firewall-config": models.TierBasic, "secure-data": models.TierBasic, "malware-protection": models.TierBasic,
	"software-restriction": models.TierBasic, "secure-configuration": models.TierBasic, "patch-management": models.TierBasic,
	"access-control": models.TierBasic, "backup-recovery": models.TierBasic,
	"incident-detection": models.TierIncidentResponse, "incident-management": models.TierIncidentResponse,
	"penetration-testing": models.TierAdvanced, "digital-forensics": models.TierAdvanced, "security-architecture": models.TierAdvanced,
	"malware-analysis": models.TierAdvanced, "vulnerability-management": models.TierAdvanced, "security-monitoring": models.TierAdvanced,
	"threat-intelligence": models.TierAdvanced,
}

// cybokKAs are the 21 knowledge areas of CyBOK v1.1 and its introduction, by name.
var cybokKAs = map[string]bool{
	"Introduction to CyBOK": true, "Risk Management & Governance": true, "Law & Regulation": true, "Human Factors": true,
	"Privacy & Online Rights": true, "Malware & Attack Technologies": true, "Adversarial Behaviours": true,
	"Security Operations & Incident Management": true, "Forensics": true, "Cryptography": true,
	"Operating Systems & Virtualisation Security": true, "Distributed Systems Security": true,
	"Formal Methods for Security": true, "Authentication, Authorisation & Accountability": true, "Software Security": true,
	"Web & Mobile Security": true, "Secure Software Lifecycle": true, "Applied Cryptography": true,
	"Network Security": true, "Hardware Security": true, "Cyber-Physical Systems Security": true,
	"Physical Layer & Telecommunications Security": true,
}

// niceWorkRole is the form of NICE Framework Components v1.0.0 work role ids.
var niceWorkRole = regexp.MustCompile(`^(OG|DD|IO|PD|IN)-WRL-\d{3}$`)

func TestDefaultFrameworkContent(t *testing.T) {
	t.Parallel()
	f, err := repository.DefaultFramework()
	if err != nil {
		t.Fatal(err)
	}
	if f.Code != repository.DefaultFrameworkCode || f.Name != "Cyber Security Skills Framework" || f.Publisher != "cyberskills" || f.Licence == "" {
		t.Fatalf("metadata %q %q %q %q", f.Code, f.Name, f.Publisher, f.Licence)
	}
	if !reflect.DeepEqual(f.Scale, models.DefaultScale()) {
		t.Fatalf("scale %+v", f.Scale)
	}
	got := map[string]models.Tier{}
	for _, s := range f.Skills {
		got[s.Code] = s.Tier
		if len(s.Description) < 80 || len(s.Levels) != 4 || len(s.References) == 0 || s.Area == "" || s.Status != models.SkillActive {
			t.Errorf("skill %s: description, four level descriptors, a reference and an area are all required", s.Code)
		}
		for _, r := range s.References {
			switch r.Scheme {
			case "NICE":
				if !niceWorkRole.MatchString(r.ID) || r.Label == "" {
					t.Errorf("skill %s: NICE reference %+v is not a labelled v1.0.0 work role id", s.Code, r)
				}
			case "CyBOK":
				if !cybokKAs[r.ID] {
					t.Errorf("skill %s: %q is not a CyBOK v1.1 knowledge area", s.Code, r.ID)
				}
			default:
				t.Errorf("skill %s: unexpected scheme %q", s.Code, r.Scheme)
			}
		}
	}
	if !reflect.DeepEqual(got, defaultSkillTiers) {
		t.Fatalf("skills and tiers\n%v\nwant\n%v", got, defaultSkillTiers)
	}
	if h := repository.DefaultsHash(); len(h) != 16 || h != repository.DefaultsHash() {
		t.Fatalf("defaults hash %q", h)
	}
}
