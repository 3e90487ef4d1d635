package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"cyberskills/api"
	"cyberskills/examples/demo"
	"cyberskills/models"
	"cyberskills/repository"
	"cyberskills/service"
)

// demoCommand loads the demo dataset into DATABASE_URL's database through the API (its
// router, in this process, so no server need run) and prints the tokens it minted and
// where to look. It loads once: a database that has the demo's tokens is refused.
func demoCommand(ctx context.Context, cfg config, clock models.Clock, args []string, stdout io.Writer) error {
	if len(args) > 0 {
		return errors.New("usage: cyberskills demo (it takes no arguments; DATABASE_URL names the database)")
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	if err := prepareDatabase(ctx, db, true, quiet); err != nil {
		return err
	}
	if tok, found, err := demoToken(ctx, db); err != nil {
		return err
	} else if found {
		return fmt.Errorf("the demo is loaded in this database already (token %d %q): it loads once; "+
			"`make clean` (or a new DATABASE_URL) gives an empty database to load it into", tok.ID, tok.Name)
	}
	_, secret, err := db.CreateToken(ctx, models.NewToken{Name: demo.TokenPrefix + "admin", Role: models.RoleAdmin}, clock.Now())
	if err != nil {
		return err
	}
	// The demo is the in-process API's only client: a rate limit would only slow it.
	httpCfg := cfg.http
	httpCfg.RateLimit = 0
	srv := api.NewServer(service.New(db, clock, cfg.jobRules()), quiet, httpCfg)
	sum, err := demo.Load(srv.Router(), secret, clock.Now())
	if err != nil {
		return fmt.Errorf("loading the demo: %w", err)
	}
	// Apply the writes to the gap counts now, so that the figures are whole at once.
	if _, err := db.Flush(ctx, clock.Now()); err != nil {
		return err
	}
	printDemo(stdout, sum, "http://"+hostFor(cfg.http.ListenAddr))
	return nil
}

// demoToken finds a token the demo minted, revoked or not.
func demoToken(ctx context.Context, db *repository.DB) (models.Token, bool, error) {
	page := models.Page{Limit: 1000}
	for {
		tokens, next, err := db.ListTokens(ctx, models.TokenFilter{IncludeRevoked: true}, page)
		if err != nil {
			return models.Token{}, false, err
		}
		for _, t := range tokens {
			if strings.HasPrefix(t.Name, demo.TokenPrefix) {
				return t, true, nil
			}
		}
		if next == "" {
			return models.Token{}, false, nil
		}
		page.After = next
	}
}

// printDemo says what was loaded, the tokens (their secrets are not shown again) and
// where to start: the dashboard, the API's documentation and two reports.
func printDemo(w io.Writer, s demo.Summary, base string) {
	fmt.Fprintf(w, "The demo is loaded: 1 region, 2 ICBs, %d trusts with %d departments, %d staff, %d evidence records,\n"+
		"%d courses, %d completions and %d enrolments.\n\n", s.Trusts, s.Departments, s.Staff, s.Evidence, s.Courses, s.Completions, s.Enrolments)
	fmt.Fprintf(w, "Tokens (store them now: the secrets are not shown again):\n")
	for _, t := range [][2]string{
		{"ADMIN_TOKEN", s.Admin}, {"HR_TOKEN", s.HR}, {"ICB_TOKEN", s.ICB}, {"TRAINER_TOKEN", s.Trainer}, {"ANALYST_TOKEN", s.Analyst},
	} {
		fmt.Fprintf(w, "  export %s=%s\n", t[0], t[1])
	}
	fmt.Fprintf(w, "  (HR_TOKEN is trust RJ1's HR system, ICB_TOKEN sees every trust of NHS South East London ICB;\n"+
		"   the trainer's xAPI key is %s, its secret TRAINER_TOKEN)\n\n", s.LRSKey)
	fmt.Fprintf(w, "With the server running (make run), open:\n")
	fmt.Fprintf(w, "  %s/dashboard/  (sign in with ANALYST_TOKEN for the national picture, HR_TOKEN for RJ1)\n", base)
	fmt.Fprintf(w, "  %s/docs/  (Authorize with a token above, then try any route)\n", base)
	fmt.Fprintf(w, "  curl -H \"Authorization: Bearer $HR_TOKEN\" '%s/api/v1/organisations/RJ1/gaps?include_descendants=true'\n", base)
	fmt.Fprintf(w, "  curl -H \"Authorization: Bearer $ANALYST_TOKEN\" '%s/api/v1/statistics/gaps?group_by=icb,tier'\n", base)
}
