package repository_test

import (
	"bufio"
	"database/sql"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lib/pq"

	"cyberskills/models"
)

// The home-page rule exists twice: models.NormalHomePage for writes and statements, and
// the SQL function normal_home_page, which migration 0017 applied to stored home pages
// and a check constraint applies to every write. Both must agree on every case of the
// shared table, refusals included.
func TestNormalHomePageAgreesWithSQL(t *testing.T) {
	db, ctx := testDB(t)
	f, err := os.Open(filepath.Join("..", "testdata", "xapi-homepages.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cases := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		in, want, _ := strings.Cut(line, "\t")
		var got sql.NullString
		if err := db.GetContext(ctx, &got, `SELECT normal_home_page($1)`, in); err != nil {
			t.Fatalf("normal_home_page(%q): %v", in, err)
		}
		goNormal, goErr := models.NormalHomePage(in)
		switch {
		case want == "!" && got.Valid:
			t.Errorf("normal_home_page(%q) = %q, want NULL", in, got.String)
		case want != "!" && got.String != want:
			t.Errorf("normal_home_page(%q) = %v, want %q", in, got, want)
		case (goErr == nil) != got.Valid || goNormal != got.String:
			t.Errorf("%q: SQL %v, Go %q (%v)", in, got, goNormal, goErr)
		}
		cases++
	}
	if cases < 50 {
		t.Fatalf("%d cases", cases)
	}
}

// TestNormalHomePageAgreesWithSQLOnRandomURLs runs both rules on thousands of URLs built
// from the pieces where normalisation has something to do (case, ports, escapes, dot
// segments, characters a path cannot hold, and what is refused), from a fixed seed.
func TestNormalHomePageAgreesWithSQLOnRandomURLs(t *testing.T) {
	db, ctx := testDB(t)
	pick := func(r *rand.Rand, xs ...string) string { return xs[r.Intn(len(xs))] }
	r := rand.New(rand.NewSource(16))
	urls := make([]string, 5000)
	for i := range urls {
		var b strings.Builder
		// Mostly pieces with a normal form, some without, so that both sides are tested.
		b.WriteString(pick(r, "http", "https", "HTTPS", "hTtP", "http", "https", "ftp") + pick(r, "://", "://", "://", "://", ":/"))
		b.WriteString(pick(r, "lms.example", "LMS.Example.", "a-b.c", "[::1]", "[2001:DB8::A]", "lms.example", "LMS.Example.",
			"a-b.c", "a_b", "x..y", "-a", "ś.example", "u@h", "%6C", ""))
		b.WriteString(pick(r, "", "", "", ":", ":80", ":443", ":0443", ":00", ":8080", ":99999", ":8a"))
		for n := r.Intn(5); n > 0; n-- {
			b.WriteString("/" + pick(r, "", ".", "..", "%2e", "%2E%2e", "a", "T01", "%41", "%7e", "%2f", "%3A", " ", "é",
				"%c3%a9", "~", "!$&'()*+,;=:@", "\"<>", "\t", "", ".", "..", "a", "T01", "%41", "%zz", "%", "%4", "?", "#f"))
		}
		urls[i] = b.String()
	}
	var got []sql.NullString
	if err := db.SelectContext(ctx, &got, `SELECT normal_home_page(u) FROM unnest($1::text[]) WITH ORDINALITY AS x (u, n) ORDER BY n`,
		pq.StringArray(urls)); err != nil {
		t.Fatal(err)
	}
	normal := 0
	for i, u := range urls {
		want, err := models.NormalHomePage(u)
		if (err == nil) != got[i].Valid || want != got[i].String {
			t.Errorf("%q: SQL %v, Go %q (%v)", u, got[i], want, err)
		}
		if err == nil {
			normal++
		}
	}
	if normal < len(urls)/10 || normal > len(urls)*9/10 {
		t.Fatalf("%d of %d URLs have a normal form: the generator tests too little of one side", normal, len(urls))
	}
}
