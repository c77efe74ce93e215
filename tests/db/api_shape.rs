//! Compares the examples of an OpenAPI document with live answers: the same keys at every
//! object level and the same JSON types, the values aside. The schema guides the walk, so that
//! a map (question ids, mail states) is not taken for an object with fixed keys, a `null` is
//! allowed only where the schema allows it, and a union (an answer's forms, a question's kinds)
//! compares the example only with a live value of the same form.

use serde_json::{Map, Value, json};
use std::collections::BTreeSet;

/// One answer of the live server: the operation as the document names it, and what came back.
pub struct Call {
    pub method: &'static str,
    pub path: &'static str,
    pub status: u16,
    pub body: Value,
}

/// What differs between the document's examples and the live answers; empty when they agree.
pub fn problems(doc: &Value, calls: &[Call]) -> Vec<String> {
    let walk = Walk { doc };
    let mut found = Found::default();
    let mut answered = BTreeSet::new();
    for call in calls {
        let at = format!("{} {} {}", call.method.to_uppercase(), call.path, call.status);
        let Some(response) = doc["paths"][call.path][call.method]["responses"].get(call.status.to_string()) else {
            found.problems.push(format!("{at}: the document has no such response"));
            continue;
        };
        let Some(schema) = response["content"].get("application/json").map(|c| &c["schema"]) else {
            continue;
        };
        answered.insert((call.method, call.path, call.status.to_string()));
        match walk.example_of(schema) {
            Some(example) => walk.compare(&mut found, schema, example, &call.body, &at),
            None => found.problems.push(format!("{at}: the body's schema has no example")),
        }
    }
    // Every JSON success of every operation has met a live answer.
    for (path, operations) in doc["paths"].as_object().into_iter().flatten() {
        for (method, operation) in operations.as_object().into_iter().flatten() {
            for (status, response) in operation["responses"].as_object().into_iter().flatten() {
                let json = response["content"].get("application/json").is_some();
                let answered = answered.iter().any(|(m, p, s)| m == method && p == path && s == status);
                if json && status.starts_with('2') && !answered {
                    found
                        .problems
                        .push(format!("{} {path} {status}: no live answer to compare", method.to_uppercase()));
                }
            }
        }
    }
    // And every example of a schema that answers contain was met by one.
    for name in walk.reachable_from_responses() {
        if doc["components"]["schemas"][&name].get("example").is_some() && !found.met.contains(&name) {
            found.problems.push(format!("the example of {name} met no live value"));
        }
    }
    found.problems
}

struct Walk<'a> {
    doc: &'a Value,
}

#[derive(Default)]
struct Found {
    problems: Vec<String>,
    /// The schemas whose own example was compared with a live value.
    met: BTreeSet<String>,
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// The types a schema names, `null` included.
fn types(schema: &Value) -> Vec<&str> {
    match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn type_fits(allowed: &[&str], v: &Value) -> bool {
    let t = json_type(v);
    allowed.is_empty() || allowed.contains(&t) || (t == "integer" && allowed.contains(&"number"))
}

fn branches(schema: &Value) -> Option<&Vec<Value>> {
    schema.get("oneOf").or_else(|| schema.get("anyOf")).and_then(Value::as_array)
}

impl<'a> Walk<'a> {
    /// The schema a `$ref` names, with its name.
    fn resolve<'s>(&self, schema: &'s Value) -> (&'s Value, Option<String>)
    where
        'a: 's,
    {
        match schema["$ref"].as_str().and_then(|r| r.strip_prefix("#/components/schemas/")) {
            Some(name) => (self.resolve(&self.doc["components"]["schemas"][name]).0, Some(name.to_string())),
            None => (schema, None),
        }
    }

    fn example_of<'s>(&self, schema: &'s Value) -> Option<&'s Value>
    where
        'a: 's,
    {
        let (target, _) = self.resolve(schema);
        target.get("example")
    }

    /// The branches of an `allOf` (a flattened struct) as one object schema.
    fn merged(&self, parts: &[Value]) -> Value {
        let (mut properties, mut required) = (Map::new(), Vec::new());
        for part in parts {
            let (part, _) = self.resolve(part);
            let part = match part.get("allOf").and_then(Value::as_array) {
                Some(inner) => self.merged(inner),
                None => part.clone(),
            };
            properties.extend(part["properties"].as_object().cloned().unwrap_or_default());
            required.extend(part["required"].as_array().cloned().unwrap_or_default());
        }
        json!({ "type": "object", "properties": properties, "required": required })
    }

    fn allows_null(&self, schema: &Value) -> bool {
        let (schema, _) = self.resolve(schema);
        types(schema).contains(&"null") || branches(schema).is_some_and(|bs| bs.iter().any(|b| self.allows_null(b)))
    }

    /// Whether `v` takes the form of `schema` at its top: its type, and for an object its keys
    /// and the fixed words of its tag.
    fn fits(&self, schema: &Value, v: &Value) -> bool {
        let (schema, _) = self.resolve(schema);
        if v.is_null() {
            return self.allows_null(schema);
        }
        if let Some(bs) = branches(schema) {
            return bs.iter().any(|b| self.fits(b, v));
        }
        if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
            return self.fits(&self.merged(parts), v);
        }
        if !type_fits(&types(schema), v) {
            return false;
        }
        match (schema.get("properties").and_then(Value::as_object), v.as_object()) {
            (Some(properties), Some(object)) => {
                let required = schema["required"].as_array().into_iter().flatten().filter_map(Value::as_str);
                object.keys().all(|k| properties.contains_key(k))
                    && required.into_iter().all(|k| object.contains_key(k))
                    && object.iter().all(|(k, value)| {
                        let (p, _) = self.resolve(&properties[k]);
                        p.get("enum").and_then(Value::as_array).is_none_or(|words| words.contains(value))
                    })
            }
            _ => true,
        }
    }

    /// Compares `example` with `live` under `schema`; every schema met on the way that has an
    /// example of its own is compared with the live value there too.
    fn compare(&self, found: &mut Found, schema: &Value, example: &Value, live: &Value, at: &str) {
        let (target, name) = self.resolve(schema);
        if let (Some(name), Some(own)) = (name, target.get("example")) {
            if !std::ptr::eq(own, example) {
                self.compare_resolved(found, target, own, live, &format!("{at} ({name}'s example)"));
            }
            found.met.insert(name);
        }
        self.compare_resolved(found, target, example, live, at);
    }

    fn compare_resolved(&self, found: &mut Found, schema: &Value, example: &Value, live: &Value, at: &str) {
        if example.is_null() || live.is_null() {
            for (side, v) in [("the example", example), ("the live answer", live)] {
                if v.is_null() && !self.allows_null(schema) {
                    found.problems.push(format!("{at}: {side} has null where the schema allows none"));
                } else if !v.is_null() {
                    self.compare(found, schema, v, v, at);
                }
            }
            return;
        }
        if let Some(bs) = branches(schema) {
            let pick = |v: &Value| bs.iter().find(|b| !b.is_null() && self.fits(b, v));
            match (pick(example), pick(live)) {
                (Some(e), Some(l)) if std::ptr::eq(e, l) => self.compare(found, e, example, live, at),
                // Another form of the union: each is checked on its own.
                (Some(e), Some(l)) => {
                    self.compare(found, e, example, example, at);
                    self.compare(found, l, live, live, at);
                }
                (None, _) => found.problems.push(format!("{at}: the example takes none of the schema's forms")),
                (_, None) => {
                    found.problems.push(format!("{at}: the live answer takes none of the schema's forms: {live}"))
                }
            }
            return;
        }
        if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
            let merged = self.merged(parts);
            return self.compare_owned(found, &merged, example, live, at);
        }
        self.compare_owned(found, schema, example, live, at);
    }

    /// As `compare_resolved`, for a schema that is neither a union nor a `$ref`.
    fn compare_owned(&self, found: &mut Found, schema: &Value, example: &Value, live: &Value, at: &str) {
        let allowed = types(schema);
        if json_type(example) != json_type(live) {
            let (e, l) = (json_type(example), json_type(live));
            found.problems.push(format!("{at}: the example is {e}, the live answer {l}"));
            return;
        }
        if !type_fits(&allowed, live) {
            found.problems.push(format!("{at}: {} where the schema says {allowed:?}", json_type(live)));
        }
        if let Some(words) = schema.get("enum").and_then(Value::as_array) {
            for (side, v) in [("the example", example), ("the live answer", live)] {
                if !words.contains(v) {
                    found.problems.push(format!("{at}: {side} has {v}, not one of {words:?}"));
                }
            }
        }
        match (example, live) {
            (Value::Object(e), Value::Object(l)) => self.compare_objects(found, schema, e, l, at),
            (Value::Array(e), Value::Array(l)) => {
                let Some(items) = schema.get("items") else { return };
                for (i, v) in e.iter().enumerate() {
                    self.compare(found, items, v, v, &format!("{at}[example {i}]"));
                }
                for (i, v) in l.iter().enumerate() {
                    self.compare(found, items, e.first().unwrap_or(v), v, &format!("{at}[{i}]"));
                }
            }
            _ => {}
        }
    }

    fn compare_objects(
        &self,
        found: &mut Found,
        schema: &Value,
        e: &Map<String, Value>,
        l: &Map<String, Value>,
        at: &str,
    ) {
        if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
            let only_example: Vec<&String> = e.keys().filter(|k| !l.contains_key(*k)).collect();
            let only_live: Vec<&String> = l.keys().filter(|k| !e.contains_key(*k)).collect();
            if !only_example.is_empty() || !only_live.is_empty() {
                found.problems.push(format!(
                    "{at}: keys only in the example {only_example:?}, only in the live answer {only_live:?}"
                ));
            }
            for required in schema["required"].as_array().into_iter().flatten().filter_map(Value::as_str) {
                if !l.contains_key(required) {
                    found.problems.push(format!("{at}: the live answer lacks the required {required}"));
                }
            }
            for (k, v) in l {
                match (properties.get(k), e.get(k)) {
                    (None, _) => found.problems.push(format!("{at}: {k} is not in the schema")),
                    (Some(p), Some(ev)) => self.compare(found, p, ev, v, &format!("{at}.{k}")),
                    (Some(_), None) => {}
                }
            }
        } else if let Some(values) = schema.get("additionalProperties").filter(|a| a.is_object()) {
            // A map: its keys are data; every value has the form of the example's first.
            for (k, v) in e {
                self.compare(found, values, v, v, &format!("{at}[example {k:?}]"));
            }
            for (k, v) in l {
                self.compare(found, values, e.values().next().unwrap_or(v), v, &format!("{at}[{k:?}]"));
            }
        }
    }

    /// The schemas that response bodies contain, directly or deeper down.
    fn reachable_from_responses(&self) -> BTreeSet<String> {
        fn refs(v: &Value, out: &mut Vec<String>) {
            match v {
                Value::Object(o) => {
                    if let Some(name) = o.get("$ref").and_then(Value::as_str) {
                        out.push(name.trim_start_matches("#/components/schemas/").to_string());
                    }
                    o.values().for_each(|v| refs(v, out));
                }
                Value::Array(a) => a.iter().for_each(|v| refs(v, out)),
                _ => {}
            }
        }
        let mut todo = Vec::new();
        for operations in self.doc["paths"].as_object().into_iter().flatten().map(|(_, o)| o) {
            for operation in operations.as_object().into_iter().flatten().map(|(_, o)| o) {
                refs(&operation["responses"], &mut todo);
            }
        }
        let mut seen = BTreeSet::new();
        while let Some(name) = todo.pop() {
            if seen.insert(name.clone()) {
                let mut schema = self.doc["components"]["schemas"][&name].clone();
                // An example is data, not schema: a `$ref` written in one names nothing.
                if let Some(o) = schema.as_object_mut() {
                    o.remove("example");
                }
                refs(&schema, &mut todo);
            }
        }
        seen
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(example: Value) -> Value {
        json!({
            "paths": {"/x": {"get": {"responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/X"}}}}}}}},
            "components": {"schemas": {"X": {
                "type": "object",
                "required": ["id", "tags"],
                "properties": {
                    "id": {"type": "integer"},
                    "closes_at": {"type": ["string", "null"]},
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "mail": {"type": "object", "additionalProperties": {"type": "integer"}}
                },
                "example": example
            }}}
        })
    }

    fn call(body: Value) -> Vec<Call> {
        vec![Call { method: "get", path: "/x", status: 200, body }]
    }

    #[test]
    fn values_differ_and_the_shape_agrees() {
        let example = json!({"id": 1, "closes_at": "2021-05-31", "tags": ["a"], "mail": {"sent": 3}});
        let live = json!({"id": 7, "closes_at": null, "tags": [], "mail": {"queued": 1, "failed": 2}});
        assert_eq!(problems(&doc(example), &call(live)), Vec::<String>::new());
    }

    #[test]
    fn a_key_the_live_answer_lacks_a_type_that_differs_and_a_missing_answer_are_problems() {
        let example = json!({"id": 1, "closes_at": null, "tags": ["a"], "mail": {}, "extra": true});
        let live = json!({"id": "7", "closes_at": null, "tags": [3], "mail": {}});
        let found = problems(&doc(example), &call(live));
        assert!(found.iter().any(|p| p.contains(r#"only in the example ["extra"]"#)), "{found:?}");
        assert!(found.iter().any(|p| p.contains(".id: the example is integer, the live answer string")), "{found:?}");
        assert!(
            found.iter().any(|p| p.contains(".tags[0]: the example is string, the live answer integer")),
            "{found:?}"
        );
        let nothing = problems(&doc(json!({"id": 1, "tags": []})), &[]);
        assert!(nothing.iter().any(|p| p.contains("GET /x 200: no live answer")), "{nothing:?}");
    }
}
