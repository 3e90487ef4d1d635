package api

import (
	"cyberskills/api/dashboard"

	"github.com/gin-gonic/gin"
)

// Index is the start page of the service: where its documentation, description and
// operational routes are, and how to get a token. It needs none.
type Index struct {
	Name  string `json:"name" example:"cyberskills API"`
	About string `json:"about" example:"Tracks cyber security skills across a workforce, measures the gap and plans how to close it."`
	// Links are the service's entry points, by name.
	Links IndexLinks `json:"links"`
	// Authentication says how to call the API, and how the first token is minted.
	Authentication string `json:"authentication" example:"Authorization: Bearer csk_...; mint the first admin token with: cyberskills token create --role admin --name NAME"`
}

// IndexLinks are the paths of the service's entry points.
type IndexLinks struct {
	API     string `json:"api" example:"/api/v1"`
	Docs    string `json:"docs" example:"/docs/"`
	OpenAPI string `json:"openapi" example:"/openapi.json"`
	Health  string `json:"health" example:"/healthz"`
	Ready   string `json:"ready" example:"/readyz"`
	Metrics string `json:"metrics" example:"/metrics"`
	Jobs    string `json:"jobs" example:"/api/v1/jobs"`
	// XAPI is the base URL of the Learning Record Store that LMSs send xAPI statements to.
	XAPI string `json:"xapi" example:"/xapi/"`
	// Dashboard is where people sign in to see the figures as charts.
	Dashboard string `json:"dashboard" example:"/dashboard/"`
}

// index is the one start page, for / and /api/v1 alike.
var index = Index{
	Name:  "cyberskills API",
	About: "Tracks cyber security skills across a workforce, measures the gap to what its roles and services need, and plans how to close it.",
	Links: IndexLinks{API: apiPrefix, Docs: "/docs/", OpenAPI: "/openapi.json", Health: "/healthz", Ready: "/readyz",
		Metrics: "/metrics", Jobs: apiPrefix + "/jobs", XAPI: xapiBase + "/",
		Dashboard: dashboard.Prefix + "/"},
	Authentication: "Every route under " + apiPrefix + " but this index needs a bearer token (Authorization: Bearer csk_...). " +
		"Mint the first admin token on the server's machine with: cyberskills token create --role admin --name NAME " +
		"(DATABASE_URL set); admins mint the others with POST " + apiPrefix + "/tokens. " +
		"The xAPI routes under " + xapiBase + "/ take a trainer token as HTTP Basic credentials too (key and secret).",
}

// getIndex godoc
// @Summary      Start page
// @Description  Where the documentation, the OpenAPI description, the health, readiness and metrics routes, the API, the xAPI LRS and the dashboard are, and how to get a first token. JSON, or a small HTML page for a browser (Accept: text/html). Needs no token.
// @ID           getIndex
// @Tags         operations
// @Produce      json,html
// @Success      200  {object}  Index
// @Router       / [get]
func (s *Server) getIndex(c *gin.Context) { s.handle(s.startPage)(c) }

// getAPIIndex godoc
// @Summary      Start page of the API
// @Description  The start page (as at /), where a client that was told the API's address lands. Needs no token.
// @ID           getAPIIndex
// @Tags         operations
// @Produce      json,html
// @Success      200  {object}  Index
// @Router       /api/v1 [get]
func (s *Server) getAPIIndex(c *gin.Context) { s.handle(s.startPage)(c) }

func (s *Server) startPage(c *gin.Context) (reply, error) {
	if prefersHTML(c.GetHeader("Accept")) {
		return ok(download{contentType: "text/html; charset=utf-8", data: []byte(indexHTML)}), nil
	}
	return ok(index), nil
}

// prefersHTML reports whether an Accept header names text/html before any JSON, as a
// browser's does.
func prefersHTML(accept string) bool {
	for _, mt := range acceptedTypes(accept) {
		switch mt {
		case "text/html":
			return true
		case "application/json", "application/*":
			return false
		}
	}
	return false
}

// indexHTML is the start page for a browser: the same links, readable.
var indexHTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>` + index.Name + `</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;line-height:1.5}code{background:#eee;padding:0 .2em}</style>
</head><body>
<h1>` + index.Name + `</h1>
<p>` + index.About + `</p>
<ul>
<li><a href="` + index.Links.Dashboard + `">Dashboard</a> (sign in with a token)</li>
<li><a href="` + index.Links.Docs + `">API documentation</a> (Swagger UI)</li>
<li><a href="` + index.Links.OpenAPI + `">OpenAPI description</a></li>
<li><a href="` + index.Links.Health + `">Liveness</a>, <a href="` + index.Links.Ready + `">readiness</a>, <a href="` + index.Links.Metrics + `">metrics</a></li>
<li>The API: <code>` + index.Links.API + `</code>; import jobs: <code>` + index.Links.Jobs + `</code></li>
<li>The xAPI Learning Record Store (base URL for an LMS): <code>` + index.Links.XAPI + `</code> (<a href="` + xapiBase + `/about">about</a>)</li>
</ul>
<p>Every route under <code>` + apiPrefix + `</code> but this page needs a bearer token. Mint the first admin token on the server's machine with
<code>cyberskills token create --role admin --name NAME</code> (with <code>DATABASE_URL</code> set); admins mint the others with
<code>POST ` + apiPrefix + `/tokens</code>.</p>
</body></html>
`
