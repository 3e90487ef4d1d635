package models

// What a framework create, publish or import did (PublishResult.Outcome).
const (
	FrameworkCreated   = "created"   // a new framework, version 1
	FrameworkPublished = "published" // a new version of an existing framework
	FrameworkUnchanged = "unchanged" // the content equals the current version; nothing written
)

// Wrote reports whether the create, publish or import stored a version: a new framework
// or a new version, not an unchanged document.
func (r PublishResult) Wrote() bool {
	return r.Outcome != "" && r.Outcome != FrameworkUnchanged
}

// ImportResult says what an import did.
type ImportResult struct {
	Code    string `json:"code" example:"cyber"`
	Version int    `json:"version" example:"2"`
	// Outcome is created (a new framework), published (a new version) or unchanged (the
	// file says the same as the current version; nothing was written).
	Outcome string `json:"outcome" enums:"created,published,unchanged" example:"published"`
	Skills  int    `json:"skills" example:"17"`
	Areas   int    `json:"areas" example:"12"`
	// Deprecated lists skills this version retired, including those the file left out.
	Deprecated []string `json:"deprecated,omitempty" example:"backup-recovery"`
}

// ImportResult summarises the outcome of an import.
func (r PublishResult) ImportResult() ImportResult {
	return ImportResult{Code: r.Framework.Code, Version: r.Framework.Version, Outcome: r.Outcome,
		Skills: len(r.Framework.Skills), Areas: len(r.Framework.Areas), Deprecated: r.Deprecated}
}
