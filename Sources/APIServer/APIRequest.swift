/// One API call, apart from HTTP: method, path, query, the headers the API reads, and the body.
public struct APIRequest: Sendable {
    public var method: String
    public var path: String
    public var query: [String: String]
    public var authorization: String?
    public var contentType: String?
    public var body: [UInt8]

    public init(
        method: String, path: String, query: [String: String] = [:], authorization: String? = nil, contentType: String? = nil,
        body: [UInt8] = []
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.authorization = authorization
        self.contentType = contentType
        self.body = body
    }
}
