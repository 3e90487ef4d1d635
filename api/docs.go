package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
	swaggerFiles "github.com/swaggo/files"
	ginSwagger "github.com/swaggo/gin-swagger"

	"cyberskills/docs"
)

// openAPI godoc
// @Summary      OpenAPI description (JSON)
// @ID           openapi
// @Description  This API's OpenAPI 3.0.3 description, generated from the handlers' annotations; the same as /openapi.yaml.
// @Tags         operations
// @Produce      json
// @Success      200  {object}  object  "The OpenAPI 3.0.3 document"
// @Router       /openapi.json [get]
func (s *Server) openAPI(c *gin.Context) {
	s.handle(s.openAPIDocument(docs.OpenAPI, "application/json"))(c)
}

// openAPIYAML godoc
// @Summary      OpenAPI description (YAML)
// @ID           openapiYAML
// @Description  This API's OpenAPI 3.0.3 description as YAML; the same as /openapi.json.
// @Tags         operations
// @Produce      application/yaml
// @Success      200  {string}  string  "The OpenAPI 3.0.3 document"
// @Router       /openapi.yaml [get]
func (s *Server) openAPIYAML(c *gin.Context) {
	s.handle(s.openAPIDocument(docs.OpenAPIYAML, "application/yaml"))(c)
}

// openAPIDocument answers with the description in a media type, in the handler shape
// (the operational routes sit outside the route table).
func (s *Server) openAPIDocument(data []byte, mediaType string) handlerFunc {
	return func(*gin.Context) (reply, error) {
		return ok(download{contentType: mediaType + "; charset=utf-8", data: data}), nil
	}
}

// swaggerUI serves Swagger UI over /openapi.json; the bare folder opens its index.
func (s *Server) swaggerUI() gin.HandlerFunc {
	ui := ginSwagger.WrapHandler(swaggerFiles.Handler, ginSwagger.URL("/openapi.json"), ginSwagger.DocExpansion("none"))
	return func(c *gin.Context) {
		if p := c.Param("any"); p == "" || p == "/" {
			c.Redirect(http.StatusMovedPermanently, "/docs/index.html")
			return
		}
		ui(c)
	}
}
