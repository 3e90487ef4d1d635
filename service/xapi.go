package service

import (
	"context"
	"encoding/json"
	"time"

	"cyberskills/models"
	"cyberskills/models/xapi"
	"cyberskills/repository"
)

// statementProvider is whose statements the caller reads and writes: a trainer's own
// provider's; every provider's for an administrator (""), who reads them only.
func statementProvider(p models.Principal) string {
	if p.Role == models.RoleTrainer {
		return p.Provider
	}
	return ""
}

// recordStatements stores statements as of now, to the millisecond (as GET statements
// shows stored, so that since and until mean what a reader sees), counting the write as
// in flight until it ends (ConsistentThrough).
func (s *Service) recordStatements(ctx context.Context, p models.Principal, version string, stmts []xapi.Statement,
	sent map[string]xapi.AttachmentData) error {
	b := repository.StatementBatch{Provider: p.Provider, Version: version, TokenID: p.TokenID, Now: s.now().Truncate(time.Millisecond)}
	for _, a := range sent {
		b.Attachments = append(b.Attachments, a)
	}
	defer s.writes.begin(b.Now)()
	return s.db.RecordStatements(ctx, b, stmts)
}

// Attachments reads the data of the attachments of stmts that the LRS holds (those sent
// in multipart requests), for an answer with attachments=true.
func (s *Service) Attachments(ctx context.Context, p models.Principal, stmts []xapi.Stored) ([]xapi.AttachmentData, error) {
	return s.db.Attachments(ctx, statementProvider(p), xapi.AttachmentDigests(stmts))
}

// RecordStatements reads a body of one xAPI statement or an array of them, gives those
// without an id a new one, and stores them all or nothing, whatever they are about; the
// ones that can earn evidence are matched as a second step. It returns the statement ids
// in order. version is the request's X-Experience-API-Version; sent names the digests of
// the attachments whose data came with the request (multipart), which are all the
// attachments without a fileUrl may have.
func (s *Service) RecordStatements(ctx context.Context, p models.Principal, version string, body []byte, sent map[string]xapi.AttachmentData) ([]string, error) {
	stmts, _, err := xapi.ParseStatements(body)
	if err != nil {
		return nil, err
	}
	if err := checkAttachments(stmts, sent); err != nil {
		return nil, err
	}
	xapi.AssignStatementIDs(stmts)
	if err := s.recordStatements(ctx, p, version, stmts, sent); err != nil {
		return nil, err
	}
	ids := make([]string, len(stmts))
	for i, st := range stmts {
		ids[i] = st.ID
	}
	return ids, nil
}

// checkAttachments checks the attachments' data that came with statements: each
// attachment without a fileUrl has its data, no data is unclaimed, signatures are sound.
func checkAttachments(stmts []xapi.Statement, sent map[string]xapi.AttachmentData) error {
	if err := xapi.CheckAttachmentsSent(stmts, sent); err != nil {
		return err
	}
	return xapi.CheckSignatures(stmts, sent)
}

// PutStatement reads a body of one xAPI statement and stores it under id (the Statement
// Resource's statementId, lower case): an id in the statement must be the same.
func (s *Service) PutStatement(ctx context.Context, p models.Principal, version, id string, body []byte, sent map[string]xapi.AttachmentData) error {
	stmts, array, err := xapi.ParseStatements(body)
	switch {
	case err != nil:
		return err
	case !xapi.ValidUUID(id):
		return models.Invalid(models.FieldError{Field: "statementId", Message: "is required: the statement's UUID"})
	case array:
		return models.Invalid(models.FieldError{Field: "body", Message: "must be one statement; POST takes arrays"})
	case stmts[0].ID != "" && stmts[0].ID != id:
		return models.Invalid(models.FieldError{Field: "id", Message: "must match the statementId parameter"})
	}
	if err := checkAttachments(stmts, sent); err != nil {
		return err
	}
	stmts[0].ID = id
	return s.recordStatements(ctx, p, version, stmts, sent)
}

// StatementPage is an answer of GET statements: the statements as the format shows them,
// when the latest of them was stored, and the position after the last one when there are
// more.
type StatementPage struct {
	Statements []json.RawMessage
	Stored     []xapi.Stored
	Next       *xapi.Position
}

// Statements answers GET statements: one statement (by statementId or
// voidedStatementId; 404 when it is not there, or voided, or not voided) or a page of
// them, in the query's format, languages preferred first.
func (s *Service) Statements(ctx context.Context, p models.Principal, q xapi.Query, languages []string) (StatementPage, error) {
	provider := statementProvider(p)
	var page StatementPage
	if q.One() {
		id, voided := q.StatementID, false
		if id == "" {
			id, voided = q.VoidedStatementID, true
		}
		st, err := s.db.GetStatement(ctx, provider, id, voided)
		if err != nil {
			return page, err
		}
		page.Stored = []xapi.Stored{st}
	} else {
		var err error
		if page.Stored, page.Next, err = s.db.ListStatements(ctx, provider, q); err != nil {
			return page, err
		}
	}
	var definitions map[string]json.RawMessage
	if q.Format == xapi.FormatCanonical {
		var err error
		if definitions, err = s.db.ActivityDefinitions(ctx, provider, xapi.ActivityIDs(page.Stored)); err != nil {
			return page, err
		}
	}
	page.Statements = make([]json.RawMessage, len(page.Stored))
	for i, st := range page.Stored {
		var err error
		if page.Statements[i], err = xapi.Present(st, q.Format, languages, definitions); err != nil {
			return page, err
		}
	}
	return page, nil
}

// Activity is the Activities resource: the Activity with the provider's definition of
// it, merged from every statement that described it (an Activity no statement described
// has only its id).
func (s *Service) Activity(ctx context.Context, p models.Principal, id string) (json.RawMessage, error) {
	defs, err := s.db.ActivityDefinitions(ctx, statementProvider(p), []string{id})
	if err != nil {
		return nil, err
	}
	return xapi.ActivityObject(id, defs[id])
}
