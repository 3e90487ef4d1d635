package xapi

import (
	"crypto/sha1"
	"encoding/hex"
	"net/mail"
	"strings"
	"time"

	"cyberskills/models"
)

// PersonMapping is one line of a provider's own table from the identifiers its LMS uses
// to the people they are: an account (homePage and name), a mailbox, or a mailbox's SHA-1
// (mbox_sha1sum), mapped to an organisation and external id. A provider's mappings apply
// to its own statements only, and decide who the actor is before anything else does.
type PersonMapping struct {
	ID           int64     `json:"id" example:"7"`
	Provider     string    `json:"provider" example:"nhs-learning-hub"`
	HomePage     string    `json:"home_page,omitempty" example:"https://learninghub.example.nhs.uk"`
	AccountName  string    `json:"account_name,omitempty" example:"1042"`
	Mbox         string    `json:"mbox,omitempty" example:"mailto:a.patel@nhs.net"`
	MboxSHA1Sum  string    `json:"mbox_sha1sum,omitempty" example:"ebd31e95054c018b10727ccffd2ef2ec3a016ee9"`
	Organisation string    `json:"organisation" example:"RJ1"`
	ExternalID   string    `json:"external_id" example:"E10234"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// The kinds of identifier a mapping holds.
const (
	MappingAccount = "account"
	MappingMbox    = "mbox"
	MappingSHA1    = "mbox_sha1sum"
)

// MappingKey is a mapping's identifier as stored and matched: its kind, the account's
// homePage in normal form (models.NormalHomePage), and the identifier itself (the
// account's name, the address in lower case, or the digest in lower case). SHA1 is, for a
// mailbox, the mbox_sha1sum of the mailto IRI as given, so that a hashed mailbox matches.
type MappingKey struct {
	Kind, HomePage, Identifier, SHA1 string
}

// MappingRow is one row of a mappings file, as read.
type MappingRow struct {
	Line         int
	Key          MappingKey
	Organisation string
	ExternalID   string
	Problems     []models.FieldError
}

// ReadMapping reads one mapping from a file row's fields: exactly one identifier (an
// account: home_page and account_name; mbox: an address, with or without mailto:;
// mbox_sha1sum: 40 hex digits), and the person's organisation code and external id.
func ReadMapping(line int, homePage, accountName, mbox, sha1sum, organisation, externalID string) MappingRow {
	var v models.Validator
	row := MappingRow{Line: line, Organisation: strings.TrimSpace(organisation), ExternalID: strings.TrimSpace(externalID)}
	given := 0
	for _, s := range []string{homePage + accountName, mbox, sha1sum} {
		if s != "" {
			given++
		}
	}
	v.Check(given == 1, "identifier", "give exactly one of home_page with account_name, mbox, or mbox_sha1sum")
	switch {
	case homePage != "" || accountName != "":
		normal, err := models.NormalHomePage(homePage)
		if err != nil {
			v.Add("home_page", err.Error())
		}
		v.Check(accountName != "" && len(accountName) <= 500, "account_name", "is required with home_page (at most 500 characters)")
		row.Key = MappingKey{Kind: MappingAccount, HomePage: normal, Identifier: accountName}
	case mbox != "":
		addr := strings.TrimPrefix(mbox, "mailto:")
		parsed, err := mail.ParseAddress(addr)
		v.Check(err == nil && parsed.Address == addr && len(addr) <= 320, "mbox", `must be an e-mail address, with or without "mailto:"`)
		sum := sha1.Sum([]byte("mailto:" + addr))
		row.Key = MappingKey{Kind: MappingMbox, Identifier: strings.ToLower(addr), SHA1: hex.EncodeToString(sum[:])}
	case sha1sum != "":
		v.Check(sha1Hex.MatchString(sha1sum), "mbox_sha1sum", "must be 40 hex digits: the SHA-1 of a mailto IRI")
		row.Key = MappingKey{Kind: MappingSHA1, Identifier: strings.ToLower(sha1sum)}
	}
	v.Check(row.Organisation != "", "organisation", "is required: the person's organisation code")
	v.Check(row.ExternalID != "" && len(row.ExternalID) <= 200, "external_id", "is required: the person's external id (at most 200 characters)")
	row.Problems = v.Fields()
	return row
}

// MappingOf is a stored mapping as the API shows it.
func MappingOf(id int64, provider string, key MappingKey, organisation, externalID string, created, updated time.Time) PersonMapping {
	m := PersonMapping{ID: id, Provider: provider, Organisation: organisation, ExternalID: externalID, CreatedAt: created, UpdatedAt: updated}
	switch key.Kind {
	case MappingAccount:
		m.HomePage, m.AccountName = key.HomePage, key.Identifier
	case MappingMbox:
		m.Mbox, m.MboxSHA1Sum = "mailto:"+key.Identifier, key.SHA1
	case MappingSHA1:
		m.MboxSHA1Sum = key.Identifier
	}
	return m
}
