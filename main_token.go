package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"

	"cyberskills/models"
)

func token(ctx context.Context, cfg config, clock models.Clock, args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New("usage: cyberskills token create|revoke ...")
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	switch args[0] {
	case "create":
		fs := flag.NewFlagSet("token create", flag.ContinueOnError)
		role := fs.String("role", "", "admin, hr, trainer or analyst")
		name := fs.String("name", "", "what the token is for")
		org := fs.String("org", "", "organisation code (hr tokens)")
		provider := fs.String("provider", "", "training provider (trainer tokens)")
		expires := fs.String("expires", "", "lifetime such as 90d or 12h; never expires when empty")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		life, err := models.ParseLifetime(*expires)
		if err != nil {
			return err
		}
		// The first admin token is minted before the server has ever run: bring the
		// database up to date first, as serve would.
		if err := prepareDatabase(ctx, db, true, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
			return err
		}
		tok, secret, err := db.CreateToken(ctx, models.NewToken{
			Name: *name, Role: models.Role(*role), OrgCode: *org, Provider: *provider, ExpiresIn: life,
		}, clock.Now())
		if err != nil {
			return describe(err)
		}
		fmt.Fprintf(stdout, "token %d (%s, %s) created; store the secret now, it is not shown again.\n", tok.ID, tok.Name, tok.Role)
		if lrs := models.NewCreatedToken(tok, secret).LRS; lrs != nil {
			fmt.Fprintf(stdout, "As xAPI (LRS) credentials, HTTP Basic: key %s, secret the token below.\n", lrs.Key)
		}
		fmt.Fprintf(stdout, "%s\n", secret)
	case "revoke":
		if len(args) != 2 {
			return errors.New("usage: cyberskills token revoke ID")
		}
		id, err := strconv.ParseInt(args[1], 10, 64)
		if err != nil {
			return fmt.Errorf("token id %q is not a number", args[1])
		}
		tok, err := db.RevokeToken(ctx, id, clock.Now())
		if err != nil {
			return describe(err)
		}
		fmt.Fprintf(stdout, "token %d (%s) revoked\n", tok.ID, tok.Name)
	default:
		return fmt.Errorf("unknown token command %q: use create or revoke", args[0])
	}
	return nil
}

// describe spells out a validation error's fields for the terminal.
func describe(err error) error {
	var e *models.Error
	if errors.As(err, &e) && len(e.Fields) > 0 {
		parts := make([]string, len(e.Fields))
		for i, f := range e.Fields {
			parts[i] = f.Field + ": " + f.Message
		}
		return errors.New(strings.Join(parts, "; "))
	}
	return err
}
