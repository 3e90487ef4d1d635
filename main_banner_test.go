package main

import (
	"bytes"
	"log/slog"
	"net"
	"strings"
	"testing"
)

func TestBannerSaysWhereAndHowToMintTheFirstToken(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	addr := &net.TCPAddr{IP: net.IPv6unspecified, Port: 8080}
	announce(slog.New(slog.NewTextHandler(&buf, nil)), addr, false)
	out := buf.String()
	for _, want := range []string{"http://localhost:8080/", "api=http://localhost:8080/api/v1", "docs=http://localhost:8080/docs/",
		"dashboard=http://localhost:8080/dashboard/", "xapi=http://localhost:8080/xapi/",
		"no admin token exists yet", `command="cyberskills token create --role admin --name \"first admin\" --expires 90d"`} {
		if !strings.Contains(out, want) {
			t.Errorf("banner lacks %s:\n%s", want, out)
		}
	}
	buf.Reset()
	announce(slog.New(slog.NewTextHandler(&buf, nil)), &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 9000}, true)
	if out := buf.String(); strings.Contains(out, "no admin token") || !strings.Contains(out, "http://127.0.0.1:9000/") {
		t.Errorf("with an admin token:\n%s", out)
	}
}
