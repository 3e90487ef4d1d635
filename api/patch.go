package api

import (
	"bytes"
	"encoding/json"

	"github.com/gin-gonic/gin"

	"cyberskills/models"
)

// bindMergePatch applies the request body, a JSON merge patch (RFC 7396), to current and
// decodes the result into dst as strictly as a full body: unknown fields are named,
// explicit nulls clear optional fields, and dst validates itself when it can.
func bindMergePatch(c *gin.Context, current, dst any) error {
	if err := requireMediaType(c, "application/merge-patch+json", "application/json"); err != nil {
		return err
	}
	var patch map[string]any
	if err := decodeJSON(c.Request.Body, &patch); err != nil {
		return err
	}
	if patch == nil {
		return models.Errorf(models.EINVALID, "a merge patch must be a JSON object")
	}
	base, err := json.Marshal(current)
	if err != nil {
		return err
	}
	var doc map[string]any
	if err := json.Unmarshal(base, &doc); err != nil {
		return err
	}
	merged, err := json.Marshal(mergePatch(doc, patch))
	if err != nil {
		return err
	}
	if err := decodeJSON(bytes.NewReader(merged), dst); err != nil {
		return err
	}
	if v, ok := dst.(validatable); ok {
		return v.Validate()
	}
	return nil
}

// mergePatch is RFC 7396: objects merge recursively, null removes, anything else replaces.
func mergePatch(target, patch map[string]any) map[string]any {
	if target == nil {
		target = map[string]any{}
	}
	for k, v := range patch {
		switch pv := v.(type) {
		case nil:
			delete(target, k)
		case map[string]any:
			sub, _ := target[k].(map[string]any)
			target[k] = mergePatch(sub, pv)
		default:
			target[k] = v
		}
	}
	return target
}
