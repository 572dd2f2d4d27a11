/// A Kubernetes `meta/v1` `Status` object as the status socket returns it with an error.
public struct ServerStatus: Codable, Hashable, Sendable {
    public var kind: String?
    public var apiVersion: String?
    /// `Failure` for errors.
    public var status: String?
    public var message: String?
    /// `NotFound`, `MethodNotAllowed`, `InternalError`...
    public var reason: String?
    public var code: Int?

    public init(status: String? = "Failure", message: String?, reason: String?, code: Int?) {
        self.kind = "Status"
        self.apiVersion = "v1"
        self.status = status
        self.message = message
        self.reason = reason
        self.code = code
    }
}
