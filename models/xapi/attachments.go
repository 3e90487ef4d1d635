package xapi

import (
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"hash"
	"strings"
)

// AttachmentData is an attachment's content, which travels beside the statements in a
// multipart/mixed request or answer: its digest (the sha2 of the statement's attachment),
// media type and bytes.
type AttachmentData struct {
	SHA2        string // lower-case hex
	ContentType string
	Data        []byte
}

// DigestMatches reports whether data has the SHA-2 digest sha2 (SHA-224, -256, -384 or
// -512, told apart by length), as an LRS matches a part to its attachment.
func DigestMatches(sha2 string, data []byte) bool {
	var h hash.Hash
	switch len(sha2) {
	case 56:
		h = sha256.New224()
	case 64:
		h = sha256.New()
	case 96:
		h = sha512.New384()
	case 128:
		h = sha512.New()
	default:
		return false
	}
	h.Write(data)
	return hex.EncodeToString(h.Sum(nil)) == strings.ToLower(sha2)
}

// AttachmentDigests lists the digests of the stored statements' attachments, each once:
// those whose data the LRS holds are answered with attachments=true.
func AttachmentDigests(stmts []Stored) []string {
	seen := map[string]bool{}
	for _, s := range stmts {
		var m map[string]any
		if json.Unmarshal(s.Statement, &m) != nil {
			continue
		}
		all, _ := attachmentDigests(m)
		for _, sha := range all {
			seen[sha] = true
		}
	}
	return sortedSet(seen)
}
