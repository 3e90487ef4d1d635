package main

import (
	"log/slog"
	"net"
)

// firstTokenCommand mints the first admin token on the server's machine.
const firstTokenCommand = `cyberskills token create --role admin --name "first admin" --expires 90d`

// announce is the start-up banner: where the service answers, and how to get a token.
// Without an admin token nobody can use the API yet, so it says how to mint the first.
func announce(log *slog.Logger, addr net.Addr, hasAdmin bool) {
	base := "http://" + hostFor(addr.String())
	log.Info("listening: the start page is "+base+"/", "addr", addr.String(), "api", base+apiPath,
		"docs", base+"/docs/", "openapi", base+"/openapi.json", "dashboard", base+"/dashboard/", "xapi", base+"/xapi/")
	if !hasAdmin {
		log.Info("no admin token exists yet: mint the first on this machine, with this server's DATABASE_URL set, "+
			"and keep the last line it prints (the secret)", "command", firstTokenCommand)
		return
	}
	log.Info("tokens: admins mint them with POST "+apiPath+"/tokens, or on this machine with cyberskills token create",
		"command", "cyberskills token create --role ROLE --name NAME [--org CODE] [--provider NAME]")
}

const apiPath = "/api/v1"

// hostFor is how a person on this machine reaches addr: localhost for an address that
// listens on every interface.
func hostFor(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}
