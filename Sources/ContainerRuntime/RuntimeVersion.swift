/// The answer of CRI `Version`.
public struct RuntimeVersion: Sendable, Hashable, Codable {
    public var runtimeName: String
    public var runtimeVersion: String
    public var runtimeAPIVersion: String
    public init(runtimeName: String, runtimeVersion: String, runtimeAPIVersion: String) {
        self.runtimeName = runtimeName
        self.runtimeVersion = runtimeVersion
        self.runtimeAPIVersion = runtimeAPIVersion
    }
}
