package xapi

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"math/big"
	"strconv"
	"strings"
	"testing"
	"time"

	"cyberskills/models/fuzzcheck"
)

func TestPresentSetsWhatTheLRSAssigns(t *testing.T) {
	t.Parallel()
	stored := time.Date(2026, 3, 1, 16, 30, 0, 123456789, time.UTC)
	s := Stored{ID: "fd41c918-b88b-4b20-a0a5-a4c32391aaa0", Stored: stored, Version: "1.0.0", Provider: "acme",
		Statement: json.RawMessage(`{"actor":{"objectType":"Group","member":[{"mbox":"mailto:a@example.com","name":"A"}],"name":"G"},
			"verb":{"id":"http://example.com/v","display":{"en":"v","fr":"w"}},
			"object":{"objectType":"SubStatement","actor":{"account":{"homePage":"https://lms.example","name":"1"},"name":"B"},
				"verb":{"id":"http://example.com/v"},"object":{"id":"http://example.com/o","objectType":"Activity","definition":{"name":{"en":"O"}}},
				"context":{"contextActivities":{"parent":{"id":"http://example.com/p"}}}},
			"authority":{"mbox":"mailto:someone@example.com"}}`)}
	exact, err := Present(s, FormatExact, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	json.Unmarshal(exact, &m)
	if m["id"] != s.ID || m["stored"] != "2026-03-01T16:30:00.123Z" || m["timestamp"] != m["stored"] || m["version"] != "1.0.0" ||
		jsonText(m["authority"]) != jsonText(Authority("acme")) ||
		jsonText(m["object"].(map[string]any)["context"]) != `{"contextActivities":{"parent":[{"id":"http://example.com/p"}]}}` {
		t.Fatalf("exact %s", exact)
	}
	ids, _ := Present(s, FormatIDs, nil, nil)
	if want := `"actor":{"member":[{"mbox":"mailto:a@example.com"}],"objectType":"Group"}`; !strings.Contains(string(ids), want) ||
		!strings.Contains(string(ids), `"object":{"actor":{"account":{"homePage":"https://lms.example","name":"1"}},"context":{"contextActivities":{"parent":[{"id":"http://example.com/p"}]}},"object":{"id":"http://example.com/o"}`) {
		t.Fatalf("ids %s", ids)
	}
	canonical, _ := Present(s, FormatCanonical, []string{"fr"}, map[string]json.RawMessage{"http://example.com/o": json.RawMessage(`{"name":{"en":"O","fr":"Objet"}}`)})
	if !strings.Contains(string(canonical), `"display":{"fr":"w"}`) || !strings.Contains(string(canonical), `"definition":{"name":{"fr":"Objet"}}`) {
		t.Fatalf("canonical %s", canonical)
	}
}

// signed returns a statement signed as Data 2.6 says (a JWS of the statement, by key, in
// an attachment), with the certificate in x5c when cert is given.
func signed(t *testing.T, statement, alg string, key *rsa.PrivateKey, cert []byte, payload string) (Statement, map[string]AttachmentData) {
	t.Helper()
	header := map[string]any{"alg": alg}
	if cert != nil {
		header["x5c"] = []string{base64.StdEncoding.EncodeToString(cert)}
	}
	enc := base64.RawURLEncoding
	signing := enc.EncodeToString([]byte(jsonText(header))) + "." + enc.EncodeToString([]byte(payload))
	h := crypto.SHA256.New()
	h.Write([]byte(signing))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, h.Sum(nil))
	if err != nil {
		t.Fatal(err)
	}
	jws := []byte(signing + "." + enc.EncodeToString(sig))
	sha := sha256Of(jws)
	s := mustParseOne(t, strings.TrimSuffix(statement, "}")+`,"attachments":[{"usageType":"`+SignatureUsage+`","display":{"en":"signature"},
		"contentType":"application/octet-stream","length":`+itoa(len(jws))+`,"sha2":"`+sha+`"}]}`)
	return s, map[string]AttachmentData{sha: {SHA2: sha, Data: jws}}
}

func TestCheckSignatures(t *testing.T) {
	t.Parallel()
	key, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	template := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "LMS"},
		NotBefore: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2036, 1, 1, 0, 0, 0, 0, time.UTC)}
	cert, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := rsa.GenerateKey(rand.Reader, 1024)
	const statement = `{"actor":{"mbox":"mailto:a@example.com"},"verb":{"id":"http://example.com/v"},"object":{"id":"http://example.com/o"}}`
	for name, c := range map[string]struct {
		alg     string
		key     *rsa.PrivateKey
		cert    []byte
		payload string
		ok      bool
	}{
		"RS256 without a certificate":    {"RS256", key, nil, statement, true},
		"RS256 with its certificate":     {"RS256", key, cert, statement, true},
		"the payload reserialised":       {"RS256", key, nil, `{"object":{"id":"http://example.com/o"},"verb":{"id":"http://example.com/v"},"actor":{"mbox":"mailto:a@example.com"}}`, true},
		"another algorithm":              {"HS256", key, nil, statement, false},
		"another statement":              {"RS256", key, nil, strings.Replace(statement, "/o", "/p", 1), false},
		"a payload that is not JSON":     {"RS256", key, nil, strings.Replace(statement, `"`, `'`, 1), false},
		"signed by another key than x5c": {"RS256", other, cert, statement, false},
	} {
		s, sent := signed(t, statement, c.alg, c.key, c.cert, c.payload)
		if err := CheckSignatures([]Statement{s}, sent); (err == nil) != c.ok {
			t.Errorf("%s: %v", name, err)
		}
	}
	s, sent := signed(t, statement, "RS256", key, nil, statement)
	s.Signatures[0].ContentType = "text/plain"
	if fields := fuzzcheck.FieldsOf(t, CheckSignatures([]Statement{s}, sent)); len(fields) != 1 {
		t.Fatalf("a signature that is not application/octet-stream: %v", fields)
	}
	for sha := range sent {
		sent[sha] = AttachmentData{Data: []byte("not.a-jws")}
	}
	s.Signatures[0].ContentType = "application/octet-stream"
	if CheckSignatures([]Statement{s}, sent) == nil {
		t.Fatal("a malformed JWS was accepted")
	}
}

func sha256Of(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func itoa(n int) string { return strconv.Itoa(n) }
