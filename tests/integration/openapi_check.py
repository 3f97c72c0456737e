"""Checks HTTP answers against docs/api.yaml: the subset of OpenAPI 3.0 schemas the document uses
($ref, allOf, type, nullable, required, properties, items, enum, minimum, maximum). Standard
library and python3-yaml only."""
import json
import re

import yaml


class Spec:
    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            self.doc = yaml.safe_load(f)
        # "/api/v1/reports/{id}" -> a pattern matching "/api/v1/reports/12".
        # Literal paths first: /api/v1/reports/actions is not /api/v1/reports/{id}.
        self.paths = [(re.compile("^" + re.sub(r"\{[^/]+\}", "[^/]+", p) + "$"), p)
                      for p in sorted(self.doc["paths"], key=lambda p: "{" in p)]

    def template(self, path):
        """The documented path template that `path` (no query) falls under, or None."""
        for pattern, template in self.paths:
            if pattern.match(path):
                return template
        return None

    def deref(self, node):
        while isinstance(node, dict) and "$ref" in node:
            ref = node["$ref"]
            target = self.doc
            for part in ref.lstrip("#/").split("/"):
                target = target[part]
            node = target
        return node

    def check(self, method, path, status, content_type, body):
        """Problems with one answer (empty when it conforms). Answers of the HTTP layer itself
        (400, 405, 413, 431) and statuses a route does not list are checked against Error."""
        template = self.template(path)
        if template is None:
            return [] if status == 404 else [f"{method} {path}: no such path in docs/api.yaml"]
        op = self.doc["paths"][template].get(method.lower())
        if op is None:
            return [] if status == 405 else [f"{method} {template}: not documented"]
        response = op["responses"].get(str(status))
        if response is None:
            if status in (400, 405, 413, 431):
                schema = self.doc["components"]["schemas"]["Error"]
            else:
                return [f"{method} {template}: status {status} not documented"]
        else:
            response = self.deref(response)
            content = response.get("content", {})
            kind = "application/json" if content_type.startswith("application/json") else content_type.split(";")[0]
            if kind not in content:
                return [f"{method} {template} {status}: content type {content_type} not documented"]
            schema = content[kind]["schema"]
        if not content_type.startswith("application/json"):
            return []
        try:
            value = json.loads(body)
        except ValueError as e:
            return [f"{method} {template} {status}: not JSON ({e})"]
        problems = []
        self.validate(schema, value, f"{method} {template} {status}", problems)
        return problems

    def validate(self, schema, value, where, problems):
        schema = self.deref(schema)
        if "allOf" in schema:
            for part in schema["allOf"]:
                self.validate(part, value, where, problems)
            return
        if value is None:
            if not schema.get("nullable") and "type" in schema:
                problems.append(f"{where}: null where {schema['type']} is required")
            return
        kind = schema.get("type")
        checks = {"object": dict, "array": list, "string": str, "boolean": bool}
        if kind == "integer":
            ok = isinstance(value, int) and not isinstance(value, bool)
        elif kind == "number":
            ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        elif kind in checks:
            ok = isinstance(value, checks[kind])
        else:
            ok = True
        if not ok:
            problems.append(f"{where}: {json.dumps(value)[:60]} is not {kind}")
            return
        if "enum" in schema and value not in schema["enum"]:
            problems.append(f"{where}: {value!r} not one of {schema['enum']}")
        if "minimum" in schema and value < schema["minimum"]:
            problems.append(f"{where}: {value} below {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            problems.append(f"{where}: {value} above {schema['maximum']}")
        if kind == "object":
            for key in schema.get("required", []):
                if key not in value:
                    problems.append(f"{where}: no {key}")
            for key, sub in schema.get("properties", {}).items():
                if key in value:
                    self.validate(sub, value[key], f"{where}.{key}", problems)
        if kind == "array" and "items" in schema:
            for i, item in enumerate(value):
                self.validate(schema["items"], item, f"{where}[{i}]", problems)
