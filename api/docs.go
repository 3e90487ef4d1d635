package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
	swaggerFiles "github.com/swaggo/files"
	ginSwagger "github.com/swaggo/gin-swagger"

	"cyberskills/docs"
)

// openAPI godoc
// @Summary      OpenAPI description
// @ID           openapi
// @Description  This API's OpenAPI (Swagger 2.0) description, generated from the handlers' annotations.
// @Tags         operations
// @Produce      json
// @Success      200  {object}  object
// @Router       /openapi.json [get]
func (s *Server) openAPI(c *gin.Context) { s.handle(s.openAPIDocument)(c) }

// openAPIDocument is openAPI in the handler shape (the operational routes sit outside the
// route table).
func (s *Server) openAPIDocument(*gin.Context) (reply, error) {
	return ok(download{contentType: "application/json; charset=utf-8", data: docs.OpenAPI}), nil
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
