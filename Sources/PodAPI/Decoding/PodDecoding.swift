import Foundation

/// Decodes a parsed manifest document into a `Pod` the way the API server's decoder does:
/// type meta first, then a strict schema check (unknown fields warned and dropped, wrong types
/// rejected), then the typed decode.
public enum PodDecoding {
    /// The longest rendering of a document quoted in a "missing" error.
    static let quotedDocumentLimit = 200

    /// Decodes `document`.
    ///
    /// Errors, in Kubernetes' wording:
    /// - not an object, or no `kind`: `Object 'Kind' is missing in '<document as JSON>'`
    ///   (runtime.NewMissingKindErr); no `apiVersion`: `Object 'apiVersion' is missing in '...'`;
    /// - `kind: Unsupported value: "Deployment": supported values: "Pod"` and
    ///   `apiVersion: Unsupported value: "v2": supported values: "v1"` (this agent only runs Pods;
    ///   a wrong kind stops here, so a Deployment's template is never looked at);
    /// - wrong JSON types as Go's decoder prints them (see `SchemaChecker`).
    public static func decode(_ document: JSONValue) -> PodDecodeResult {
        func fail(_ errors: [String], _ warnings: [String] = []) -> PodDecodeResult {
            PodDecodeResult(pod: nil, warnings: warnings, errors: errors)
        }
        guard case .object(let top) = document else {
            return fail(["Object 'Kind' is missing in '\(quoted(document))'"])
        }
        for key in ["kind", "apiVersion"] {
            if let v = top[key], v != .null, v.stringValue == nil {
                return fail([
                    "couldn't get version/kind; json parse error: json: cannot unmarshal \(v.goTypeName) into Go struct field .\(key) of type string"
                ])
            }
        }
        let kind = top["kind"]?.stringValue ?? ""
        let apiVersion = top["apiVersion"]?.stringValue ?? ""
        if kind.isEmpty { return fail(["Object 'Kind' is missing in '\(quoted(document))'"]) }
        if apiVersion.isEmpty { return fail(["Object 'apiVersion' is missing in '\(quoted(document))'"]) }
        var typeErrors: [String] = []
        if kind != "Pod" { typeErrors.append(FieldError.notSupported(FieldPath("kind"), kind, ["Pod"]).description) }
        if apiVersion != "v1" { typeErrors.append(FieldError.notSupported(FieldPath("apiVersion"), apiVersion, ["v1"]).description) }
        if !typeErrors.isEmpty { return fail(typeErrors) }

        let checked = SchemaChecker.checkPod(document)
        if !checked.errors.isEmpty { return fail(checked.errors, checked.warnings) }
        var value = checked.value
        // The API server drops a created pod's status (the pod strategy's PrepareForCreate); so does
        // this agent, which writes status itself.
        value.set("status", nil)
        // `metadata` and `spec` are value structs in Go: absent means empty.
        value.setDefault("metadata", .object([:]))
        value.setDefault("spec", .object([:]))
        do {
            let data = try JSONEncoder().encode(value)
            let pod = try JSONDecoder().decode(Pod.self, from: data)
            return PodDecodeResult(pod: pod, warnings: checked.warnings, errors: [])
        } catch {
            return fail(["internal error decoding the checked document: \(error)"], checked.warnings)
        }
    }

    /// The document's compact JSON, cut after `quotedDocumentLimit` characters; only its start is
    /// rendered, so that a document aliases made huge costs no more to quote than a small one.
    static func quoted(_ v: JSONValue) -> String {
        let (s, cut) = v.compactJSONPrefix(maxBytes: quotedDocumentLimit * 16)
        if !cut && s.count <= quotedDocumentLimit { return s }
        return String(s.prefix(quotedDocumentLimit)) + "…"
    }
}
