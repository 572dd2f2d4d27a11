import Foundation
import KubeAPI

/// What a request path asks for, as kube-apiserver's RequestInfoFactory reads it:
/// `/api/v1[/namespaces/{ns}]/{resource}[/{name}[/{subresource}]]` and
/// `/apis/{group}/{version}[/namespaces/{ns}]/{resource}[/{name}[/{subresource}]]`.
public struct RequestInfo: Sendable, Hashable {
    public var resource: APIResource
    public var namespace: String?
    public var name: String?
    public var subresource: String?
    /// `get`, `list`, `watch`, `create`, `update`, `patch`, `delete` (the authorizer's verbs).
    public var verb: String

    public init(resource: APIResource, namespace: String?, name: String?, subresource: String?, verb: String) {
        self.resource = resource
        self.namespace = namespace
        self.name = name
        self.subresource = subresource
        self.verb = verb
    }

    /// The subresources served.
    public static let subresources: [String: Set<String>] = [
        "pods": ["status", "binding"], "nodes": ["status"], "clonesets": ["status", "scale"],
    ]

    /// Parses `path` for the HTTP `method`; `watch` is the `?watch=true` query.
    /// - Throws: `APIError.pathNotFound` for a path this server does not serve,
    ///   `APIError.methodNotAllowed` for a method the path does not take.
    public static func parse(method: String, path: String, watch: Bool) throws(APIError) -> RequestInfo {
        var parts = path.split(separator: "/", omittingEmptySubsequences: true).map { $0.removingPercentEncoding ?? String($0) }
        var group = ""
        var version = ""
        if parts.first == "api", parts.count >= 2 {
            version = parts[1]
            parts.removeFirst(2)
        } else if parts.first == "apis", parts.count >= 3 {
            group = parts[1]
            version = parts[2]
            parts.removeFirst(3)
        } else {
            throw .pathNotFound(path)
        }
        var namespace: String?
        if parts.first == "namespaces", parts.count >= 3 {
            namespace = parts[1]
            parts.removeFirst(2)
        }
        guard let plural = parts.first,
            let resource = APIResource.all.first(where: { $0.group == group && $0.version == version && $0.plural == plural })
        else { throw .pathNotFound(path) }
        parts.removeFirst()
        if resource.namespaced == false, namespace != nil { throw .pathNotFound(path) }
        let name = parts.first
        let subresource = parts.count >= 2 ? parts[1] : nil
        if parts.count > 2 { throw .pathNotFound(path) }
        if let subresource, !(subresources[resource.plural]?.contains(subresource) ?? false) { throw .pathNotFound(path) }
        let verb: String
        switch (method, name) {
        case ("GET", nil): verb = watch ? "watch" : "list"
        case ("GET", _): verb = watch ? "watch" : "get"
        case ("POST", nil): verb = "create"
        case ("POST", _) where subresource == "binding": verb = "create"
        case ("PUT", _?): verb = "update"
        case ("PATCH", _?): verb = "patch"
        case ("DELETE", _?): verb = "delete"
        default: throw .methodNotAllowed(method)
        }
        if subresource == "binding", method != "POST" { throw .methodNotAllowed(method) }
        return RequestInfo(resource: resource, namespace: namespace, name: name, subresource: subresource, verb: verb)
    }
}
