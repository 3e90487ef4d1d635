package xapi

import (
	"crypto"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"strings"

	"cyberskills/models"
)

// SignatureUsage is the usageType of the attachment that signs its statement (Data 2.6).
const SignatureUsage = "http://adlnet.gov/expapi/attachments/signature"

// signatureHashes are the JWS algorithms a statement's signature may use, with their digests.
var signatureHashes = map[string]crypto.Hash{"RS256": crypto.SHA256, "RS384": crypto.SHA384, "RS512": crypto.SHA512}

// CheckSignatures refuses signed statements whose signature is malformed (Data 2.6): a
// signature attachment must be application/octet-stream holding a JWS in compact form,
// of algorithm RS256, RS384 or RS512, whose payload is the statement as it was before the
// signature was added (compared by the specification's rules). When the JWS header holds
// the signer's certificate (x5c), the signature must verify against it.
func CheckSignatures(stmts []Statement, sent map[string]AttachmentData) error {
	var v models.Validator
	for _, s := range stmts {
		for _, sig := range s.Signatures {
			data, ok := sent[sig.SHA2]
			if !ok {
				continue // a signature by fileUrl: the LRS cannot read it
			}
			field := s.Prefix + "attachments"
			if sig.ContentType != "application/octet-stream" {
				v.Add(field, "a signature attachment's contentType must be application/octet-stream")
				continue
			}
			if msg := checkJWS(string(data.Data), s.Content); msg != "" {
				v.Add(field, msg)
			}
		}
	}
	return v.Err()
}

// signatureRef is a statement's signature attachment.
type signatureRef struct{ SHA2, ContentType string }

// signatures lists the signature attachments of a statement.
func signatures(m map[string]any) []signatureRef {
	var out []signatureRef
	list, _ := m["attachments"].([]any)
	for _, x := range list {
		a, _ := x.(map[string]any)
		if a["usageType"] == SignatureUsage {
			sha, _ := a["sha2"].(string)
			ct, _ := a["contentType"].(string)
			out = append(out, signatureRef{SHA2: strings.ToLower(sha), ContentType: ct})
		}
	}
	return out
}

// checkJWS checks a compact JWS against the statement it signs, saying what is wrong.
func checkJWS(jws string, statement StatementContent) string {
	parts := strings.Split(strings.TrimSpace(jws), ".")
	if len(parts) != 3 {
		return "a signature must be a JWS in compact serialisation (header.payload.signature)"
	}
	var header struct {
		Alg string   `json:"alg"`
		X5C []string `json:"x5c"`
	}
	rawHeader, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil || json.Unmarshal(rawHeader, &header) != nil {
		return "a signature's JWS header is not base64url-encoded JSON"
	}
	hash, ok := signatureHashes[header.Alg]
	if !ok {
		return "a signature's algorithm must be RS256, RS384 or RS512"
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	var m map[string]any
	if err != nil || decodeNumbers(payload, &m) != nil || m == nil {
		return "a signature's payload must be the statement as JSON"
	}
	if !statementContent(m).Matches(statement) {
		return "a signature's payload is not the statement it signs"
	}
	if len(header.X5C) == 0 {
		return ""
	}
	return verifyJWS(parts, header.X5C[0], hash)
}

// verifyJWS verifies an RSA JWS against the certificate (x5c: base64 DER) that signed it.
func verifyJWS(parts []string, x5c string, hash crypto.Hash) string {
	der, err := base64.StdEncoding.DecodeString(x5c)
	if err != nil {
		return "a signature's x5c certificate is not base64"
	}
	cert, err := x509.ParseCertificate(der)
	key, isRSA := cert.PublicKey.(*rsa.PublicKey)
	if err != nil || !isRSA {
		return "a signature's x5c certificate is not an RSA certificate"
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return "a signature's JWS signature is not base64url"
	}
	h := hash.New()
	h.Write([]byte(parts[0] + "." + parts[1]))
	if rsa.VerifyPKCS1v15(key, hash, h.Sum(nil), sig) != nil {
		return "a signature does not verify against its x5c certificate"
	}
	return ""
}
